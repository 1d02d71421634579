/* What every handler asks of its caller. */
#include <stdio.h>
#include <string.h>

#include "notify.h"
#include "sw_reply.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

int notify_caller_manages(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *role = ctx->env->role;
    if (role && (strcmp(role, "owner") == 0 || strcmp(role, "admin") == 0))
        return 0;
    sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                  "Only an owner or admin can change notification settings.");
    return SW_EPERM;
}

int notify_tenant_info(struct notify_service *svc, const char *tenant_id, char *name,
                       size_t name_size, char *schema, size_t schema_size)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = (char *)tenant_id;
    struct sw_rpc_result res;
    int rc = sw_rpc_call(svc->peer[SW_SVC_TENANTS], &(struct sw_rpc_meta){.idempotent = true},
                         "tenants.GetTenant", &req.base, &sw__tenants__get_tenant_reply__descriptor,
                         NOTIFY_RPC_TIMEOUT_MS, &res);
    if (rc == 0) {
        const Sw__Tenants__Tenant *t = ((Sw__Tenants__GetTenantReply *)res.body)->tenant;
        snprintf(name, name_size, "%s", t->name);
        if (schema)
            snprintf(schema, schema_size, "%s", t->schema);
    }
    sw_rpc_result_free(&res);
    return rc;
}
