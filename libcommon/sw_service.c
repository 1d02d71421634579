#include "sw_service.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

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

int sw_service_main(const struct sw_service_def *def)
{
    const char *name = sw_service_name(def->id);
    struct sw_config cfg;
    PGconn *db = NULL;
    void *service_ctx = NULL;
    struct sw_rpc_server *srv = NULL;
    int status = EXIT_FAILURE;

    sw_signals_block();
    sw_log_init(name, SW_LOG_INFO);
    if (sw_config_load(&cfg) != 0)
        return EXIT_FAILURE;
    sw_log_init(name, cfg.log_level);
    if (!cfg.database_url) {
        sw_log_error("configuration: DATABASE_URL is required");
        return EXIT_FAILURE;
    }
    if (sw_pg_connect(cfg.database_url, 30000, &db) != 0)
        return EXIT_FAILURE;
    if (sw_migrate_apply(db, name, def->migrations, def->n_migrations) != 0)
        goto out;
    if (def->start && def->start(&cfg, db, &service_ctx) != 0)
        goto out;

    struct sw_rpc_server_opts opts = {
        .service = name,
        .url = cfg.rpc_url[def->id],
        .workers = cfg.workers,
        .database_url = cfg.database_url,
        .methods = def->methods,
        .n_methods = def->n_methods,
        .migrations = def->migrations,
        .n_migrations = def->n_migrations,
        .service_ctx = service_ctx,
    };
    if (sw_rpc_server_start(&opts, &srv) != 0)
        goto out;
    sw_log_info("serving on %s with %d workers", opts.url, opts.workers);
    int sig = sw_signals_wait();
    sw_log_info("signal %d: stopping", sig);
    status = EXIT_SUCCESS;
out:
    sw_rpc_server_stop(srv);
    if (def->stop && service_ctx)
        def->stop(service_ctx);
    PQfinish(db);
    return status;
}
