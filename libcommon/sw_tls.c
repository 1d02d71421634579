#include "sw_tls.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sw_log.h"
#include "sw_status.h"

bool sw_tls_url(const char *url) { return url && strncmp(url, "tls+tcp", 7) == 0; }

static const char *ca_of(enum sw_rpc_caller caller)
{
    switch (caller) {
    case SW_RPC_PUBLIC: return "ca-gateway.pem";
    case SW_RPC_CHECKER: return "ca-checker.pem";
    default: return "ca-internal.pem";
    }
}

static int path_of(const struct sw_tls *tls, const char *file, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/%s", tls->dir, file);
    return n < 0 || (size_t)n >= size ? SW_EINVAL : 0;
}

static int readable(const struct sw_tls *tls, const char *file)
{
    char path[640];
    if (path_of(tls, file, path, sizeof path) != 0 || access(path, R_OK) != 0) {
        sw_log_error("configuration: TLS file %s/%s is missing (SW_TLS_DIR)", tls->dir, file);
        return SW_EINVAL;
    }
    return 0;
}

int sw_tls_check(const struct sw_tls *tls, bool serves)
{
    char own[64];
    snprintf(own, sizeof own, "%s.pem", tls->name);
    int rc = readable(tls, own);
    if (rc == 0)
        rc = readable(tls, "ca-internal.pem");
    if (rc == 0 && serves)
        rc = readable(tls, "ca-gateway.pem");
    return rc;
}

/* Own certificate and key, the trusted CA, and a required peer certificate. */
static int configure(const struct sw_tls *tls, nng_tls_mode mode, const char *ca_file,
                     nng_tls_config **out)
{
    char own[640], ca[640], own_file[64];
    *out = NULL;
    snprintf(own_file, sizeof own_file, "%s.pem", tls->name);
    if (path_of(tls, own_file, own, sizeof own) != 0 || path_of(tls, ca_file, ca, sizeof ca) != 0)
        return SW_EINVAL;
    nng_tls_config *cfg = NULL;
    int rv = nng_tls_config_alloc(&cfg, mode);
    if (rv == 0)
        rv = nng_tls_config_version(cfg, NNG_TLS_1_2, NNG_TLS_1_3);
    if (rv == 0)
        rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
    if (rv == 0)
        rv = nng_tls_config_ca_file(cfg, ca);
    if (rv == 0)
        rv = nng_tls_config_cert_key_file(cfg, own, NULL);
    if (rv) {
        sw_log_error("TLS configuration from %s: %s", tls->dir, nng_strerror(rv));
        if (cfg)
            nng_tls_config_free(cfg);
        return SW_EINVAL;
    }
    *out = cfg;
    return 0;
}

int sw_tls_server_config(const struct sw_tls *tls, enum sw_rpc_caller caller, nng_tls_config **out)
{
    return configure(tls, NNG_TLS_MODE_SERVER, ca_of(caller), out);
}

int sw_tls_client_config(const struct sw_tls *tls, const char *server_name, nng_tls_config **out)
{
    int rc = configure(tls, NNG_TLS_MODE_CLIENT, "ca-internal.pem", out);
    if (rc == 0 && nng_tls_config_server_name(*out, server_name) != 0) {
        nng_tls_config_free(*out);
        *out = NULL;
        rc = SW_EINVAL;
    }
    return rc;
}
