#include "tenants_client.h"

#include "auth.h"
#include "sw_status.h"

int auth_peer_call(struct sw_rpc_ctx *ctx, struct sw_rpc_client *peer, const char *method,
                   const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
                   struct sw_rpc_result *res)
{
    const struct auth_service *svc = ctx->service;
    long long left = sw_rpc_ms_left(ctx->env);
    *res = (struct sw_rpc_result){0};
    if (left <= 0)
        return SW_EUNAVAIL;
    int timeout_ms = left < svc->rpc_timeout_ms ? (int)left : svc->rpc_timeout_ms;
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    return sw_rpc_call(peer, &meta, method, req, reply_desc, timeout_ms, res);
}

static int call(struct sw_rpc_ctx *ctx, const char *method, const ProtobufCMessage *req,
                const ProtobufCMessageDescriptor *reply_desc, struct sw_rpc_result *res)
{
    const struct auth_service *svc = ctx->service;
    return auth_peer_call(ctx, svc->tenants, method, req, reply_desc, res);
}

int auth_tenants_create(struct sw_rpc_ctx *ctx, const char *name, struct sw_rpc_result *res,
                        const Sw__Tenants__Tenant **out)
{
    Sw__Tenants__CreateTenantRequest req = SW__TENANTS__CREATE_TENANT_REQUEST__INIT;
    req.name = (char *)name;
    int rc = call(ctx, "tenants.CreateTenant", &req.base,
                  &sw__tenants__create_tenant_reply__descriptor, res);
    *out = rc ? NULL : ((const Sw__Tenants__CreateTenantReply *)res->body)->tenant;
    return rc;
}

int auth_tenants_delete(struct sw_rpc_ctx *ctx, const char *id)
{
    Sw__Tenants__DeleteTenantRequest req = SW__TENANTS__DELETE_TENANT_REQUEST__INIT;
    req.id = (char *)id;
    struct sw_rpc_result res;
    int rc = call(ctx, "tenants.DeleteTenant", &req.base, NULL, &res);
    sw_rpc_result_free(&res);
    return rc;
}

int auth_tenants_get(struct sw_rpc_ctx *ctx, const char *id, struct sw_rpc_result *res,
                     const Sw__Tenants__Tenant **out)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = (char *)id;
    int rc =
        call(ctx, "tenants.GetTenant", &req.base, &sw__tenants__get_tenant_reply__descriptor, res);
    *out = rc ? NULL : ((const Sw__Tenants__GetTenantReply *)res->body)->tenant;
    return rc;
}

int auth_tenants_get_many(struct sw_rpc_ctx *ctx, char **ids, size_t n_ids,
                          struct sw_rpc_result *res, const Sw__Tenants__GetTenantsReply **out)
{
    Sw__Tenants__GetTenantsRequest req = SW__TENANTS__GET_TENANTS_REQUEST__INIT;
    req.n_ids = n_ids;
    req.ids = ids;
    int rc = call(ctx, "tenants.GetTenants", &req.base, &sw__tenants__get_tenants_reply__descriptor,
                  res);
    *out = rc ? NULL : (const Sw__Tenants__GetTenantsReply *)res->body;
    return rc;
}

void auth_tenants_forward(struct sw_reply *reply, const struct sw_rpc_result *res, int rc)
{
    const Sw__Reply *r = res->reply;
    if (rc == SW_EUNAVAIL && !r) {
        sw_reply_fail(reply, SW_UNAVAILABLE, NULL, "The tenant service is unavailable.");
        return;
    }
    if (!r || r->status == SW_OK) {
        sw_reply_fail_rc(reply, rc);
        return;
    }
    sw_reply_fail(reply, r->status, r->code, "%s", r->message);
    for (size_t i = 0; i < r->n_errors; i++)
        for (size_t j = 0; j < r->errors[i]->n_messages; j++)
            sw_reply_field(reply, r->errors[i]->field, r->errors[i]->messages[j]);
}

const Sw__Tenants__Tenant *auth_tenant_or_fail(struct sw_rpc_ctx *ctx, const char *id,
                                               struct sw_rpc_result *res, struct sw_reply *reply)
{
    const Sw__Tenants__Tenant *tenant = NULL;
    int rc = auth_tenants_get(ctx, id, res, &tenant);
    if (rc)
        auth_tenants_forward(reply, res, rc);
    return rc ? NULL : tenant;
}
