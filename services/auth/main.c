/* sw-auth: entry point, method table and service state. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.pb-c.h"
#include "auth.h"
#include "auth.pb-c.h"
#include "staff.h"
#include "staff.pb-c.h"
#include "sw_keys.h"
#include "sw_log.h"
#include "sw_metrics.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_service.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "totp.h"

#define REQUEST(msg) &sw__auth__##msg##_request__descriptor

/* Only the gateway calls sw-auth, always on behalf of someone at its HTTP door. */
static const struct sw_rpc_method METHODS[] = {
    {"auth.Register", &sw__auth__register_request__descriptor, auth_register, SW_RPC_PUBLIC},
    {"auth.Login", &sw__auth__login_request__descriptor, auth_login, SW_RPC_PUBLIC},
    {"auth.Refresh", &sw__auth__refresh_request__descriptor, auth_refresh, SW_RPC_PUBLIC},
    {"auth.Logout", &sw__auth__logout_request__descriptor, auth_logout, SW_RPC_PUBLIC},
    {"auth.Me", &sw__auth__me_request__descriptor, auth_me, SW_RPC_PUBLIC},
    {"auth.LoginTwoFactor", &sw__auth__login_two_factor_request__descriptor, auth_login_two_factor,
     SW_RPC_PUBLIC},
    {"auth.VerifyEmail", &sw__auth__verify_email_request__descriptor, auth_verify_email,
     SW_RPC_PUBLIC},
    {"auth.ResendVerification", &sw__auth__resend_verification_request__descriptor,
     auth_resend_verification, SW_RPC_PUBLIC},
    {"auth.PasswordReset", &sw__auth__password_reset_request__descriptor, auth_password_reset,
     SW_RPC_PUBLIC},
    {"auth.PasswordResetConfirm", &sw__auth__password_reset_confirm_request__descriptor,
     auth_password_reset_confirm, SW_RPC_PUBLIC},
    {"auth.TwoFactorSetup", &sw__auth__two_factor_setup_request__descriptor, auth_two_factor_setup,
     SW_RPC_PUBLIC},
    {"auth.TwoFactorConfirm", &sw__auth__two_factor_confirm_request__descriptor,
     auth_two_factor_confirm, SW_RPC_PUBLIC},
    {"auth.TwoFactorDisable", &sw__auth__two_factor_disable_request__descriptor,
     auth_two_factor_disable, SW_RPC_PUBLIC},
    {"auth.ListMembers", REQUEST(list_members), auth_list_members, SW_RPC_PUBLIC},
    {"auth.UpdateMember", REQUEST(update_member), auth_update_member, SW_RPC_PUBLIC},
    {"auth.RemoveMember", REQUEST(remove_member), auth_remove_member, SW_RPC_PUBLIC},
    {"auth.ListInvitations", REQUEST(list_invitations), auth_list_invitations, SW_RPC_PUBLIC},
    {"auth.CreateInvitation", REQUEST(create_invitation), auth_create_invitation, SW_RPC_PUBLIC},
    {"auth.RevokeInvitation", REQUEST(revoke_invitation), auth_revoke_invitation, SW_RPC_PUBLIC},
    {"auth.AcceptInvitation", REQUEST(accept_invitation), auth_accept_invitation, SW_RPC_PUBLIC},
    {"auth.ListApiKeys", REQUEST(list_api_keys), auth_list_api_keys, SW_RPC_PUBLIC},
    {"auth.CreateApiKey", REQUEST(create_api_key), auth_create_api_key, SW_RPC_PUBLIC},
    {"auth.RevokeApiKey", REQUEST(revoke_api_key), auth_revoke_api_key, SW_RPC_PUBLIC},
    {"auth.CheckApiKey", REQUEST(check_api_key), auth_check_api_key, SW_RPC_PUBLIC},
    {"auth.ListAuditEvents", &sw__audit__list_events_request__descriptor, auth_list_audit_events,
     SW_RPC_PUBLIC},
    /* Staff (api.md "Staff"): the login, and what the gateway asks for a staff token. */
    {"auth.StaffLogin", &sw__staff__login_request__descriptor, auth_staff_login, SW_RPC_PUBLIC},
    {"auth.StaffCheck", &sw__staff__check_request__descriptor, auth_staff_check, SW_RPC_PUBLIC},
    {"auth.StaffCountMembers", &sw__staff__count_members_request__descriptor,
     auth_staff_count_members, SW_RPC_PUBLIC},
};

static void auth_stop(void *service_ctx)
{
    struct auth_service *svc = service_ctx;
    sw_ticker_stop(svc->audit_pruner);
    if (svc->private_pem)
        sodium_memzero(svc->private_pem, svc->private_len);
    free(svc->private_pem);
    free(svc->public_key.pem);
}

static int load_keys(const struct sw_config *cfg, struct auth_service *svc)
{
    char private_alg[8];
    int rc = sw_keys_load(cfg, SW_KEY_PRIVATE, &svc->private_pem, &svc->private_len, private_alg);
    if (rc == 0)
        rc = sw_keys_load(cfg, SW_KEY_PUBLIC, &svc->public_key.pem, &svc->public_key.pem_len,
                          svc->public_key.alg);
    if (rc == 0 && strcmp(private_alg, svc->public_key.alg) != 0) {
        sw_log_error("configuration: the JWT private and public keys are of different types");
        rc = SW_EINVAL;
    }
    return rc;
}

/*
 * The key of API keys' keyed hash: BLAKE2b of SW_API_KEY_SECRET when set,
 * otherwise of the JWT private key (so a deployment has one secret less to
 * manage; rotating that key then retires the API keys too).
 */
static void derive_api_key_mac(struct auth_service *svc)
{
    const char *secret = sw_env_str("SW_API_KEY_SECRET", "");
    const unsigned char *from = secret[0] ? (const unsigned char *)secret
                                          : (const unsigned char *)svc->private_pem;
    size_t len = secret[0] ? strlen(secret) : svc->private_len;
    static const unsigned char context[] = "statuswatch api keys v1";
    crypto_generichash(svc->api_key_mac, sizeof svc->api_key_mac, from, len, context,
                       sizeof context - 1);
}

/* A throw-away hash so that unknown e-mails cost as much as known ones. */
static int make_dummy_hash(struct auth_service *svc)
{
    unsigned char noise[32];
    randombytes_buf(noise, sizeof noise);
    return crypto_pwhash_str_alg(svc->dummy_hash, (const char *)noise, sizeof noise,
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : SW_EINTERNAL;
}

/*
 * sw-auth's own metrics, in the process's registry (none without one): the
 * password verifications, which show the cost of a login (identity.h).
 */
static int register_metrics(const struct sw_config *cfg, struct auth_service *svc)
{
    if (!cfg->metrics)
        return 0;
    svc->password_verifications =
        sw_metrics_counter(cfg->metrics, "sw_auth_password_verifications_total",
                           "Password hashes verified (argon2id), dummy ones included.", NULL);
    return svc->password_verifications ? 0 : SW_EINTERNAL;
}

/* An hourly rule named `name`, its limit settable by `variable`. */
static int hourly_rule(struct sw_rate_rule *rule, const char *name, const char *variable, int def)
{
    *rule = (struct sw_rate_rule){name, def, 3600};
    return sw_env_int(variable, def, 1, 1000000, &rule->limit);
}

/* The rate limits of the contract (api.md, "Rate limits"), each settable. */
static int load_limits(struct auth_service *svc)
{
    int rc = hourly_rule(&svc->register_rule, "register", "SW_RATE_LIMIT_REGISTER_PER_HOUR", 5);
    if (rc == 0)
        rc = hourly_rule(&svc->login_ip_rule, "login_ip", "SW_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR",
                         10);
    svc->login_email_rule = (struct sw_rate_rule){"login_email", svc->login_ip_rule.limit, 3600};
    if (rc == 0)
        rc = hourly_rule(&svc->reset_rule, "password_reset",
                         "SW_RATE_LIMIT_PASSWORD_RESET_PER_HOUR", 3);
    if (rc == 0)
        rc = hourly_rule(&svc->resend_rule, "verify_resend", "SW_RATE_LIMIT_VERIFY_RESEND_PER_HOUR",
                         3);
    if (rc == 0)
        rc = hourly_rule(&svc->second_factor_rule, "two_factor_ip",
                         "SW_RATE_LIMIT_TWO_FACTOR_FAILURES_PER_HOUR", 20);
    return rc;
}

/* Link lifetimes and FRONTEND_URL. */
static int load_settings(struct auth_service *svc)
{
    int verify_s = 0, reset_s = 0;
    int rc = sw_env_int("SW_AUTH_VERIFY_TTL_S", 172800, 1, 30 * 86400, &verify_s);
    if (rc == 0)
        rc = sw_env_int("SW_AUDIT_RETENTION_DAYS", 365, 1, 36500, &svc->audit_retention_days);
    if (rc == 0)
        rc = sw_env_int("SW_AUTH_RESET_TTL_S", 3600, 1, 86400, &reset_s);
    svc->verify_ttl_s = verify_s;
    svc->reset_ttl_s = reset_s;
    const char *app = sw_env_str("FRONTEND_URL", "http://127.0.0.1:8080");
    if (rc == 0 && (strncmp(app, "http://", 7) != 0 && strncmp(app, "https://", 8) != 0)) {
        sw_log_error("configuration: FRONTEND_URL must be an http(s) URL");
        rc = SW_EINVAL;
    }
    snprintf(svc->app_url, sizeof svc->app_url, "%s", app);
    size_t n = strlen(svc->app_url);
    while (n > 0 && svc->app_url[n - 1] == '/')
        svc->app_url[--n] = '\0';
    return rc;
}

bool auth_take_rate(struct sw_rpc_ctx *ctx, const struct sw_rate_rule *rule, struct sw_reply *reply)
{
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state rate;
    if (sw_rate_take(ctx->db, AUTH_RATE_TABLE, rule, client, &rate) == 0)
        sw_reply_rate(reply, &rate);
    return sw_reply_ok(reply);
}

void auth_client_key(const struct sw_rpc_ctx *ctx, char *out, size_t size)
{
    sw_rate_client_key(ctx->env->client_ip, out, size);
}

static int auth_start(const struct sw_service_env *env, void *service_ctx)
{
    const struct sw_config *cfg = env->cfg;
    struct auth_service *svc = service_ctx;
    svc->rpc_timeout_ms = cfg->rpc_timeout_ms;
    svc->tenants = env->peer[SW_SVC_TENANTS];
    svc->notify = env->peer[SW_SVC_NOTIFY];
    svc->pub = env->pub;
    int rc = auth_totp_init();
    if (rc == 0)
        rc = load_keys(cfg, svc);
    if (rc == 0) {
        derive_api_key_mac(svc);
        rc = load_limits(svc);
    }
    if (rc == 0)
        rc = load_settings(svc);
    if (rc == 0)
        rc = make_dummy_hash(svc);
    if (rc == 0)
        rc = register_metrics(cfg, svc);
    return rc ? rc : auth_audit_retention_start(svc, cfg->database_url);
}

static const enum sw_service_id PEERS[] = {SW_SVC_TENANTS, SW_SVC_NOTIFY};

SW_SERVICE_MAIN(auth, .id = SW_SVC_AUTH, .methods = METHODS, .n_methods = SW_ARRAY_LEN(METHODS),
                .peers = PEERS, .n_peers = SW_ARRAY_LEN(PEERS), .publishes = true,
                .ctx_size = sizeof(struct auth_service), .start = auth_start, .stop = auth_stop)
