/*
 * sw-auth: registration, login, refresh rotation with reuse detection,
 * logout and "who am I" (schema "auth"). The service state below is built
 * once at start-up and read-only afterwards; handlers get it as ctx->service.
 * Every method is called by the gateway for a user (SW_RPC_PUBLIC); no other
 * service calls sw-auth.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#include "sw_jwt.h"
#include "sw_ratelimit.h"
#include "sw_rpc.h"

/* Lifetimes, in seconds. */
#define AUTH_ACCESS_TTL_S 300L              /* an access token: 5 minutes */
#define AUTH_REFRESH_TTL_S (7L * 24 * 3600) /* a refresh token: 7 days */
/* A login, however often it is refreshed: 30 days from the password check. */
#define AUTH_LOGIN_MAX_AGE_S 2592000

#define AUTH_STR_(x) #x
#define AUTH_STR(x) AUTH_STR_(x)

/* SQL: the login (an auth.sessions row named s) is neither revoked nor too old. */
#define AUTH_SESSION_LIVE(s)                                                                       \
    "(" s ".revoked_at IS NULL AND " s                                                             \
    ".created_at > now() - interval '" AUTH_STR(AUTH_LOGIN_MAX_AGE_S) " seconds')"

/* SQL: whole seconds left of the absolute lifetime of login s (negative: over). */
#define AUTH_SESSION_SECONDS_LEFT(s)                                                               \
    "(extract(epoch from " s ".created_at - now()) + " AUTH_STR(AUTH_LOGIN_MAX_AGE_S) ")::int8"

struct auth_service {
    char *private_pem; /* owned; signs tokens */
    size_t private_len;
    struct sw_jwt_key public_key;  /* owned; verifies refresh tokens */
    struct sw_rpc_client *tenants; /* sw-tenants, as an internal caller */
    int rpc_timeout_ms;
    char dummy_hash[128]; /* verified against when an e-mail is unknown */
    /* The contract's limits (api.md, "Rate limits"), settable (docs/DECISIONS.md). */
    struct sw_rate_rule register_rule;    /* registrations per client address */
    struct sw_rate_rule login_ip_rule;    /* failed logins per client address */
    struct sw_rate_rule login_email_rule; /* failed logins per e-mail */
};

#define AUTH_RATE_TABLE "auth.rate_hits"

/* The caller's rate-limit key (its address, or its /64), into out. */
void auth_client_key(const struct sw_rpc_ctx *ctx, char *out, size_t size);

/* Handlers (request types in proto/auth.proto). */
void auth_register(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
void auth_login(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
void auth_refresh(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
void auth_logout(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
void auth_me(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);

#endif
