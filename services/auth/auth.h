/*
 * sw-auth: registration, login, refresh rotation with reuse detection,
 * logout and "who am I" (schema "auth"). The service state below is built
 * once at start-up and read-only afterwards; handlers get it as ctx->service.
 */
#ifndef AUTH_H
#define AUTH_H

#include "sw_jwt.h"
#include "sw_rpc.h"

struct auth_service {
    char *private_pem; /* owned; signs tokens */
    size_t private_len;
    struct sw_jwt_key public_key; /* owned; verifies refresh tokens */
    struct sw_rpc_client *tenants;
    int rpc_timeout_ms;
    long access_ttl_s;  /* 300 */
    long refresh_ttl_s; /* 7 days */
    char dummy_hash[128]; /* verified against when an e-mail is unknown */
};

int auth_register(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int auth_login(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int auth_refresh(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int auth_logout(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);
int auth_me(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply);

/* Copies the envelope's identity into RPC metadata for a downstream call. */
void auth_meta_from_env(const Sw__Envelope *env, struct sw_rpc_meta *meta);

#endif
