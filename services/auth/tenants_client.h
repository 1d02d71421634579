/*
 * sw-auth's calls to sw-tenants, one typed wrapper per method. Each carries
 * the caller's identity, waits at most the shorter of SW_RPC_TIMEOUT_MS and
 * what is left of the request's deadline, and returns 0 when sw-tenants
 * answered OK, the negated reply status when it refused (res->reply says
 * why), or SW_EUNAVAIL when it did not answer. *out points into res, which
 * the caller releases with sw_rpc_result_free() whatever the outcome.
 */
#ifndef AUTH_TENANTS_CLIENT_H
#define AUTH_TENANTS_CLIENT_H

#include <stddef.h>

#include "sw_rpc.h"
#include "tenants.pb-c.h"

/* One call to peer (sw-tenants or sw-notify) as this request's caller, as above. */
int auth_peer_call(struct sw_rpc_ctx *ctx, struct sw_rpc_client *peer, const char *method,
                   const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
                   struct sw_rpc_result *res);

int auth_tenants_create(struct sw_rpc_ctx *ctx, const char *name, struct sw_rpc_result *res,
                        const Sw__Tenants__Tenant **out);

/* Removes a tenant; no result to keep. */
int auth_tenants_delete(struct sw_rpc_ctx *ctx, const char *id);

int auth_tenants_get(struct sw_rpc_ctx *ctx, const char *id, struct sw_rpc_result *res,
                     const Sw__Tenants__Tenant **out);

int auth_tenants_get_many(struct sw_rpc_ctx *ctx, char **ids, size_t n_ids,
                          struct sw_rpc_result *res, const Sw__Tenants__GetTenantsReply **out);

/*
 * Puts what sw-tenants answered to a refused call (status, code, message,
 * field errors) into reply, or a generic failure when it did not answer.
 */
void auth_tenants_forward(struct sw_reply *reply, const struct sw_rpc_result *res, int rc);

/* Tenant id, or NULL after forwarding sw-tenants' refusal into reply; *res is the caller's. */
const Sw__Tenants__Tenant *auth_tenant_or_fail(struct sw_rpc_ctx *ctx, const char *id,
                                               struct sw_rpc_result *res, struct sw_reply *reply);

#endif
