#include "sw_migrate.h"

#include <stdbool.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

/* One advisory lock key for all services: migrations run one at a time. */
#define MIGRATION_LOCK_KEY "727100001"

static const char CREATE_TABLE[] =
    "CREATE TABLE IF NOT EXISTS public.sw_migrations ("
    " service text NOT NULL, version text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (service, version))";

static int is_applied(PGconn *db, const char *service, const char *version, bool *applied)
{
    const char *params[] = {service, version};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT 1 FROM public.sw_migrations WHERE service = $1 AND version = $2",
                         2, params, &res);
    if (rc == 0)
        *applied = PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

static int apply_one(PGconn *db, const char *service, const struct sw_migration *m)
{
    int rc = sw_pg_begin(db);
    if (rc)
        return rc;
    rc = sw_pg_script(db, m->sql);
    if (rc == 0) {
        const char *params[] = {service, m->version};
        rc = sw_pg_exec(db, "INSERT INTO public.sw_migrations (service, version) VALUES ($1, $2)",
                        2, params);
    }
    rc = sw_pg_end(db, rc);
    if (rc) {
        sw_log_error("migration %s/%s failed", service, m->version);
        return rc;
    }
    sw_log_info("migration %s/%s applied", service, m->version);
    return 0;
}

int sw_migrate_apply(PGconn *db, const char *service, const struct sw_migration *list, size_t n)
{
    int rc = sw_pg_exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0, NULL);
    if (rc)
        return rc;
    rc = sw_pg_exec(db, CREATE_TABLE, 0, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bool applied = false;
        rc = is_applied(db, service, list[i].version, &applied);
        if (rc == 0 && !applied)
            rc = apply_one(db, service, &list[i]);
    }
    int unlock_rc = sw_pg_exec(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", 0, NULL);
    return rc ? rc : unlock_rc;
}

int sw_migrate_pending(PGconn *db, const char *service, const struct sw_migration *list, size_t n,
                       int *pending)
{
    *pending = 0;
    for (size_t i = 0; i < n; i++) {
        bool applied = false;
        int rc = is_applied(db, service, list[i].version, &applied);
        if (rc)
            return rc;
        if (!applied)
            (*pending)++;
    }
    return 0;
}
