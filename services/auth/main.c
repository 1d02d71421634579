/* sw-auth: entry point, method table and service state. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "sw_keys.h"
#include "sw_log.h"
#include "sw_random.h"
#include "sw_service.h"
#include "sw_status.h"

/* Only the gateway calls sw-auth, always on behalf of someone at its HTTP door. */
static const struct sw_rpc_method METHODS[] = {
    {"auth.Register", &sw__auth__register_request__descriptor, auth_register, SW_RPC_PUBLIC},
    {"auth.Login", &sw__auth__login_request__descriptor, auth_login, SW_RPC_PUBLIC},
    {"auth.Refresh", &sw__auth__refresh_request__descriptor, auth_refresh, SW_RPC_PUBLIC},
    {"auth.Logout", &sw__auth__logout_request__descriptor, auth_logout, SW_RPC_PUBLIC},
    {"auth.Me", &sw__auth__me_request__descriptor, auth_me, SW_RPC_PUBLIC},
};

static void auth_stop(void *service_ctx)
{
    struct auth_service *svc = service_ctx;
    sw_rpc_client_close(svc->tenants);
    if (svc->private_pem)
        sodium_memzero(svc->private_pem, svc->private_len);
    free(svc->private_pem);
    free(svc->public_key.pem);
    free(svc);
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

/* The rate limits: "<name> per window", each settable by its variable. */
static int load_limits(struct auth_service *svc)
{
    svc->register_rule = (struct sw_rate_rule){"register", 5, 3600};
    svc->login_ip_rule = (struct sw_rate_rule){"login_ip", 10, 3600};
    svc->login_email_rule = (struct sw_rate_rule){"login_email", 10, 3600};
    int rc =
        sw_env_int("SW_RATE_LIMIT_REGISTER_PER_HOUR", 5, 1, 1000000, &svc->register_rule.limit);
    if (rc == 0)
        rc = sw_env_int("SW_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR", 10, 1, 1000000,
                        &svc->login_ip_rule.limit);
    svc->login_email_rule.limit = svc->login_ip_rule.limit;
    return rc;
}

void auth_client_key(const struct sw_rpc_ctx *ctx, char *out, size_t size)
{
    sw_rate_client_key(ctx->env->client_ip, out, size);
}

static int auth_start(const struct sw_config *cfg, PGconn *db, void **service_ctx)
{
    (void)db;
    struct auth_service *svc = calloc(1, sizeof *svc);
    if (!svc || sw_random_init() != 0) {
        free(svc);
        return SW_EINTERNAL;
    }
    svc->rpc_timeout_ms = cfg->rpc_timeout_ms;
    int rc = load_keys(cfg, svc);
    if (rc == 0)
        rc = load_limits(svc);
    if (rc == 0)
        rc = sw_service_dial(cfg, "auth", SW_SVC_TENANTS, SW_RPC_INTERNAL, &svc->tenants);
    if (rc == 0)
        rc = make_dummy_hash(svc);
    if (rc == 0)
        *service_ctx = svc;
    else
        auth_stop(svc);
    return rc;
}

SW_SERVICE_MAIN(SW_SVC_AUTH, auth, METHODS, auth_start, auth_stop)
