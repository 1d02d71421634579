#include "sw_service.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_audit.h"
#include "sw_log.h"
#include "sw_metrics.h"
#include "sw_ops_http.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_sentry.h"
#include "sw_shutdown.h"
#include "sw_status.h"

/* What the health method needs to know of the running service. */
struct service_host {
    const struct sw_service_def *def;
    const char *name;
};

void sw_signals_block(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int sw_signals_wait(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

struct sw_tls sw_service_tls(const struct sw_config *cfg, const char *name)
{
    struct sw_tls tls;
    memset(&tls, 0, sizeof tls);
    snprintf(tls.dir, sizeof tls.dir, "%s", cfg->tls_dir);
    snprintf(tls.name, sizeof tls.name, "%s", name);
    return tls;
}

int sw_service_dial(const struct sw_config *cfg, const char *self, enum sw_service_id target,
                    enum sw_rpc_caller as, struct sw_rpc_client **out)
{
    const char *url = as == SW_RPC_CHECKER  ? cfg->checker_rpc_url
                      : as == SW_RPC_PUBLIC ? cfg->public_rpc_url[target]
                                            : cfg->rpc_url[target];
    struct sw_tls tls = sw_service_tls(cfg, self);
    if (sw_tls_url(url) && sw_tls_check(&tls, false) != 0)
        return SW_EINVAL;
    return sw_rpc_client_open(url, &tls, sw_service_name(target), out);
}

/* "<service>.Health": database reachable and every migration applied. */
static void health(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    const struct service_host *host = ctx->host;
    Sw__HealthReply out = SW__HEALTH_REPLY__INIT;
    out.version = "1";
    int pending = 0;
    out.database_ok = sw_pg_exec(ctx->db, "SELECT 1", 0, NULL) == 0;
    out.migrations_applied = out.database_ok &&
                             sw_migrate_pending(ctx->db, host->name, host->def->migrations,
                                                host->def->n_migrations, &pending) == 0 &&
                             pending == 0;
    sw_reply_body(reply, &out.base);
}

/* The ops listener's /health/ready beyond the database: every migration applied. */
static int migrations_ready(void *arg, PGconn *db, char *why, size_t why_size)
{
    const struct service_host *host = arg;
    int pending = 0;
    if (sw_migrate_pending(db, host->name, host->def->migrations, host->def->n_migrations,
                           &pending) == 0 &&
        pending == 0)
        return 0;
    snprintf(why, why_size, "migrations_pending");
    return 1;
}

/* The service's methods and the health method, in one table (owned by the caller). */
static struct sw_rpc_method *method_table(const struct sw_service_def *def, const char *name,
                                          char *health_name, size_t health_size, size_t *n)
{
    struct sw_rpc_method *methods = calloc(def->n_methods + 1, sizeof *methods);
    if (!methods)
        return NULL;
    memcpy(methods, def->methods, def->n_methods * sizeof *methods);
    snprintf(health_name, health_size, "%s.Health", name);
    methods[def->n_methods] =
        (struct sw_rpc_method){health_name, &sw__health_request__descriptor, health, SW_RPC_ANY};
    *n = def->n_methods + 1;
    return methods;
}

/* The clients of def->peers and the publisher, before start runs. */
static int env_open(const struct sw_service_def *def, const char *name, struct sw_service_env *env)
{
    for (size_t i = 0; i < def->n_peers; i++)
        if (sw_service_dial(env->cfg, name, def->peers[i], SW_RPC_INTERNAL,
                            &env->peer[def->peers[i]]) != 0)
            return SW_EINVAL;
    return def->publishes ? sw_pub_open(env->cfg->pub_url[def->id], &env->pub) : 0;
}

static void env_close(struct sw_service_env *env)
{
    for (int i = 0; i < SW_SVC_COUNT; i++)
        sw_rpc_client_close(env->peer[i]);
    sw_pub_close(env->pub);
}

/* def->subs, once the state their callbacks are handed is ready. */
static int subs_open(const struct sw_service_def *def, const struct sw_config *cfg,
                     void *service_ctx, struct sw_sub **subs)
{
    for (size_t i = 0; i < def->n_subs; i++) {
        const struct sw_service_sub *sub = &def->subs[i];
        if (sw_sub_open(cfg->pub_url[sub->from], sub->topics, sub->n_topics, sub->fn, service_ctx,
                        &subs[i]) != 0)
            return SW_EINVAL;
    }
    return 0;
}

static void subs_close(const struct sw_service_def *def, struct sw_sub **subs)
{
    for (size_t i = 0; subs && i < def->n_subs; i++)
        sw_sub_close(subs[i]);
    free(subs);
}

/* Serves the listeners and the operations port until SIGINT or SIGTERM; 0 after a signal. */
static int serve(const struct sw_service_def *def, const char *name, const struct sw_config *cfg,
                 const struct sw_ops_settings *ops_settings, void *service_ctx)
{
    struct sw_tls tls = sw_service_tls(cfg, name);
    struct sw_rpc_listener listeners[3] = {
        {cfg->public_rpc_url[def->id], SW_RPC_PUBLIC, cfg->workers},
        {cfg->rpc_url[def->id], SW_RPC_INTERNAL, cfg->workers},
        {cfg->checker_rpc_url, SW_RPC_CHECKER, cfg->checker_workers},
    };
    bool serves_checkers = false;
    for (size_t i = 0; i < def->n_methods; i++)
        serves_checkers = serves_checkers || (def->methods[i].callers & SW_RPC_CHECKER);
    size_t n_listeners = serves_checkers ? 3 : 2;
    bool any_tls = false;
    for (size_t i = 0; i < n_listeners; i++)
        any_tls = any_tls || sw_tls_url(listeners[i].url);
    if (any_tls && sw_tls_check(&tls, true) != 0)
        return SW_EINVAL;

    struct service_host host = {.def = def, .name = name};
    char health_name[64];
    size_t n_methods = 0;
    struct sw_rpc_method *methods =
        method_table(def, name, health_name, sizeof health_name, &n_methods);
    if (!methods)
        return SW_EINTERNAL;
    struct sw_rpc_server_opts opts = {
        .service = name,
        .listeners = listeners,
        .n_listeners = n_listeners,
        .database_url = cfg->database_url,
        .methods = methods,
        .n_methods = n_methods,
        .service_ctx = service_ctx,
        .host = &host,
        .tls = &tls,
        .metrics = cfg->metrics,
    };
    struct sw_rpc_server *srv = NULL;
    struct sw_ops_http *ops = NULL;
    struct sw_ops_http_opts ops_opts = {.service = name,
                                        .settings = *ops_settings,
                                        .metrics = cfg->metrics,
                                        .database_url = cfg->database_url,
                                        .ready = migrations_ready,
                                        .ready_arg = &host};
    int rc = sw_rpc_server_start(&opts, &srv);
    if (rc == 0)
        rc = sw_ops_http_start(&ops_opts, &ops);
    if (rc == 0) {
        for (size_t i = 0; i < n_listeners; i++)
            sw_log_info("serving %s callers on %s with %d workers",
                        sw_rpc_caller_name(listeners[i].caller), listeners[i].url,
                        listeners[i].workers);
        int sig = sw_signals_wait();
        /* Graceful: running requests are answered, new ones refused (callers send them
         * again elsewhere); the operations port still answers meanwhile. */
        sw_log_info("signal %d: draining for up to %d ms", sig, cfg->shutdown_grace_ms);
        sw_shutdown_watchdog(cfg->shutdown_grace_ms);
        sw_rpc_server_drain(srv, cfg->shutdown_grace_ms);
    }
    long long closing = sw_mono_ms();
    sw_ops_http_stop(ops);
    sw_rpc_server_stop(srv);
    if (rc == 0)
        sw_log_info("listeners closed in %lld ms", sw_mono_ms() - closing);
    free(methods);
    return rc;
}

/* Everything between the database and the signal: the service's state and its connections. */
static int run(const struct sw_service_def *def, const char *name, const struct sw_config *cfg,
               const struct sw_ops_settings *ops_settings, PGconn *db)
{
    if (sw_random_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return SW_EINTERNAL;
    struct sw_service_env env = {.cfg = cfg, .db = db};
    void *service_ctx = calloc(1, def->ctx_size ? def->ctx_size : 1);
    struct sw_sub **subs = calloc(def->n_subs + 1, sizeof *subs);
    int rc = service_ctx && subs ? env_open(def, name, &env) : SW_EINTERNAL;
    bool started = false;
    if (rc == 0) {
        started = true;
        rc = def->start ? def->start(&env, service_ctx) : 0;
    }
    if (rc == 0)
        rc = subs_open(def, cfg, service_ctx, subs);
    if (rc == 0)
        rc = serve(def, name, cfg, ops_settings, service_ctx);
    long long stopping = sw_mono_ms();
    subs_close(def, subs);
    if (started && def->stop)
        def->stop(service_ctx);
    if (rc == 0)
        sw_log_info("background jobs stopped in %lld ms", sw_mono_ms() - stopping);
    free(service_ctx);
    env_close(&env);
    curl_global_cleanup();
    return rc;
}

int sw_service_main(const struct sw_service_def *def)
{
    const char *name = sw_service_name(def->id);
    struct sw_config cfg;
    PGconn *db = NULL;
    struct sw_sentry *sentry = NULL;
    struct sw_ops_settings ops_settings;
    int status = EXIT_FAILURE;

    sw_signals_block();
    sw_log_init(name, SW_LOG_INFO);
    if (sw_config_load(&cfg) != 0 || sw_ops_settings_load(name, &ops_settings) != 0)
        return EXIT_FAILURE;
    sw_log_init(name, cfg.log_level);
    /* Error reports from here on, before the first thread starts. */
    if (sw_sentry_start(&cfg, name, &sentry) != 0)
        return EXIT_FAILURE;
    /* Before the start hook, which may register the service's own metrics. */
    cfg.metrics = sw_metrics_new();
    if (!cfg.metrics)
        sw_log_error("out of memory");
    else if (!cfg.database_url)
        sw_log_error("configuration: DATABASE_URL is required");
    /* The audit log first: every service's changes may write to it. */
    else if (sw_pg_connect(cfg.database_url, 30000, &db) == 0 &&
             sw_migrate_apply(db, "audit", sw_audit_migrations, sw_audit_migrations_count) == 0 &&
             sw_migrate_apply(db, name, def->migrations, def->n_migrations) == 0 &&
             run(def, name, &cfg, &ops_settings, db) == 0)
        status = EXIT_SUCCESS;
    PQfinish(db);
    sw_metrics_free(cfg.metrics); /* after stop: the service's threads may record until then */
    sw_sentry_stop(sentry);
    return status;
}
