/*
 * The calls sw-billing makes to other services, one typed wrapper each:
 * sw-tenants for a tenant's name, the plans' limits and the plan push, and
 * sw-monitors to bring the tenant's endpoints within its new limit. The
 * clients are dialled as an internal caller (main.c).
 */
#include <stddef.h>

#include "billing.h"
#include "monitors.pb-c.h"
#include "sw_rpc.h"
#include "tenants.pb-c.h"

int billing_tenants_get(struct billing_service *svc, const struct sw_rpc_meta *meta,
                        const char *tenant_id, struct sw_rpc_result *res,
                        const Sw__Tenants__Tenant **out)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = (char *)tenant_id;
    int rc = sw_rpc_call(svc->tenants, meta, "tenants.GetTenant", &req.base,
                         &sw__tenants__get_tenant_reply__descriptor, svc->cfg.rpc_timeout_ms, res);
    *out = rc == 0 ? ((const Sw__Tenants__GetTenantReply *)res->body)->tenant : NULL;
    return rc;
}

int billing_tenants_list_plan_limits(struct billing_service *svc, const struct sw_rpc_meta *meta,
                                     struct sw_rpc_result *res,
                                     const Sw__Tenants__ListPlanLimitsReply **out)
{
    Sw__Tenants__ListPlanLimitsRequest req = SW__TENANTS__LIST_PLAN_LIMITS_REQUEST__INIT;
    int rc = sw_rpc_call(svc->tenants, meta, "tenants.ListPlanLimits", &req.base,
                         &sw__tenants__list_plan_limits_reply__descriptor, svc->cfg.rpc_timeout_ms,
                         res);
    *out = rc == 0 ? (const Sw__Tenants__ListPlanLimitsReply *)res->body : NULL;
    return rc;
}

int billing_tenants_set_plan(struct billing_service *svc, const struct sw_rpc_meta *meta,
                             const char *tenant_id, const char *plan, const char *status,
                             long long version, struct sw_rpc_result *res,
                             const Sw__Tenants__Tenant **out)
{
    Sw__Tenants__SetPlanRequest req = SW__TENANTS__SET_PLAN_REQUEST__INIT;
    req.id = (char *)tenant_id;
    req.plan = (char *)plan;
    req.subscription_status = (char *)status;
    req.version = version;
    int rc = sw_rpc_call(svc->tenants, meta, "tenants.SetPlan", &req.base,
                         &sw__tenants__set_plan_reply__descriptor, svc->cfg.rpc_timeout_ms, res);
    *out = rc == 0 ? ((const Sw__Tenants__SetPlanReply *)res->body)->tenant : NULL;
    return rc;
}

int billing_monitors_apply_plan_limit(struct billing_service *svc, const struct sw_rpc_meta *meta,
                                      const Sw__Tenants__Tenant *tenant)
{
    Sw__Monitors__ApplyPlanLimitRequest req = SW__MONITORS__APPLY_PLAN_LIMIT_REQUEST__INIT;
    req.tenant_id = tenant->id;
    req.has_endpoint_limit = tenant->has_endpoint_limit;
    req.endpoint_limit = tenant->endpoint_limit;
    struct sw_rpc_result res = {0};
    int rc = sw_rpc_call(svc->monitors, meta, "monitors.ApplyPlanLimit", &req.base,
                         &sw__monitors__apply_plan_limit_reply__descriptor, svc->cfg.rpc_timeout_ms,
                         &res);
    sw_rpc_result_free(&res);
    return rc;
}
