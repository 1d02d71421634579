#include "runner.h"

#include <pthread.h>
#include <stdlib.h>

#include "exchange.h"
#include "feeder.h"
#include "loop.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_service.h"

struct chk_runner {
    const struct chk_settings *settings; /* borrowed */
    struct sw_rpc_client *client;
    struct chk_loop *loop;
    struct chk_exchange *ex;
    struct chk_feeder *feeder;
    pthread_t loop_thread;
    bool loop_started;
    int loop_rc; /* written by the loop thread before it ends */
    void (*on_fatal)(void *);
    void *on_fatal_arg;
};

static void *loop_main(void *arg)
{
    struct chk_runner *r = arg;
    r->loop_rc = chk_loop_run(r->loop, r->ex);
    if (r->loop_rc != 0) {
        /* Let the feeder wind down too, and tell the owner. */
        chk_exchange_stop(r->ex);
        if (r->on_fatal)
            r->on_fatal(r->on_fatal_arg);
    }
    return NULL;
}

/*
 * Outcomes may queue up to the concurrency plus a few batches: enough that
 * reporting never throttles leasing while sw-monitors keeps up, and a firm
 * bound on memory while it does not.
 */
static size_t outcome_capacity(const struct chk_settings *s)
{
    return (size_t)s->concurrency + 4 * (size_t)s->batch;
}

/* Frees what the runner holds once its threads have ended (or never started). */
static void release(struct chk_runner *r)
{
    chk_feeder_stop(r->feeder);
    chk_exchange_free(r->ex);
    chk_loop_free(r->loop);
    sw_rpc_client_close(r->client);
    free(r);
}

int chk_runner_start(const struct chk_settings *settings, void (*on_fatal)(void *), void *arg,
                     struct chk_runner **out)
{
    *out = NULL;
    struct chk_runner *r = calloc(1, sizeof *r);
    if (!r)
        return SW_ENOMEM;
    r->settings = settings;
    r->on_fatal = on_fatal;
    r->on_fatal_arg = arg;
    int rc =
        sw_service_dial(&settings->cfg, "checker", SW_SVC_MONITORS, SW_RPC_CHECKER, &r->client);
    if (rc == 0)
        rc = chk_loop_new(settings, &r->loop);
    if (rc == 0)
        rc = chk_exchange_new((size_t)settings->concurrency, outcome_capacity(settings),
                              chk_loop_wake, r->loop, &r->ex);
    if (rc == 0)
        rc = chk_exchange_observe(r->ex, settings->cfg.metrics);
    if (rc == 0)
        rc = chk_feeder_start(settings, r->client, r->ex, &r->feeder);
    if (rc != 0)
        goto out;
    r->loop_started = pthread_create(&r->loop_thread, NULL, loop_main, r) == 0;
    if (!r->loop_started) {
        sw_log_error("cannot start the transfer loop thread");
        rc = SW_EINTERNAL;
    }
out:
    if (rc != 0) {
        /* Without a loop the reporter would wait for it forever. */
        if (r->ex) {
            chk_exchange_stop(r->ex);
            chk_exchange_loop_done(r->ex);
        }
        release(r);
        return rc;
    }
    sw_log_info("checker %s started: %d transfers at once, leases of up to %d checks for %d s "
                "from %s",
                settings->checker_id, settings->concurrency, settings->batch,
                settings->lease_seconds, settings->cfg.checker_rpc_url);
    *out = r;
    return 0;
}

int chk_runner_stop(struct chk_runner *runner, int grace_ms)
{
    if (!runner)
        return 0;
    long long started = chk_mono_ms();
    /* The checks get the grace but what reporting their results needs. */
    int report_ms = grace_ms / 4 < CHK_REPORT_MARGIN_MS ? grace_ms / 4 : CHK_REPORT_MARGIN_MS;
    chk_exchange_stop_by(runner->ex, started + grace_ms - report_ms);
    /* The loop ends once the last leased check finished; then the reporter drains. */
    pthread_join(runner->loop_thread, NULL);
    int rc = runner->loop_rc;
    release(runner); /* the feeder's threads end here: the reporters drain */
    sw_log_info("checker stopped in %lld ms", chk_mono_ms() - started);
    return rc;
}
