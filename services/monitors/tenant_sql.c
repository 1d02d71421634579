#include "tenant_sql.h"

#include <libpq-events.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_buf.h"
#include "sw_pg.h"
#include "sw_status.h"

#define NAME_MAX_LEN ((size_t)64) /* PostgreSQL's NAMEDATALEN */
#define SLOTS ((size_t)MON_SQL_MAX_PREPARED * 2)

/* The names prepared on one connection: an open-addressing set. */
struct prepared_set {
    size_t n;
    char names[SLOTS][NAME_MAX_LEN];
};

static int on_event(PGEventId id, void *info, void *pass_through);

static struct prepared_set *set_of(PGconn *db)
{
    struct prepared_set *set = PQinstanceData(db, on_event);
    if (set)
        return set;
    if (!PQregisterEventProc(db, on_event, "mon_prepared", NULL))
        return NULL;
    set = calloc(1, sizeof *set);
    if (set && !PQsetInstanceData(db, on_event, set)) {
        free(set);
        set = NULL;
    }
    return set;
}

/* A reset connection has no prepared statements; a destroyed one frees the set. */
static int on_event(PGEventId id, void *info, void *pass_through)
{
    (void)pass_through;
    if (id == PGEVT_CONNRESET || id == PGEVT_CONNDESTROY) {
        PGconn *db = id == PGEVT_CONNRESET ? ((PGEventConnReset *)info)->conn
                                           : ((PGEventConnDestroy *)info)->conn;
        struct prepared_set *set = PQinstanceData(db, on_event);
        if (set && id == PGEVT_CONNRESET)
            memset(set, 0, sizeof *set);
        else if (set) {
            PQsetInstanceData(db, on_event, NULL);
            free(set);
        }
    }
    return 1;
}

static size_t slot_of(const struct prepared_set *set, const char *name)
{
    size_t h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h % SLOTS;
    while (set->names[i][0] && strcmp(set->names[i], name) != 0)
        i = (i + 1) % SLOTS;
    return i;
}

/* Deallocates every statement of the set in one round trip and empties it. */
static void forget_all(PGconn *db, struct prepared_set *set)
{
    struct sw_buf sql;
    sw_buf_init(&sql, SLOTS * (NAME_MAX_LEN + 16));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < SLOTS; i++)
        if (set->names[i][0])
            rc = sw_buf_appendf(&sql, "DEALLOCATE \"%s\";", set->names[i]);
    if (rc == 0 && sql.len > 0)
        PQclear(PQexec(db, sql.data));
    sw_buf_free(&sql);
    memset(set, 0, sizeof *set);
}

int mon_sql_expand(PGconn *db, const char *schema, const char *template, char **out)
{
    *out = NULL;
    char *quoted = NULL;
    int rc = sw_pg_quote_ident(db, schema, &quoted);
    if (rc)
        return rc;
    struct sw_buf sql;
    sw_buf_init(&sql, MON_SQL_MAX_BYTES);
    for (const char *p = template; rc == 0 && *p;) {
        const char *mark = strstr(p, "{s}");
        size_t n = mark ? (size_t)(mark - p) : strlen(p);
        rc = sw_buf_append(&sql, p, n);
        if (rc == 0 && mark)
            rc = sw_buf_append_str(&sql, quoted);
        p += n + (mark ? 3 : 0);
    }
    PQfreemem(quoted);
    if (rc == 0)
        *out = sw_buf_take(&sql, NULL);
    sw_buf_free(&sql);
    return *out ? 0 : SW_EINTERNAL;
}

int mon_sql_query(PGconn *db, const struct mon_tenant *t, const char *template, int n_params,
                  const char *const *params, PGresult **out)
{
    char *sql = NULL;
    int rc = mon_sql_expand(db, t->schema, template, &sql);
    if (rc == 0)
        rc = sw_pg_query(db, sql, n_params, params, out);
    free(sql);
    return rc;
}

/* Prepares sql as name unless the set has it; the set then has it. */
static int prepare(PGconn *db, struct prepared_set *set, const char *name, const char *sql,
                   int n_params)
{
    size_t slot = slot_of(set, name);
    if (set->names[slot][0])
        return 0;
    if (set->n >= MON_SQL_MAX_PREPARED) {
        forget_all(db, set);
        slot = slot_of(set, name);
    }
    int rc = sw_pg_prepare(db, name, sql, n_params);
    if (rc == 0) {
        snprintf(set->names[slot], NAME_MAX_LEN, "%s", name);
        set->n++;
    }
    return rc;
}

int mon_sql_prepare_once(PGconn *db, const char *name, const char *sql, int n_params)
{
    struct prepared_set *set = set_of(db);
    if (!set || strlen(name) >= NAME_MAX_LEN)
        return SW_EINTERNAL;
    return prepare(db, set, name, sql, n_params);
}

int mon_sql_read(PGconn *db, const struct mon_tenant *t, const char *name, const char *template,
                 int n_params, const char *const *params, PGresult **out)
{
    char full[NAME_MAX_LEN];
    struct prepared_set *set = set_of(db);
    if (!set || snprintf(full, sizeof full, "%s_%s", name, t->schema) >= (int)sizeof full)
        return mon_sql_query(db, t, template, n_params, params, out);
    if (!set->names[slot_of(set, full)][0]) {
        char *sql = NULL;
        int rc = mon_sql_expand(db, t->schema, template, &sql);
        if (rc == 0)
            rc = prepare(db, set, full, sql, n_params);
        free(sql);
        if (rc)
            return rc;
    }
    return sw_pg_query_prepared(db, full, n_params, params, out);
}
