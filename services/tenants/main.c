/* sw-tenants: entry point and the tenant.plan_changed publisher. */
#include <stddef.h>

#include "staff.pb-c.h"
#include "sw_pubsub.h"
#include "sw_service.h"
#include "tenants.h"

#define REQUEST(msg) &sw__tenants__##msg##_request__descriptor
#define STAFF(msg) &sw__staff__##msg##_request__descriptor

static const struct sw_rpc_method METHODS[] = {
    /* Registration and login (sw-auth) create, remove and look up tenants. */
    {"tenants.CreateTenant", REQUEST(create_tenant), tenants_create, SW_RPC_INTERNAL},
    {"tenants.DeleteTenant", REQUEST(delete_tenant), tenants_delete, SW_RPC_INTERNAL},
    {"tenants.GetTenants", REQUEST(get_tenants), tenants_get_many, SW_RPC_INTERNAL},
    /* The gateway reads the caller's own tenant for /api/auth/me/. */
    {"tenants.GetTenant", REQUEST(get_tenant), tenants_get, SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    /* Only sw-billing changes plans. */
    {"tenants.SetPlan", REQUEST(set_plan), tenants_set_plan, SW_RPC_INTERNAL},
    {"tenants.ListPlanLimits", REQUEST(list_plan_limits), tenants_list_plan_limits,
     SW_RPC_INTERNAL},
    /* The gateway's tenant guard: API calls per tenant and minute, account status. */
    {"tenants.SyncUsage", REQUEST(sync_usage), tenants_sync_usage, SW_RPC_PUBLIC},
    /* Staff (api.md "Staff"); sw-billing activates an account a bank transfer paid for. */
    {"tenants.StaffListTenants", STAFF(list_tenants), tenants_staff_list, SW_RPC_PUBLIC},
    {"tenants.StaffSetAccountStatus", STAFF(set_account_status), tenants_staff_set_account_status,
     SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    {"tenants.StaffUsage", STAFF(tenant_usage), tenants_staff_usage, SW_RPC_PUBLIC},
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
