#include "tenant_schema.h"

#include <stdio.h>
#include <string.h>

#include "monitors.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

struct mon_migration_list mon_tenant_migration_list(void)
{
    return (struct mon_migration_list){mon_tenant_migrations, mon_tenant_migrations_count};
}

const char *mon_migration_latest(const struct mon_migration_list *list)
{
    return list->n ? list->items[list->n - 1].version : "";
}

static const char VERSION_SQL[] =
    "SELECT version FROM monitors.tenant_schemas WHERE schema_name = $1";

/* The schema's recorded version into out ("" when it has none yet). */
static int read_version(PGconn *db, const char *schema, char *out, size_t size)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db, VERSION_SQL, schema, &res);
    if (rc == 0)
        snprintf(out, size, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return rc;
}

/* Runs the migrations of `list` after `version`, each under the schema's search_path. */
static int apply_after(PGconn *db, const char *schema, const struct mon_migration_list *list,
                       const char *version, int *applied)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < list->n; i++) {
        const struct sw_migration *m = &list->items[i];
        if (strcmp(m->version, version) <= 0)
            continue;
        rc = sw_pg_set_search_path(db, schema);
        if (rc == 0)
            rc = sw_pg_script(db, m->sql);
        if (rc == 0)
            (*applied)++;
        else
            sw_log_error("tenant migration %s failed on %s", m->version, schema);
    }
    return rc;
}

static int record(PGconn *db, const char *schema, const char *tenant_id, const char *version)
{
    const char *params[] = {schema, tenant_id, version};
    return sw_pg_exec(db,
                      "INSERT INTO monitors.tenant_schemas (schema_name, tenant_id, version)"
                      " VALUES ($1, $2, $3) ON CONFLICT (schema_name)"
                      " DO UPDATE SET version = EXCLUDED.version, updated_at = now()",
                      3, params);
}

int mon_tenant_schema_migrate(PGconn *db, const char *tenant_id, const char *schema,
                              const struct mon_migration_list *list, int *applied)
{
    int n = 0;
    const char *latest = mon_migration_latest(list);
    char version[MON_TENANT_VERSION_MAX];
    int rc = read_version(db, schema, version, sizeof version);
    if (rc == 0 && (!*version || strcmp(version, latest) < 0)) {
        const char *lock_params[] = {schema};
        rc = sw_pg_begin(db);
        if (rc == 0)
            rc = sw_pg_exec(db,
                            "SELECT pg_advisory_xact_lock(" MON_LOCK_PROVISION ", hashtext($1))", 1,
                            lock_params);
        /* Read again under the lock: another process may have just done it. */
        if (rc == 0)
            rc = read_version(db, schema, version, sizeof version);
        if (rc == 0)
            rc = apply_after(db, schema, list, version, &n);
        if (rc == 0 && n > 0)
            rc = record(db, schema, tenant_id, latest);
        rc = sw_pg_end(db, rc);
    }
    if (applied)
        *applied = rc == 0 ? n : 0;
    return rc;
}

#define CONNECT_WAIT_MS 10000

PGconn *mon_schema_conn_next(struct mon_schema_conn *c)
{
    if (c->db && (c->uses >= MON_SCHEMAS_PER_CONNECTION || sw_pg_ensure(c->db) != 0))
        mon_schema_conn_close(c);
    if (!c->db && sw_pg_connect(c->database_url, CONNECT_WAIT_MS, &c->db) != 0)
        return NULL;
    c->uses++;
    return c->db;
}

void mon_schema_conn_close(struct mon_schema_conn *c)
{
    PQfinish(c->db);
    c->db = NULL;
    c->uses = 0;
}
