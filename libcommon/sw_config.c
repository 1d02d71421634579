#include "sw_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sw_status.h"

static const char *const SERVICE_NAMES[SW_SVC_COUNT] = {
    [SW_SVC_AUTH] = "auth",       [SW_SVC_TENANTS] = "tenants", [SW_SVC_MONITORS] = "monitors",
    [SW_SVC_BILLING] = "billing", [SW_SVC_NOTIFY] = "notify",
};

const char *sw_service_name(enum sw_service_id id)
{
    return (id >= 0 && id < SW_SVC_COUNT) ? SERVICE_NAMES[id] : "unknown";
}

const char *sw_env_str(const char *name, const char *def)
{
    const char *value = getenv(name);
    return (value && *value) ? value : def;
}

int sw_env_int(const char *name, int def, int min, int max, int *out)
{
    const char *value = getenv(name);
    if (!value || !*value) {
        *out = def;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long parsed = strtol(value, &end, 10);
    if (errno || *end != '\0' || parsed < min || parsed > max) {
        sw_log_error("configuration: %s must be an integer between %d and %d", name, min, max);
        return SW_EINVAL;
    }
    *out = (int)parsed;
    return 0;
}

int sw_env_bool(const char *name, bool def, bool *out)
{
    const char *value = getenv(name);
    if (!value || !*value) {
        *out = def;
        return 0;
    }
    static const char *const truthy[] = {"1", "true", "yes", "on"};
    static const char *const falsy[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(value, truthy[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(value, falsy[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    sw_log_error("configuration: %s must be a boolean (true/false)", name);
    return SW_EINVAL;
}

/* Copies a URL setting into dst, refusing values that do not fit. */
static int url_setting(const char *name, const char *def, bool production, char *dst)
{
    const char *value = sw_env_str(name, def);
    if (strlen(value) >= SW_URL_MAX) {
        sw_log_error("configuration: %s is too long", name);
        return SW_EINVAL;
    }
    if (strncmp(value, "ipc://", 6) != 0 && strncmp(value, "tcp://", 6) != 0 &&
        strncmp(value, "tls+tcp://", 10) != 0 && strncmp(value, "inproc://", 9) != 0) {
        sw_log_error("configuration: %s must be an ipc://, tls+tcp://, tcp:// or inproc:// address",
                     name);
        return SW_EINVAL;
    }
    /* In production nothing crosses a network unauthenticated. */
    if (production && strncmp(value, "tcp://", 6) == 0) {
        sw_log_error("configuration: %s: production refuses plain tcp://; use tls+tcp://", name);
        return SW_EINVAL;
    }
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

int sw_config_load(struct sw_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    const char *env = sw_env_str("SW_ENV", "development");
    if (strcmp(env, "production") != 0 && strcmp(env, "development") != 0) {
        sw_log_error("configuration: SW_ENV must be 'development' or 'production'");
        return SW_EINVAL;
    }
    cfg->production = strcmp(env, "production") == 0;
    cfg->log_level = sw_log_level_parse(sw_env_str("SW_LOG_LEVEL", "info"));
    if (!getenv("SW_ENV"))
        sw_log(SW_LOG_WARN, NULL, NULL,
               "SW_ENV is not set: development mode (development keys and certificates, private"
               " test ranges allowed); set SW_ENV=production to refuse them");
    /* A checker that may reach private ranges is for tests and private deployments only. */
    if (cfg->production && sw_env_str("SW_CHECKER_ALLOW_CIDRS", "")[0]) {
        sw_log_error("configuration: SW_CHECKER_ALLOW_CIDRS must not be set in production");
        return SW_EINVAL;
    }

    const char *var_dir = sw_env_str("SW_VAR_DIR", "./var");
    if (strlen(var_dir) >= SW_URL_MAX - 64) {
        sw_log_error("configuration: SW_VAR_DIR is too long");
        return SW_EINVAL;
    }
    snprintf(cfg->var_dir, sizeof cfg->var_dir, "%s", var_dir);

    cfg->database_url = sw_env_str("DATABASE_URL", NULL);

    /* Workers are busy on the CPU (their own and PostgreSQL's) more than they
     * wait: more of them than cores only lengthens the tail (bench/api.sh). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int default_workers = cpus < 2 ? 2 : cpus > 64 ? 64 : (int)cpus;
    int rc = sw_env_int("SW_WORKERS", default_workers, 1, 256, &cfg->workers);
    if (rc == 0)
        rc = sw_env_int("SW_RPC_TIMEOUT_MS", 3000, 50, 60000, &cfg->rpc_timeout_ms);
    if (rc == 0)
        rc = sw_env_int("SW_SHUTDOWN_GRACE_MS", 10000, 0, 600000, &cfg->shutdown_grace_ms);
    for (int i = 0; rc == 0 && i < SW_SVC_COUNT; i++) {
        char name[64], def[SW_URL_MAX + 64];
        char upper[16];
        size_t n = 0;
        for (const char *s = SERVICE_NAMES[i]; *s && n < sizeof upper - 1; s++)
            upper[n++] = (char)(*s - 'a' + 'A');
        upper[n] = '\0';
        snprintf(name, sizeof name, "SW_%s_RPC_URL", upper);
        snprintf(def, sizeof def, "ipc://%s/rpc/%s.ipc", cfg->var_dir, SERVICE_NAMES[i]);
        rc = url_setting(name, def, cfg->production, cfg->rpc_url[i]);
        if (rc == 0) {
            snprintf(name, sizeof name, "SW_%s_PUB_URL", upper);
            snprintf(def, sizeof def, "ipc://%s/rpc/%s-events.ipc", cfg->var_dir, SERVICE_NAMES[i]);
            rc = url_setting(name, def, cfg->production, cfg->pub_url[i]);
        }
        if (rc == 0) {
            snprintf(name, sizeof name, "SW_%s_PUBLIC_RPC_URL", upper);
            snprintf(def, sizeof def, "ipc://%s/rpc/%s-public.ipc", cfg->var_dir, SERVICE_NAMES[i]);
            rc = url_setting(name, def, cfg->production, cfg->public_rpc_url[i]);
        }
    }
    if (rc == 0) {
        char def[SW_URL_MAX + 64];
        snprintf(def, sizeof def, "ipc://%s/rpc/monitors-checker.ipc", cfg->var_dir);
        rc = url_setting("SW_MONITORS_CHECKER_RPC_URL", def, cfg->production, cfg->checker_rpc_url);
    }
    if (rc == 0)
        rc = sw_env_int("SW_MONITORS_CHECKER_WORKERS", 4, 1, 64, &cfg->checker_workers);
    if (rc == 0) {
        char def[SW_URL_MAX + 16];
        snprintf(def, sizeof def, "%s/tls", cfg->var_dir);
        const char *dir = sw_env_str("SW_TLS_DIR", def);
        if (strlen(dir) >= sizeof cfg->tls_dir - 64) {
            sw_log_error("configuration: SW_TLS_DIR is too long");
            rc = SW_EINVAL;
        } else {
            snprintf(cfg->tls_dir, sizeof cfg->tls_dir, "%s", dir);
        }
    }
    return rc;
}
