/* sw-tenants: entry point and the tenant.plan_changed publisher. */
#include <stddef.h>
#include <stdlib.h>

#include "sw_pubsub.h"
#include "sw_service.h"
#include "sw_status.h"
#include "tenants.h"

extern const struct sw_migration tenants_migrations[];
extern const size_t tenants_migrations_count;

static const struct sw_rpc_method METHODS[] = {
    {"tenants.CreateTenant", tenants_create},
    {"tenants.DeleteTenant", tenants_delete},
    {"tenants.GetTenant", tenants_get},
    {"tenants.GetTenants", tenants_get_many},
    {"tenants.SetPlan", tenants_set_plan},
    {"tenants.ListPlanLimits", tenants_list_plan_limits},
};

static void stop(void *service_ctx)
{
    struct tenants_service *svc = service_ctx;
    sw_pub_close(svc->pub);
    free(svc);
}

static int start(const struct sw_config *cfg, PGconn *db, void **service_ctx)
{
    (void)db;
    struct tenants_service *svc = calloc(1, sizeof *svc);
    if (!svc)
        return SW_EINTERNAL;
    int rc = sw_pub_open(cfg->pub_url[SW_SVC_TENANTS], &svc->pub);
    if (rc) {
        free(svc);
        return rc;
    }
    *service_ctx = svc;
    return 0;
}

int main(void)
{
    struct sw_service_def def = {
        .id = SW_SVC_TENANTS,
        .migrations = tenants_migrations,
        .n_migrations = tenants_migrations_count,
        .methods = METHODS,
        .n_methods = sizeof METHODS / sizeof METHODS[0],
        .start = start,
        .stop = stop,
    };
    return sw_service_main(&def);
}
