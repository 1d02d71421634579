/*
 * The retention job: a thread with its own connection that, every
 * SW_MONITORS_PRUNE_SECONDS [3600] (and shortly after start-up), deletes raw
 * check results older than each tenant's plan retention (Free 7 days, Pro 90),
 * rollups older than 400 days, and outbox rows and dead letters older than
 * 30 days. Deletes go in chunks so that no statement holds locks for long.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitors.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

#define CHUNK "5000"
#define FIRST_RUN_DELAY_S 5

struct mon_pruner {
    struct mon_service *svc;
    PGconn *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    int period_s;
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

static int retention_of(struct mon_pruner *p, const char *tenant_id, int *days)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = (char *)tenant_id;
    struct sw_rpc_result res = {0};
    int rc = sw_rpc_call(p->svc->tenants, NULL, "tenants.GetTenant", &req.base,
                         &sw__tenants__get_tenant_reply__descriptor, p->svc->cfg.rpc_timeout_ms,
                         &res);
    if (rc == 0 && res.reply->status != SW_OK)
        rc = res.reply->status == SW_NOT_FOUND ? SW_ENOTFOUND : SW_EUNAVAIL;
    if (rc == 0)
        *days = ((Sw__Tenants__GetTenantReply *)res.body)->tenant->retention_days;
    sw_rpc_result_free(&res);
    return rc;
}

static void prune_tenant(struct mon_pruner *p, const char *tenant_id, const char *schema,
                         long long *results, long long *rollups)
{
    int days = 0;
    if (retention_of(p, tenant_id, &days) != 0 || days <= 0)
        return;
    char *quoted = NULL;
    if (sw_pg_quote_ident(p->db, schema, &quoted) != 0)
        return;
    char sql[512], days_text[16];
    snprintf(days_text, sizeof days_text, "%d", days);
    const char *params[] = {days_text};
    snprintf(sql, sizeof sql,
             "DELETE FROM %s.check_results WHERE id IN (SELECT id FROM %s.check_results"
             " WHERE checked_at < now() - $1::int * interval '1 day' LIMIT " CHUNK ")",
             quoted, quoted);
    delete_chunks(p->db, sql, 1, params, results);
    snprintf(sql, sizeof sql,
             "DELETE FROM %s.rollups_hourly WHERE (endpoint_id, hour) IN (SELECT endpoint_id,"
             " hour FROM %s.rollups_hourly WHERE hour < now() - interval '400 days' LIMIT " CHUNK
             ")",
             quoted, quoted);
    delete_chunks(p->db, sql, 0, NULL, rollups);
    PQfreemem(quoted);
}

static void prune_once(struct mon_pruner *p)
{
    if (sw_pg_ensure(p->db) != 0)
        return;
    PGresult *res = NULL;
    /* Tenants that were removed: their schedule rows and schema records go too. */
    if (sw_pg_exec(p->db,
                   "DELETE FROM monitors.schedule s WHERE NOT EXISTS"
                   " (SELECT 1 FROM pg_namespace n WHERE n.nspname = s.schema_name)",
                   0, NULL) != 0 ||
        sw_pg_exec(p->db,
                   "DELETE FROM monitors.tenant_schemas t WHERE NOT EXISTS"
                   " (SELECT 1 FROM pg_namespace n WHERE n.nspname = t.schema_name)",
                   0, NULL) != 0 ||
        sw_pg_query(p->db, "SELECT tenant_id, schema_name FROM monitors.tenant_schemas", 0, NULL,
                    &res) != 0)
        return;
    long long results = 0, rollups = 0, other = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        pthread_mutex_lock(&p->lock);
        bool stopping = p->stopping;
        pthread_mutex_unlock(&p->lock);
        if (stopping)
            break;
        prune_tenant(p, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), &results, &rollups);
    }
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
    sw_log_info("retention: removed %lld check results, %lld rollups, %lld old events",
                results, rollups, other);
}

static void *pruner_loop(void *arg)
{
    struct mon_pruner *p = arg;
    int wait_s = FIRST_RUN_DELAY_S;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_s;
        while (!p->stopping && pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
            ;
        if (p->stopping)
            break;
        pthread_mutex_unlock(&p->lock);
        prune_once(p);
        pthread_mutex_lock(&p->lock);
        wait_s = p->period_s;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int mon_pruner_start(struct mon_service *svc, struct mon_pruner **out)
{
    *out = NULL;
    struct mon_pruner *p = calloc(1, sizeof *p);
    if (!p)
        return SW_EINTERNAL;
    p->svc = svc;
    int rc = sw_env_int("SW_MONITORS_PRUNE_SECONDS", 3600, 10, 86400, &p->period_s);
    if (rc == 0)
        rc = sw_pg_connect(svc->cfg.database_url, 5000, &p->db);
    if (rc) {
        free(p);
        return rc;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->thread, NULL, pruner_loop, p) != 0) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        PQfinish(p->db);
        free(p);
        return SW_EINTERNAL;
    }
    *out = p;
    return 0;
}

void mon_pruner_stop(struct mon_pruner *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    PQfinish(p->db);
    free(p);
}
