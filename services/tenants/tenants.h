/*
 * sw-tenants: the tenant registry (schema "tenancy"). Creates a tenant with
 * its generated schema t_<hex id> and primary domain in one transaction,
 * removes all of it again on request (the compensation of a failed
 * registration), and answers tenant look-ups with the plan's limits.
 */
#ifndef TENANTS_H
#define TENANTS_H

#include "sw_rpc.h"

int tenants_create(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int tenants_delete(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int tenants_get(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int tenants_get_many(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                     struct sw_reply *reply);

#endif
