/* sw-tenants: entry point. */
#include <stddef.h>

#include "sw_service.h"
#include "tenants.h"

extern const struct sw_migration tenants_migrations[];
extern const size_t tenants_migrations_count;

static const struct sw_rpc_method METHODS[] = {
    {"tenants.CreateTenant", tenants_create},
    {"tenants.DeleteTenant", tenants_delete},
    {"tenants.GetTenant", tenants_get},
    {"tenants.GetTenants", tenants_get_many},
};

int main(void)
{
    struct sw_service_def def = {
        .id = SW_SVC_TENANTS,
        .migrations = tenants_migrations,
        .n_migrations = tenants_migrations_count,
        .methods = METHODS,
        .n_methods = sizeof METHODS / sizeof METHODS[0],
    };
    return sw_service_main(&def);
}
