/* sw-auth: entry point and service state. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "sw_keys.h"
#include "sw_log.h"
#include "sw_random.h"
#include "sw_service.h"
#include "sw_status.h"

extern const struct sw_migration auth_migrations[];
extern const size_t auth_migrations_count;

static const struct sw_rpc_method METHODS[] = {
    {"auth.Register", auth_register}, {"auth.Login", auth_login}, {"auth.Refresh", auth_refresh},
    {"auth.Logout", auth_logout},     {"auth.Me", auth_me},
};

void auth_meta_from_env(const Sw__Envelope *env, struct sw_rpc_meta *meta)
{
    *meta = (struct sw_rpc_meta){
        .request_id = env->request_id,
        .tenant_id = env->tenant_id,
        .tenant_schema = env->tenant_schema,
        .user_id = env->user_id,
        .role = env->role,
        .client_ip = env->client_ip,
        .session_id = env->session_id,
    };
}

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

static int auth_start(const struct sw_config *cfg, PGconn *db, void **service_ctx)
{
    (void)db;
    struct auth_service *svc = calloc(1, sizeof *svc);
    if (!svc || sw_random_init() != 0) {
        free(svc);
        return SW_EINTERNAL;
    }
    svc->rpc_timeout_ms = cfg->rpc_timeout_ms;
    svc->access_ttl_s = 300;
    svc->refresh_ttl_s = 7L * 24 * 3600;
    char private_alg[8];
    int rc = sw_keys_load(cfg, SW_KEY_PRIVATE, &svc->private_pem, &svc->private_len, private_alg);
    if (rc == 0)
        rc = sw_keys_load(cfg, SW_KEY_PUBLIC, &svc->public_key.pem, &svc->public_key.pem_len,
                          svc->public_key.alg);
    if (rc == 0 && strcmp(private_alg, svc->public_key.alg) != 0) {
        sw_log_error("configuration: the JWT private and public keys are of different types");
        rc = SW_EINVAL;
    }
    if (rc == 0)
        rc = sw_rpc_client_open(cfg->rpc_url[SW_SVC_TENANTS], &svc->tenants);
    if (rc == 0) {
        /* A throw-away hash so that unknown e-mails cost as much as known ones. */
        unsigned char noise[32];
        randombytes_buf(noise, sizeof noise);
        if (crypto_pwhash_str_alg(svc->dummy_hash, (const char *)noise, sizeof noise,
                                  crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                  crypto_pwhash_ALG_ARGON2ID13) != 0)
            rc = SW_EINTERNAL;
    }
    if (rc) {
        auth_stop(svc);
        return rc;
    }
    *service_ctx = svc;
    return 0;
}

int main(void)
{
    struct sw_service_def def = {
        .id = SW_SVC_AUTH,
        .migrations = auth_migrations,
        .n_migrations = auth_migrations_count,
        .methods = METHODS,
        .n_methods = sizeof METHODS / sizeof METHODS[0],
        .start = auth_start,
        .stop = auth_stop,
    };
    return sw_service_main(&def);
}
