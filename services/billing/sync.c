/*
 * The plan push: tells sw-tenants the plan a tenant's subscription allows
 * (tenants.SetPlan, versioned) and has sw-monitors bring the tenant's active
 * endpoints within the new limit (monitors.ApplyPlanLimit). A push runs under
 * a per-tenant advisory lock and sends the newest desired state, so concurrent
 * pushes cannot reorder. A failed push is retried by a thread with its own
 * connection, with backoff (2, 4, … 60 s), until it succeeds. A webhook does
 * not push itself (sw-tenants or sw-monitors being slow must not delay its
 * answer to Stripe): it wakes the thread, which pushes at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "tenants.pb-c.h"

#define LOCK_CLASS "727100005"
#define POLL_MS 2000
#define BATCH "100"

struct billing_sync {
    struct billing_service *svc;
    PGconn *db;
    struct sw_ticker *ticker; /* a pass every POLL_MS, or at once when a webhook wakes it */
};

struct owed {
    char plan[16];
    char status[32];
    long long version;
};

/* The tenant's desired state when a push is owed; *owed false otherwise. */
static int load_owed(PGconn *db, const char *tenant_id, struct owed *o, bool *is_owed)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT plan, status, version FROM billing.tenant_sync"
                          " WHERE tenant_id = $1 AND synced_version < version",
                          tenant_id, &res);
    *is_owed = rc == 0 && PQntuples(res) == 1;
    if (*is_owed) {
        snprintf(o->plan, sizeof o->plan, "%s", PQgetvalue(res, 0, 0));
        snprintf(o->status, sizeof o->status, "%s", PQgetvalue(res, 0, 1));
        o->version = sw_pg_int(res, 0, 2);
    }
    PQclear(res);
    return rc;
}

static void record_result(PGconn *db, const char *tenant_id, long long version, const char *error)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", version);
    if (!error) {
        const char *params[] = {tenant_id, v};
        sw_pg_exec(db,
                   "UPDATE billing.tenant_sync SET synced_version = greatest(synced_version,"
                   " $2::bigint), attempts = 0, last_error = NULL, updated_at = now()"
                   " WHERE tenant_id = $1",
                   2, params);
        return;
    }
    const char *failed[] = {tenant_id, error};
    sw_pg_exec(db,
               "UPDATE billing.tenant_sync SET attempts = attempts + 1, last_error = $2,"
               " next_attempt_at = now() + least(60, power(2, attempts + 1)) * interval '1 s',"
               " updated_at = now() WHERE tenant_id = $1",
               2, failed);
}

/* Pushes the tenant's owed plan; a failure is left for a later pass. */
static int push_plan(struct billing_service *svc, PGconn *db, const char *tenant_id,
                     const char *request_id)
{
    const char *params[] = {tenant_id};
    int rc = sw_pg_exec(db, "SELECT pg_advisory_lock(" LOCK_CLASS ", hashtext($1))", 1, params);
    if (rc)
        return rc;
    struct owed o;
    bool is_owed = false;
    rc = load_owed(db, tenant_id, &o, &is_owed);
    if (rc == 0 && is_owed) {
        struct sw_rpc_meta meta = {.request_id = request_id};
        struct sw_rpc_result res = {0};
        const Sw__Tenants__Tenant *tenant = NULL;
        rc = billing_tenants_set_plan(svc, &meta, tenant_id, o.plan, o.status, o.version, &res,
                                      &tenant);
        if (rc == 0)
            rc = billing_monitors_apply_plan_limit(svc, &meta, tenant);
        sw_rpc_result_free(&res);
        if (rc == 0 || rc == SW_ENOTFOUND) {
            record_result(db, tenant_id, o.version, NULL);
            sw_log(rc ? SW_LOG_WARN : SW_LOG_INFO, request_id, tenant_id,
                   rc ? "plan %s not pushed: no such tenant" : "plan %s (%s) pushed, version %lld",
                   o.plan, o.status, o.version);
            rc = 0;
        } else {
            record_result(db, tenant_id, o.version, "tenants or monitors did not answer");
            sw_log(SW_LOG_WARN, request_id, tenant_id, "plan push failed; it will be retried");
        }
    }
    sw_pg_exec(db, "SELECT pg_advisory_unlock(" LOCK_CLASS ", hashtext($1))", 1, params);
    return rc;
}

/* One pass over the owed pushes whose retry time has come. */
static long long retry_owed(struct sw_ticker *ticker, void *arg)
{
    struct billing_sync *s = arg;
    s->db = sw_ticker_db(ticker); /* the ticker's own connection, live for this run */
    PGresult *res = NULL;
    if (sw_pg_query(s->db,
                    "SELECT tenant_id FROM billing.tenant_sync WHERE synced_version < version"
                    " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT " BATCH,
                    0, NULL, &res) == 0) {
        for (int i = 0; i < PQntuples(res) && !sw_ticker_stopping(ticker); i++)
            push_plan(s->svc, s->db, PQgetvalue(res, i, 0), NULL);
    }
    PQclear(res);
    return sw_now_ms() + POLL_MS;
}

void billing_sync_stop(struct billing_sync *s)
{
    if (!s)
        return;
    sw_ticker_stop(s->ticker);
    free(s);
}

void billing_sync_wake(struct billing_sync *s) { sw_ticker_wake(s->ticker); }

int billing_sync_start(struct billing_service *svc, struct billing_sync **out)
{
    struct billing_sync *s = calloc(1, sizeof *s);
    if (!s)
        return SW_EINTERNAL;
    s->svc = svc;
    int rc =
        sw_ticker_start_db(svc->cfg.database_url, sw_now_ms() + POLL_MS, retry_owed, s, &s->ticker);
    if (rc) {
        billing_sync_stop(s);
        return rc;
    }
    *out = s;
    return 0;
}
