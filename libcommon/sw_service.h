/*
 * The common main() of a REP service: load and validate configuration, set up
 * logging, connect to PostgreSQL (waiting for it to come up), apply the
 * service's migrations, call the service's start hook, serve RPC with a pool
 * of workers until SIGINT or SIGTERM, then stop everything in reverse order.
 */
#ifndef SW_SERVICE_H
#define SW_SERVICE_H

#include <libpq-fe.h>

#include "sw_config.h"
#include "sw_migrate.h"
#include "sw_rpc.h"

struct sw_service_def {
    enum sw_service_id id;
    const struct sw_migration *migrations;
    size_t n_migrations;
    const struct sw_rpc_method *methods;
    size_t n_methods;
    /* Builds the shared state handed to handlers as ctx->service. */
    int (*start)(const struct sw_config *cfg, PGconn *db, void **service_ctx);
    void (*stop)(void *service_ctx);
};

/* Runs the service; returns the process exit status. */
int sw_service_main(const struct sw_service_def *def);

/* Blocks SIGINT, SIGTERM and SIGPIPE in the calling thread (before threads start). */
void sw_signals_block(void);
/* Waits for SIGINT or SIGTERM (blocked beforehand); returns the signal. */
int sw_signals_wait(void);

#endif
