/*
 * The maintenance thread, with its own connection:
 *
 *   - retention, every SW_MONITORS_PRUNE_SECONDS [3600] (and shortly after
 *     start-up): raw check results live in daily partitions
 *     (monitors.result_partitions, the global migration 007): the next days'
 *     are created ahead and those past each tenant's plan retention (Free 7
 *     days, Pro 90) dropped; rollups older than 13 months, and outbox rows
 *     and dead letters older than 30 days, are deleted in chunks so that no
 *     statement holds locks for long;
 *   - the 24 h uptime kept in each endpoint row (endpoint_row.h), brought to
 *     the new window a moment after each hour turns (and after start-up) for
 *     every endpoint whose stored value is from an earlier hour.
 *
 * Both visit every tenant schema, on connections of their own that are
 * renewed every MON_SCHEMAS_PER_CONNECTION schemas (tenant_schema.h), so the
 * backend does not keep every tenant's relations in its caches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_row.h"
#include "monitors.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "tenant_schema.h"
#include "tenant_sql.h"

#define CHUNK "5000"
#define FIRST_RUN_DELAY_MS 5000
/* After the hour turns, so that now() in PostgreSQL is in the new hour too. */
#define HOUR_MS 3600000LL
#define AFTER_HOUR_MS 2000

struct mon_pruner {
    struct mon_service *svc;
    PGconn *db;
    struct sw_ticker *ticker;
    int period_ms;
    long long next_prune, next_refresh;
};

/* Deletes in chunks until nothing is left; sql must delete at most CHUNK rows. */
static int delete_chunks(PGconn *db, const char *sql, int n_params, const char *const *params,
                         long long *total)
{
    for (;;) {
        PGresult *res = NULL;
        int rc = sw_pg_query(db, sql, n_params, params, &res);
        if (rc)
            return rc;
        long long n = strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
        *total += n;
        if (n == 0)
            return 0;
    }
}

/* Days of result partitions created ahead, beyond today. */
#define PARTITION_DAYS_AHEAD "3"
static const char RESULT_PARTITIONS_SQL[] =
    "SELECT monitors.result_partitions($1, $2::int, " PARTITION_DAYS_AHEAD ")";
static const char PRUNE_ROLLUPS_SQL[] =
    "DELETE FROM {s}.rollups_hourly WHERE (endpoint_id, hour) IN (SELECT endpoint_id, hour"
    " FROM {s}.rollups_hourly WHERE hour < now() - interval '13 months' LIMIT " CHUNK ")";

/* Deletes in chunks from one tenant schema with a {s} template. */
static void delete_tenant_chunks(PGconn *db, const char *schema, const char *template, int n_params,
                                 const char *const *params, long long *total)
{
    char *sql = NULL;
    if (mon_sql_expand(db, schema, template, &sql) == 0)
        delete_chunks(db, sql, n_params, params, total);
    free(sql);
}

static void prune_tenant(struct mon_pruner *p, PGconn *db, const char *tenant_id,
                         const char *schema, long long *partitions, long long *rollups)
{
    struct mon_tenant t;
    bool known = mon_tenants_get(p->svc, NULL, tenant_id, &t) == 0 && t.retention_days > 0;
    char days[16];
    snprintf(days, sizeof days, "%d", known ? t.retention_days : 0);
    /* The next days' partitions whatever the plan; a drop only with a known retention. */
    const char *params[] = {schema, known ? days : NULL};
    long long changed = 0;
    if (sw_pg_query_int(db, RESULT_PARTITIONS_SQL, 2, params, &changed) == 0)
        *partitions += changed;
    if (known)
        delete_tenant_chunks(db, schema, PRUNE_ROLLUPS_SQL, 0, NULL, rollups);
}

static void prune_once(struct mon_pruner *p, struct sw_ticker *ticker)
{
    PGresult *res = NULL;
    /* Tenants that were removed: their schedule rows and schema records go too. */
    if (sw_pg_exec(p->db,
                   "DELETE FROM monitors.schedule s WHERE NOT EXISTS"
                   " (SELECT 1 FROM pg_namespace n WHERE n.nspname = s.schema_name)",
                   0, NULL) != 0 ||
        mon_regions_prune(p->db) != 0 ||
        sw_pg_exec(p->db,
                   "DELETE FROM monitors.tenant_schemas t WHERE NOT EXISTS"
                   " (SELECT 1 FROM pg_namespace n WHERE n.nspname = t.schema_name)",
                   0, NULL) != 0 ||
        sw_pg_query(p->db, "SELECT tenant_id, schema_name FROM monitors.tenant_schemas", 0, NULL,
                    &res) != 0)
        return;
    long long partitions = 0, rollups = 0, other = 0;
    struct mon_schema_conn conn = {.database_url = p->svc->cfg.database_url};
    for (int i = 0; i < PQntuples(res) && !sw_ticker_stopping(ticker); i++) {
        PGconn *db = mon_schema_conn_next(&conn);
        if (!db)
            break;
        prune_tenant(p, db, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), &partitions, &rollups);
    }
    mon_schema_conn_close(&conn);
    PQclear(res);
    delete_chunks(p->db,
                  "DELETE FROM monitors.outbox WHERE seq IN (SELECT seq FROM monitors.outbox"
                  " WHERE created_at < now() - interval '30 days' LIMIT " CHUNK ")",
                  0, NULL, &other);
    delete_chunks(p->db,
                  "DELETE FROM monitors.dead_letters WHERE id IN (SELECT id FROM"
                  " monitors.dead_letters WHERE created_at < now() - interval '30 days'"
                  " LIMIT " CHUNK ")",
                  0, NULL, &other);
    sw_log_info("retention: %lld result partitions created or dropped, %lld rollups and %lld old"
                " events removed",
                partitions, rollups, other);
}

static const char REFRESH_UPTIME_SQL[] =
    "UPDATE {s}.endpoints e SET uptime_24h = " MON_UPTIME_24H_SUM ", uptime_hour = " MON_HOUR_NOW
    ", uptime_checks = NULL, uptime_ok = NULL"
    " WHERE e.uptime_hour IS DISTINCT FROM " MON_HOUR_NOW;

/* Brings every endpoint's stored uptime to the current window. */
static void refresh_uptime(struct mon_pruner *p, struct sw_ticker *ticker)
{
    PGresult *res = NULL;
    if (sw_pg_query(p->db, "SELECT tenant_id, schema_name FROM monitors.tenant_schemas", 0, NULL,
                    &res) != 0)
        return;
    long long updated = 0;
    struct mon_schema_conn conn = {.database_url = p->svc->cfg.database_url};
    for (int i = 0; i < PQntuples(res) && !sw_ticker_stopping(ticker); i++) {
        PGconn *db = mon_schema_conn_next(&conn);
        if (!db)
            break;
        struct mon_tenant t = {0};
        snprintf(t.schema, sizeof t.schema, "%s", PQgetvalue(res, i, 1));
        PGresult *done = NULL;
        if (mon_sql_query(db, &t, REFRESH_UPTIME_SQL, 0, NULL, &done) == 0)
            updated += strtoll(PQcmdTuples(done), NULL, 10);
        PQclear(done);
    }
    mon_schema_conn_close(&conn);
    PQclear(res);
    if (updated > 0)
        sw_log_info("uptime: %lld endpoints moved to the new 24 h window", updated);
}

static long long after_next_hour(long long now_ms)
{
    return (now_ms / HOUR_MS + 1) * HOUR_MS + AFTER_HOUR_MS;
}

/* One run of the ticker: whichever of the two tasks is due; returns when the next is. */
static long long pruner_tick(struct sw_ticker *ticker, void *arg)
{
    struct mon_pruner *p = arg;
    p->db = sw_ticker_db(ticker); /* the ticker's own connection, live for this run */
    long long now = sw_now_ms();
    if (now >= p->next_refresh) {
        refresh_uptime(p, ticker);
        p->next_refresh = after_next_hour(now);
    }
    if (now >= p->next_prune) {
        prune_once(p, ticker);
        p->next_prune = sw_now_ms() + p->period_ms;
    }
    return p->next_prune < p->next_refresh ? p->next_prune : p->next_refresh;
}

void mon_pruner_stop(struct mon_pruner *p)
{
    if (!p)
        return;
    sw_ticker_stop(p->ticker);
    free(p);
}

int mon_pruner_start(struct mon_service *svc, struct mon_pruner **out)
{
    *out = NULL;
    struct mon_pruner *p = calloc(1, sizeof *p);
    if (!p)
        return SW_EINTERNAL;
    p->svc = svc;
    int period_s = 0;
    int rc = sw_env_int("SW_MONITORS_PRUNE_SECONDS", 3600, 10, 86400, &period_s);
    p->period_ms = period_s * 1000;
    p->next_prune = p->next_refresh = sw_now_ms() + FIRST_RUN_DELAY_MS;
    if (rc == 0)
        rc = sw_ticker_start_db(svc->cfg.database_url, p->next_prune, pruner_tick, p, &p->ticker);
    if (rc) {
        mon_pruner_stop(p);
        return rc;
    }
    *out = p;
    return 0;
}
