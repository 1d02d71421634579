/*
 * Plans of a tenant: SetPlan (pushed by sw-billing when a subscription changes)
 * and the table of plan limits. A plan change is written with its audit row in
 * one transaction and then announced as tenant.plan_changed (payload: the
 * tenant id); subscribers treat the message as a hint to reload the tenant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "tenants.h"
#include "tenants.pb-c.h"

static bool known_plan(const char *plan)
{
    return strcmp(plan, "free") == 0 || strcmp(plan, "pro") == 0;
}

/*
 * Updates the tenant when version is newer than the one it holds. Sets
 * *applied and copies the previous plan into old_plan (only when applied).
 */
static int update_plan(PGconn *db, const Sw__Tenants__SetPlanRequest *req, bool *applied,
                       char *old_plan, size_t old_size)
{
    char version[24];
    snprintf(version, sizeof version, "%lld", (long long)req->version);
    const char *params[] = {req->id, req->plan, req->subscription_status, version};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "WITH old AS (SELECT id, plan FROM tenancy.tenants WHERE id = $1"
                         " FOR UPDATE)"
                         " UPDATE tenancy.tenants t SET plan = $2, subscription_status = $3,"
                         " billing_version = $4::bigint, updated_at = now() FROM old"
                         " WHERE t.id = old.id AND t.billing_version < $4::bigint"
                         " RETURNING old.plan",
                         4, params, &res);
    *applied = rc == 0 && PQntuples(res) == 1;
    if (*applied)
        snprintf(old_plan, old_size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* Writes the audit row of a plan change. */
static int audit_plan_change(struct sw_rpc_ctx *ctx, const Sw__Tenants__SetPlanRequest *req,
                             const char *old_plan)
{
    const char *params[] = {req->id, old_plan, req->plan, req->subscription_status,
                            ctx->env->request_id};
    return sw_pg_exec(ctx->db,
                      "INSERT INTO tenancy.audit_log (tenant_id, action, detail, request_id)"
                      " VALUES ($1, 'tenant.plan_changed',"
                      " jsonb_build_object('from', $2::text, 'to', $3::text, 'status', $4::text),"
                      " $5)",
                      5, params);
}

void tenants_set_plan(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    struct tenants_service *svc = ctx->service;
    const Sw__Tenants__SetPlanRequest *req = request;
    if (!known_plan(req->plan) || !req->subscription_status[0]) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "Unknown plan or status.");
        return;
    }
    if (!sw_uuid_valid(req->id)) {
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
        return;
    }
    bool applied = false;
    char old_plan[32] = "";
    PGresult *row = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = update_plan(ctx->db, req, &applied, old_plan, sizeof old_plan);
    bool changed = applied && strcmp(old_plan, req->plan) != 0;
    if (rc == 0 && changed)
        rc = audit_plan_change(ctx, req, old_plan);
    if (rc == 0) {
        const char *params[] = {req->id};
        rc = sw_pg_query(ctx->db, "SELECT " TENANT_COLUMNS TENANT_FROM " WHERE t.id = $1", 1,
                         params, &row);
        if (rc == 0 && PQntuples(row) == 0)
            rc = SW_ENOTFOUND;
    }
    if (tenants_commit(ctx, reply, rc)) {
        if (changed) {
            sw_log(SW_LOG_INFO, ctx->env->request_id, req->id, "plan %s -> %s (%s)", old_plan,
                   req->plan, req->subscription_status);
            if (sw_pub_send(svc->pub, "tenant.plan_changed", req->id) != 0)
                sw_log(SW_LOG_WARN, ctx->env->request_id, req->id,
                       "tenant.plan_changed not published");
        }
        Sw__Tenants__SetPlanReply out = SW__TENANTS__SET_PLAN_REPLY__INIT;
        out.applied = applied;
        tenants_reply_with(reply, row, &out.base, &out.tenant);
    }
    PQclear(row);
}

static void limits_from_row(const PGresult *res, int row, void *msg)
{
    sw_rows_fill(res, row, &sw__tenants__plan_limits__descriptor, msg);
}

void tenants_list_plan_limits(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__Tenants__ListPlanLimitsReply out = SW__TENANTS__LIST_PLAN_LIMITS_REPLY__INIT;
    sw_rows_query_reply(reply, ctx->db,
                        "SELECT plan, endpoint_limit, min_interval_seconds, retention_days"
                        " FROM tenancy.plan_limits ORDER BY endpoint_limit IS NULL, plan",
                        0, NULL, sizeof(Sw__Tenants__PlanLimits), limits_from_row, &out.base,
                        &out.n_plans, &out.plans);
}
