/*
 * sw-auth: registration, login, refresh rotation with reuse detection,
 * logout and "who am I" (schema "auth"). The service state below is built
 * once at start-up and read-only afterwards; handlers get it as ctx->service.
 * Every method is called by the gateway for a user (SW_RPC_PUBLIC); no other
 * service calls sw-auth. Account e-mails go out through sw-notify (mailer.h).
 */
#ifndef AUTH_H
#define AUTH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sw_config.h"
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

struct sw_ticker;
struct sw_pub;
struct sw_metric;

struct auth_service {
    char *private_pem; /* owned; signs tokens */
    size_t private_len;
    struct sw_jwt_key public_key;  /* owned; verifies refresh tokens */
    struct sw_rpc_client *tenants; /* sw-tenants, as an internal caller */
    struct sw_rpc_client *notify;  /* sw-notify, for account e-mails */
    struct sw_pub *pub;            /* "auth.user_revoked": gateways drop a removed user's tokens */
    int rpc_timeout_ms;
    char app_url[SW_URL_MAX]; /* FRONTEND_URL: the links in account e-mails */
    long verify_ttl_s;        /* SW_AUTH_VERIFY_TTL_S [172800]: a verification link */
    long reset_ttl_s;         /* SW_AUTH_RESET_TTL_S [3600]: a password-reset link */
    char dummy_hash[128];     /* verified against when an e-mail is unknown */
    /* sw_auth_password_verifications_total: every auth_password_matches() (identity.h) */
    struct sw_metric *password_verifications;
    /* The key of API keys' keyed hash: SW_API_KEY_SECRET's, or derived from the JWT key. */
    unsigned char api_key_mac[32];
    int audit_retention_days;       /* SW_AUDIT_RETENTION_DAYS [365] */
    struct sw_ticker *audit_pruner; /* drops older audit rows hourly (audit_log.c) */
    /* The contract's limits (api.md, "Rate limits"), settable (docs/DECISIONS.md). */
    struct sw_rate_rule register_rule;      /* registrations per client address */
    struct sw_rate_rule login_ip_rule;      /* failed logins per client address */
    struct sw_rate_rule login_email_rule;   /* failed logins per e-mail */
    struct sw_rate_rule reset_rule;         /* password-reset requests per client address */
    struct sw_rate_rule resend_rule;        /* verification resends per client address */
    struct sw_rate_rule second_factor_rule; /* wrong two-factor codes per client address */
};

#define AUTH_RATE_TABLE "auth.rate_hits"

/* The caller's rate-limit key (its address, or its /64), into out. */
void auth_client_key(const struct sw_rpc_ctx *ctx, char *out, size_t size);

/* Handlers (request types in proto/auth.proto). */
sw_rpc_handler_fn auth_register;
sw_rpc_handler_fn auth_login;
sw_rpc_handler_fn auth_refresh;
sw_rpc_handler_fn auth_logout;
sw_rpc_handler_fn auth_me;
sw_rpc_handler_fn auth_login_two_factor;
sw_rpc_handler_fn auth_verify_email;
sw_rpc_handler_fn auth_resend_verification;
sw_rpc_handler_fn auth_password_reset;
sw_rpc_handler_fn auth_password_reset_confirm;
sw_rpc_handler_fn auth_two_factor_setup;
sw_rpc_handler_fn auth_two_factor_confirm;
sw_rpc_handler_fn auth_two_factor_disable;
sw_rpc_handler_fn auth_list_members;
sw_rpc_handler_fn auth_update_member;
sw_rpc_handler_fn auth_remove_member;
sw_rpc_handler_fn auth_list_invitations;
sw_rpc_handler_fn auth_create_invitation;
sw_rpc_handler_fn auth_revoke_invitation;
sw_rpc_handler_fn auth_accept_invitation;
sw_rpc_handler_fn auth_list_api_keys;
sw_rpc_handler_fn auth_create_api_key;
sw_rpc_handler_fn auth_revoke_api_key;
sw_rpc_handler_fn auth_check_api_key;
sw_rpc_handler_fn auth_list_audit_events;

/* Starts the audit log's retention job on a connection of its own. */
int auth_audit_retention_start(struct auth_service *svc, const char *database_url);

/* True when the caller is an owner or admin; otherwise the reply is failed 403. */
bool auth_caller_manages(struct sw_rpc_ctx *ctx, struct sw_reply *reply);

/*
 * One page of a listing of the caller's tenant (sql: $1 is the tenant, $2
 * and $3 the LIMIT and OFFSET; columns named after the listed message's
 * fields), for owners and admins only when managers_only.
 */
void auth_list_owned(struct sw_rpc_ctx *ctx, bool managers_only, const char *sql, int32_t page,
                     int32_t page_size, ProtobufCMessage *out, struct sw_reply *reply);

/* A kind of row a tenant owns and revokes (invitations, API keys). */
struct auth_owned {
    const char *table;       /* "auth.api_keys" */
    const char *open;        /* SQL: the row is still open ("accepted_at IS NULL", "true") */
    const char *audit_json;  /* SQL: the row as the audit log shows it */
    const char *action;      /* "api_key.revoke" */
    const char *target_type; /* "api_key" */
};

/*
 * Revokes the open row `id` of what->table that the caller's tenant owns, as
 * an owner or admin, with its audit row; answers `done`, or 404.
 */
void auth_revoke_owned(struct sw_rpc_ctx *ctx, const struct auth_owned *what, const char *id,
                       const ProtobufCMessage *done, struct sw_reply *reply);

/*
 * The caller's membership (AUTH_CALLER_COLUMNS of records.h) into *res,
 * provided its login is live; otherwise the reply is failed 401 and *res is
 * NULL. The caller clears *res.
 */
int auth_caller(struct sw_rpc_ctx *ctx, struct sw_reply *reply, PGresult **res);

/*
 * Takes one from the rule's budget for the caller's address: false, with the
 * reply failed 429, when it is spent (the limiter's own trouble lets it pass).
 */
bool auth_take_rate(struct sw_rpc_ctx *ctx, const struct sw_rate_rule *rule,
                    struct sw_reply *reply);

#endif
