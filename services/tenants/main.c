/* sw-tenants: entry point and the tenant.plan_changed publisher. */
#include <stddef.h>

#include "staff.pb-c.h"
#include "sw_pubsub.h"
#include "sw_service.h"
#include "tenants.h"

static const struct sw_rpc_method METHODS[] = {
    /* Registration and login (sw-auth) create, remove and look up tenants. */
    {"tenants.CreateTenant", &sw__tenants__create_tenant_request__descriptor, tenants_create,
     SW_RPC_INTERNAL},
    {"tenants.DeleteTenant", &sw__tenants__delete_tenant_request__descriptor, tenants_delete,
     SW_RPC_INTERNAL},
    {"tenants.GetTenants", &sw__tenants__get_tenants_request__descriptor, tenants_get_many,
     SW_RPC_INTERNAL},
    /* The gateway reads the caller's own tenant for /api/auth/me/. */
    {"tenants.GetTenant", &sw__tenants__get_tenant_request__descriptor, tenants_get,
     SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    /* Only sw-billing changes plans. */
    {"tenants.SetPlan", &sw__tenants__set_plan_request__descriptor, tenants_set_plan,
     SW_RPC_INTERNAL},
    {"tenants.ListPlanLimits", &sw__tenants__list_plan_limits_request__descriptor,
     tenants_list_plan_limits, SW_RPC_INTERNAL},
    /* The gateway's tenant guard: API calls per tenant and minute, account status. */
    {"tenants.SyncUsage", &sw__tenants__sync_usage_request__descriptor, tenants_sync_usage,
     SW_RPC_PUBLIC},
    /* Staff (api.md "Staff"); sw-billing activates an account a bank transfer paid for. */
    {"tenants.StaffListTenants", &sw__staff__list_tenants_request__descriptor, tenants_staff_list,
     SW_RPC_PUBLIC},
    {"tenants.StaffSetAccountStatus", &sw__staff__set_account_status_request__descriptor,
     tenants_staff_set_account_status, SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    {"tenants.StaffUsage", &sw__staff__tenant_usage_request__descriptor, tenants_staff_usage,
     SW_RPC_PUBLIC},
};

static int start(const struct sw_service_env *env, void *service_ctx)
{
    struct tenants_service *svc = service_ctx;
    svc->pub = env->pub;
    return tenants_usage_store_limits(env->db);
}

SW_SERVICE_MAIN(tenants, .id = SW_SVC_TENANTS, .methods = METHODS,
                .n_methods = SW_ARRAY_LEN(METHODS), .publishes = true,
                .ctx_size = sizeof(struct tenants_service), .start = start)
