/*
 * Configuration from the environment, validated at start-up. A service calls
 * sw_config_load() once; every value is either taken from the environment or
 * from a documented default, and a malformed value is refused with a log line
 * naming the variable (the service then exits instead of guessing).
 *
 * The struct owns its strings (fixed buffers or pointers into the process
 * environment, which is never modified after start-up).
 */
#ifndef SW_CONFIG_H
#define SW_CONFIG_H

#include <stdbool.h>

#include "sw_log.h"

struct sw_metrics;

enum sw_service_id {
    SW_SVC_AUTH,
    SW_SVC_TENANTS,
    SW_SVC_MONITORS,
    SW_SVC_BILLING,
    SW_SVC_NOTIFY,
    SW_SVC_COUNT,
};

#define SW_URL_MAX 512

struct sw_config {
    bool production;          /* SW_ENV=production */
    const char *database_url; /* DATABASE_URL (required) */
    char var_dir[SW_URL_MAX]; /* SW_VAR_DIR [./var] */
    char rpc_url[SW_SVC_COUNT]
                [SW_URL_MAX]; /* SW_<SVC>_RPC_URL [ipc://<var>/rpc/<svc>.ipc]: internal callers */
    char public_rpc_url[SW_SVC_COUNT]
                       [SW_URL_MAX];  /* SW_<SVC>_PUBLIC_RPC_URL [ipc://<var>/rpc/<svc>-public.ipc]:
                                         the gateway */
    char checker_rpc_url[SW_URL_MAX]; /* SW_MONITORS_CHECKER_RPC_URL
                                         [ipc://<var>/rpc/monitors-checker.ipc] */
    int checker_workers;              /* SW_MONITORS_CHECKER_WORKERS [4], 1..64 */
    char tls_dir[SW_URL_MAX];         /* SW_TLS_DIR [<var>/tls]: certificates for tls+tcp:// */
    char pub_url[SW_SVC_COUNT]
                [SW_URL_MAX];    /* SW_<SVC>_PUB_URL [ipc://<var>/rpc/<svc>-events.ipc] */
    int workers;                 /* SW_WORKERS [4], 1..256 */
    int rpc_timeout_ms;          /* SW_RPC_TIMEOUT_MS [3000], 50..60000 */
    int shutdown_grace_ms;       /* SW_SHUTDOWN_GRACE_MS [10000], 0..600000: SIGTERM to exit */
    enum sw_log_level log_level; /* SW_LOG_LEVEL [info] */
    /* Not a setting: the process's metrics registry (sw_metrics.h), made by
     * sw_service_main() or sw-checker before the service starts, so that its
     * start hook can register its own metrics; NULL elsewhere (tools, tests). */
    struct sw_metrics *metrics;
};

/* Short lower-case name of a service ("auth", "tenants", …). */
const char *sw_service_name(enum sw_service_id id);

/* Fills cfg from the environment; SW_EINVAL if any value is malformed. */
int sw_config_load(struct sw_config *cfg);

/* A string setting: the variable's value if set and non-empty, else def. */
const char *sw_env_str(const char *name, const char *def);

/* An integer setting within [min, max]; SW_EINVAL (logged) if malformed. */
int sw_env_int(const char *name, int def, int min, int max, int *out);

/* A boolean setting (1/0, true/false, yes/no, on/off); SW_EINVAL if malformed. */
int sw_env_bool(const char *name, bool def, bool *out);

#endif
