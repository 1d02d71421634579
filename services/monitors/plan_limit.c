/*
 * ApplyPlanLimit: keeps a tenant's active endpoints within its plan after the
 * plan changed (called by sw-billing). Over the limit, the newest active
 * endpoints are paused and marked paused_by_plan; with room under the limit,
 * plan-paused endpoints resume, oldest first. Nothing is deleted. Runs under
 * the same per-tenant lock as endpoint creation, so the two cannot interleave.
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
 * than the limit (all of them without one).
 */
static int resume_within(PGconn *db, const struct mon_tenant *t, const char *limit, int *resumed)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "WITH room AS (SELECT CASE WHEN $1::int IS NOT NULL"
                          " THEN greatest($1::int - count(*), 0) END AS n"
                          " FROM endpoints WHERE NOT paused),"
                          " back AS (SELECT id FROM endpoints WHERE paused_by_plan"
                          " ORDER BY created_at, id LIMIT (SELECT n FROM room))"
                          " UPDATE endpoints e SET paused = false, paused_by_plan = false,"
                          " updated_at = now() FROM back WHERE e.id = back.id RETURNING e.id",
                          limit, &res);
    for (int i = 0; rc == 0 && i < PQntuples(res); i++)
        rc = mon_schedule_sync(db, t, PQgetvalue(res, i, 0), false, true);
    if (rc == 0)
        *resumed = PQntuples(res);
    PQclear(res);
    return rc;
}

/* Pauses and resumes in one transaction under the tenant's endpoint lock. */
static int apply_limit(PGconn *db, const struct mon_tenant *t, const char *limit, int *paused,
                       int *resumed)
{
    int rc = mon_tenant_begin(db, t);
    if (rc == 0)
        rc = mon_tenant_lock(db, t);
    if (rc == 0 && limit)
        rc = pause_over(db, limit, paused);
    if (rc == 0)
        rc = resume_within(db, t, limit, resumed);
    if (rc == 0)
        rc = sw_pg_commit(db);
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

    int paused = 0, resumed = 0;
    if (rc == 0)
        rc = apply_limit(ctx->db, &t, req->has_endpoint_limit ? limit : NULL, &paused, &resumed);

    if (rc == SW_ENOTFOUND) {
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such organisation.");
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        if (paused || resumed)
            sw_log(SW_LOG_INFO, ctx->env->request_id, req->tenant_id,
                   "plan limit %s: %d endpoints paused, %d resumed",
                   req->has_endpoint_limit ? limit : "none", paused, resumed);
        Sw__Monitors__ApplyPlanLimitReply out = SW__MONITORS__APPLY_PLAN_LIMIT_REPLY__INIT;
        out.paused = paused;
        out.resumed = resumed;
        sw_reply_body(reply, &out.base);
    }
}
