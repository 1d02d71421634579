/*
 * ApplyPlanLimit: keeps a tenant's endpoints within its plan after the plan
 * changed (called by sw-billing). Intervals shorter than the plan's minimum
 * are raised to it. Over the limit, the newest active endpoints are paused
 * and marked paused_by_plan; with room under the limit, plan-paused endpoints
 * resume, oldest first. Nothing is deleted. Runs under the same per-tenant
 * lock as endpoint creation (counts.c), so the two cannot interleave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

/* Pauses the active endpoints beyond the oldest `limit`; takes them off the schedule. */
static int pause_over(PGconn *db, const char *limit, int *paused)
{
    const char *params[] = {limit};
    long long n = 0;
    int rc =
        sw_pg_query_int(db,
                        "WITH over AS (SELECT id FROM endpoints WHERE NOT paused"
                        " ORDER BY created_at, id OFFSET $1::int),"
                        " done AS (UPDATE endpoints e SET paused = true, paused_by_plan = true,"
                        " updated_at = now() FROM over WHERE e.id = over.id RETURNING e.id),"
                        " unscheduled AS (DELETE FROM monitors.schedule s USING done"
                        " WHERE s.endpoint_id = done.id)"
                        " SELECT count(*) FROM done",
                        1, params, &n);
    *paused = (int)n;
    return rc;
}

/*
 * Resumes plan-paused endpoints, oldest first, while active ones number less
 * than the limit (all of them without one); `active` is the count now.
 */
static int resume_within(PGconn *db, const struct mon_tenant *t, const char *limit,
                         long long active, int *resumed)
{
    char active_text[24];
    snprintf(active_text, sizeof active_text, "%lld", active);
    const char *params[] = {limit, active_text};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "WITH back AS (SELECT id FROM endpoints WHERE paused_by_plan"
                         " ORDER BY created_at, id LIMIT (SELECT CASE WHEN $1::int IS NOT NULL"
                         " THEN greatest($1::int - $2::bigint, 0) END))"
                         " UPDATE endpoints e SET paused = false, paused_by_plan = false,"
                         " updated_at = now() FROM back WHERE e.id = back.id RETURNING e.id",
                         2, params, &res);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        rc = mon_schedule_sync(db, t, PQgetvalue(res, i, 0), false, true);
    if (rc == 0)
        *resumed = PQntuples(res);
    PQclear(res);
    return rc;
}

/*
 * Brings every endpoint to the plan's minimum interval (a downgrade from a
 * shorter one) and gives the tenant's schedule rows the plan's minimum, the
 * check budget's rate (schedule.c). *raised: endpoints whose interval rose.
 */
static int apply_min_interval(PGconn *db, const struct mon_tenant *t, int *raised)
{
    char min[16];
    snprintf(min, sizeof min, "%d", t->min_interval_seconds);
    const char *params[] = {min, t->id};
    long long n = 0;
    int rc = sw_pg_query_int(db,
                             "WITH raised AS (UPDATE endpoints SET interval_seconds = $1::int,"
                             "   updated_at = now() WHERE interval_seconds < $1::int RETURNING id),"
                             " sched AS (UPDATE monitors.schedule s SET min_interval_seconds ="
                             "   $1::int, interval_seconds = greatest(s.interval_seconds, $1::int)"
                             "   WHERE s.tenant_id = $2::uuid)"
                             " SELECT count(*) FROM raised",
                             2, params, &n);
    *raised = (int)n;
    return rc;
}

/* What one application of the plan changed. */
struct plan_outcome {
    int paused, resumed, raised;
};

/* Intervals, pauses and resumes in one transaction under the tenant's endpoint lock. */
static int apply_limit(PGconn *db, const struct mon_tenant *t, const char *limit,
                       struct plan_outcome *out)
{
    struct mon_counts counts;
    int rc = mon_tenant_begin(db, t);
    if (rc == 0)
        rc = mon_tenant_lock(db, t, &counts);
    if (rc == 0)
        rc = apply_min_interval(db, t, &out->raised);
    if (rc == 0 && limit)
        rc = pause_over(db, limit, &out->paused);
    if (rc == 0)
        rc = resume_within(db, t, limit, counts.active - out->paused, &out->resumed);
    if (rc == 0)
        rc = mon_counts_add(db, t, 0, out->resumed - out->paused);
    if (rc == 0)
        rc = sw_pg_commit(db);
    else
        sw_pg_rollback(db);
    return rc;
}

void mon_apply_plan_limit(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__ApplyPlanLimitRequest *req = request;
    struct mon_service *svc = ctx->service;
    if (req->has_endpoint_limit && req->endpoint_limit < 0) {
        sw_reply_field(reply, "endpoint_limit", "A limit is 0 or more; absent for none.");
        return;
    }
    /* The tenant named in the request, not the caller's (sw-billing calls as the system);
     * its limits are read afresh. */
    mon_tenant_cache_forget(svc->cache, req->tenant_id);
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    struct mon_tenant t;
    int rc = mon_tenant_get(svc, ctx->db, &meta, req->tenant_id, &t);
    char limit[16];
    snprintf(limit, sizeof limit, "%d", req->endpoint_limit);

    struct plan_outcome done = {0};
    if (rc == 0)
        rc = apply_limit(ctx->db, &t, req->has_endpoint_limit ? limit : NULL, &done);

    if (rc == SW_ENOTFOUND) {
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such organisation.");
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        if (done.paused || done.resumed || done.raised)
            sw_log(SW_LOG_INFO, ctx->env->request_id, req->tenant_id,
                   "plan limit %s: %d endpoints paused, %d resumed, %d raised to %d s",
                   req->has_endpoint_limit ? limit : "none", done.paused, done.resumed, done.raised,
                   t.min_interval_seconds);
        Sw__Monitors__ApplyPlanLimitReply out = SW__MONITORS__APPLY_PLAN_LIMIT_REPLY__INIT;
        out.paused = done.paused;
        out.resumed = done.resumed;
        sw_reply_body(reply, &out.base);
    }
}
