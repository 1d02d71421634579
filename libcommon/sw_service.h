/*
 * The common main() of a REP service: load and validate configuration, set up
 * logging, connect to PostgreSQL (waiting for it to come up), apply the
 * service's migrations, call the service's start hook, serve RPC until SIGINT
 * or SIGTERM, then drain (running requests answered, new ones refused so
 * that callers retry; at most SW_SHUTDOWN_GRACE_MS, sw_shutdown.h) and stop
 * everything in reverse order: the stop hook ends the service's background
 * jobs after their current run.
 *
 * Every service listens twice: on SW_<SVC>_PUBLIC_RPC_URL for the gateway
 * (methods marked SW_RPC_PUBLIC) and on SW_<SVC>_RPC_URL for other services
 * (SW_RPC_INTERNAL), each with SW_WORKERS workers, so a flood of user calls
 * cannot starve service-to-service calls. sw-monitors adds the checker's
 * listener (SW_MONITORS_CHECKER_RPC_URL, SW_MONITORS_CHECKER_WORKERS): a
 * service listens for checkers when a method of its table names them. The
 * service layer adds "<service>.Health" to every listener: database
 * reachable and every migration applied.
 *
 * Each service also serves /metrics and /health on its operations port
 * (sw_ops_http.h, SW_<SVC>_METRICS_ADDR/_PORT): every RPC call counted by
 * method and status with its latency; env->cfg->metrics, handed to the
 * start hook, is where the service registers its own.
 */
#ifndef SW_SERVICE_H
#define SW_SERVICE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "sw_config.h"
#include "sw_migrate.h"
#include "sw_pubsub.h"
#include "sw_rpc.h"
#include "sw_tls.h"

struct sw_pub;
struct sw_sub;

/* A subscription the service layer holds for a service: fn(service_ctx, topic, payload). */
struct sw_service_sub {
    enum sw_service_id from; /* whose SW_<SVC>_PUB_URL */
    const char *const *topics;
    size_t n_topics;
    sw_sub_fn fn;
};

/* What the service layer has set up when start runs; it owns all of it. */
struct sw_service_env {
    const struct sw_config *cfg;
    PGconn *db;                               /* the start-up connection (not a worker's) */
    struct sw_pub *pub;                       /* SW_<SVC>_PUB_URL, when def->publishes */
    struct sw_rpc_client *peer[SW_SVC_COUNT]; /* internal-caller clients of def->peers */
};

struct sw_service_def {
    enum sw_service_id id;
    const struct sw_migration *migrations;
    size_t n_migrations;
    const struct sw_rpc_method *methods;
    size_t n_methods;
    const enum sw_service_id *peers; /* the services it calls, as an internal caller */
    size_t n_peers;
    bool publishes;
    const struct sw_service_sub *subs; /* opened after start, closed before stop */
    size_t n_subs;
    /*
     * The shared state handed to handlers as ctx->service: the service layer
     * allocates ctx_size zeroed bytes, start fills them (it may keep the
     * env's pointers: they live until after stop), stop releases what start
     * acquired (it also runs after a start that failed halfway, so it must
     * accept a partly filled state), and the service layer frees them.
     */
    size_t ctx_size;
    int (*start)(const struct sw_service_env *env, void *service_ctx);
    void (*stop)(void *service_ctx);
};

/* Runs the service; returns the process exit status. */
int sw_service_main(const struct sw_service_def *def);

#define SW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The whole main() of a service: the prefix its migrations were embedded
 * under (cmake/embed_sql.cmake: <prefix>_migrations), then the rest of its
 * struct sw_service_def as designated initialisers. libsodium and libcurl are
 * initialised before start runs.
 *
 *     SW_SERVICE_MAIN(tenants, .id = SW_SVC_TENANTS, .methods = METHODS,
 *                     .n_methods = SW_ARRAY_LEN(METHODS), .publishes = true,
 *                     .ctx_size = sizeof(struct tenants_service), .start = start)
 */
#define SW_SERVICE_MAIN(prefix, ...)                                                               \
    extern const struct sw_migration prefix##_migrations[];                                        \
    extern const size_t prefix##_migrations_count;                                                 \
    int main(void)                                                                                 \
    {                                                                                              \
        const struct sw_service_def def = {.migrations = prefix##_migrations,                      \
                                           .n_migrations = prefix##_migrations_count,              \
                                           __VA_ARGS__};                                           \
        return sw_service_main(&def);                                                              \
    }

/* This process's TLS identity (paths from cfg->tls_dir, certificate <name>.pem). */
struct sw_tls sw_service_tls(const struct sw_config *cfg, const char *name);

/*
 * Opens a client to service `target` as a caller of role `as` (the gateway
 * is SW_RPC_PUBLIC, services SW_RPC_INTERNAL, checkers SW_RPC_CHECKER): the
 * address of that role's listener and, for tls+tcp://, this process's
 * certificate (`self` names it).
 */
int sw_service_dial(const struct sw_config *cfg, const char *self, enum sw_service_id target,
                    enum sw_rpc_caller as, struct sw_rpc_client **out);

/* Blocks SIGINT, SIGTERM and SIGPIPE in the calling thread (before threads start). */
void sw_signals_block(void);
/* Waits for SIGINT or SIGTERM (blocked beforehand); returns the signal. */
int sw_signals_wait(void);

#endif
