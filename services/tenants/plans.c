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

int tenants_set_plan(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                     struct sw_reply *reply)
{
    struct tenants_service *svc = ctx->service;
    Sw__Tenants__SetPlanRequest *req =
        sw__tenants__set_plan_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    bool applied = false;
    char old_plan[32] = "";
    PGresult *row = NULL;
    int rc = known_plan(req->plan) && req->subscription_status[0] ? 0 : SW_EINVAL;
    if (rc == 0)
        rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = update_plan(ctx->db, req, &applied, old_plan, sizeof old_plan);
    bool changed = applied && strcmp(old_plan, req->plan) != 0;
    if (rc == 0 && changed) {
        const char *params[] = {req->id, old_plan, req->plan, req->subscription_status,
                                ctx->env->request_id};
        rc = sw_pg_exec(ctx->db,
                        "INSERT INTO tenancy.audit_log (tenant_id, action, detail, request_id)"
                        " VALUES ($1, 'tenant.plan_changed',"
                        " jsonb_build_object('from', $2::text, 'to', $3::text, 'status', $4::text),"
                        " $5)",
                        5, params);
    }
    if (rc == 0) {
        const char *params[] = {req->id};
        rc = sw_pg_query(ctx->db, "SELECT " TENANT_COLUMNS TENANT_FROM " WHERE t.id = $1", 1,
                         params, &row);
        if (rc == 0 && PQntuples(row) == 0)
            rc = SW_ENOTFOUND;
    }
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    else
        sw_pg_rollback(ctx->db);
    if (rc == 0) {
        if (changed) {
            sw_log(SW_LOG_INFO, ctx->env->request_id, req->id, "plan %s -> %s (%s)", old_plan,
                   req->plan, req->subscription_status);
            if (sw_pub_send(svc->pub, "tenant.plan_changed", req->id) != 0)
                sw_log(SW_LOG_WARN, ctx->env->request_id, req->id,
                       "tenant.plan_changed not published");
        }
        Sw__Tenants__Tenant tenant;
        tenants_from_row(row, 0, &tenant);
        Sw__Tenants__SetPlanReply out = SW__TENANTS__SET_PLAN_REPLY__INIT;
        out.tenant = &tenant;
        out.applied = applied;
        rc = sw_reply_body(reply, &out.base);
    } else if (rc == SW_ENOTFOUND || rc == SW_EINVAL) {
        sw_reply_error(reply, rc == SW_EINVAL ? SW_INVALID_ARGUMENT : SW_NOT_FOUND, NULL,
                       rc == SW_EINVAL ? "Unknown plan or status." : "No such tenant.");
        rc = 0;
    }
    PQclear(row);
    sw__tenants__set_plan_request__free_unpacked(req, NULL);
    return rc;
}

int tenants_list_plan_limits(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                             struct sw_reply *reply)
{
    (void)body;
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db,
                         "SELECT plan, endpoint_limit, min_interval_seconds, retention_days"
                         " FROM tenancy.plan_limits ORDER BY endpoint_limit = -1, plan",
                         0, NULL, &res);
    if (rc)
        return rc;
    size_t n = (size_t)PQntuples(res);
    Sw__Tenants__PlanLimits *store = calloc(n ? n : 1, sizeof *store);
    Sw__Tenants__PlanLimits **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    rc = store && ptrs ? 0 : SW_EINTERNAL;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sw__tenants__plan_limits__init(&store[i]);
        store[i].plan = PQgetvalue(res, (int)i, 0);
        store[i].endpoint_limit = (int32_t)sw_pg_int(res, (int)i, 1);
        store[i].min_interval_seconds = (int32_t)sw_pg_int(res, (int)i, 2);
        store[i].retention_days = (int32_t)sw_pg_int(res, (int)i, 3);
        ptrs[i] = &store[i];
    }
    if (rc == 0) {
        Sw__Tenants__ListPlanLimitsReply out = SW__TENANTS__LIST_PLAN_LIMITS_REPLY__INIT;
        out.n_plans = n;
        out.plans = ptrs;
        rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    return rc;
}
