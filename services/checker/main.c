/*
 * sw-checker: loads and validates its settings, starts the checker and runs
 * it until SIGINT or SIGTERM, then stops gracefully (the checks in flight
 * finish and are reported, within SW_SHUTDOWN_GRACE_MS) and exits 0 with
 * everything freed. Its metrics and health are on its operations port
 * (SW_CHECKER_METRICS_PORT).
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "probe_dns.h"
#include "runner.h"
#include "settings.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_metrics.h"
#include "sw_ops_http.h"
#include "sw_sentry.h"
#include "sw_service.h"
#include "sw_shutdown.h"

/* Sockets besides the transfers: RPC, the resolver, logs, curl's wake-up pipe. */
#define SPARE_FDS 64

/* The transfer loop failed beyond repair: stop as if asked to, exit non-zero. */
static void stop_on_fatal(void *arg)
{
    (void)arg;
    kill(getpid(), SIGTERM);
}

/*
 * Every transfer in flight holds a socket: raise the soft descriptor limit
 * towards the hard one if the concurrency needs it, and say so if it cannot.
 */
static void fit_fd_limit(int concurrency)
{
    struct rlimit limit;
    rlim_t needed = (rlim_t)concurrency + SPARE_FDS;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= needed ? needed
                                                                                 : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < needed)
        sw_log_warn("SW_CHECKER_CONCURRENCY=%d needs about %lu file descriptors but the limit is "
                    "%lu; transfers beyond it fail to connect",
                    concurrency, (unsigned long)needed, (unsigned long)limit.rlim_cur);
}

/*
 * The loop must never block: DNS has to run on curl's resolver threads, and
 * the options the checker relies on exist from curl 7.85 on.
 */
static int check_curl(void)
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    if (info->version_num < 0x075500 || !(info->features & CURL_VERSION_ASYNCHDNS)) {
        sw_log_error("libcurl %s is unsuitable: 7.85 or later with asynchronous DNS is required",
                     info->version);
        return -1;
    }
    return 0;
}

#define READY_TIMEOUT_MS 1000

/* Ready when sw-monitors answers monitors.Health on the checkers' listener. */
static int monitors_ready(void *arg, PGconn *db, char *why, size_t why_size)
{
    (void)db;
    Sw__HealthRequest msg = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    int rc = sw_rpc_call(arg, NULL, "monitors.Health", &msg.base, NULL, READY_TIMEOUT_MS, &res);
    sw_rpc_result_free(&res);
    if (rc != 0)
        snprintf(why, why_size, "monitors_unavailable");
    return rc;
}

int main(void)
{
    struct sw_config cfg;
    struct chk_settings settings;
    struct chk_runner *runner = NULL;
    struct sw_sentry *sentry = NULL;
    struct sw_metrics *metrics = NULL;
    struct sw_ops_settings ops_settings;
    struct sw_ops_http *ops = NULL;
    struct sw_rpc_client *probe = NULL;
    int status = EXIT_FAILURE;
    bool curl_ready = false;

    sw_signals_block();
    sw_log_init("checker", SW_LOG_INFO);
    if (sw_config_load(&cfg) != 0)
        goto out;
    sw_log_init("checker", cfg.log_level);
    if (sw_ops_settings_load("checker", &ops_settings) != 0)
        goto out;
    if (chk_dns_init() != 0) {
        sw_log_error("cannot initialise c-ares");
        goto out;
    }
    cfg.metrics = metrics = sw_metrics_new(); /* the settings keep a copy of cfg */
    if (!metrics || chk_settings_load(&cfg, &settings) != 0)
        goto out;
    /* Before any thread exists, as curl requires. */
    curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_ready) {
        sw_log_error("cannot initialise libcurl");
        goto out;
    }
    if (check_curl() != 0 || sw_sentry_start(&cfg, "checker", &sentry) != 0)
        goto out;
    fit_fd_limit(settings.concurrency);
    if (settings.allow.n > 0)
        sw_log_warn("SW_CHECKER_ALLOW_CIDRS lets checks reach %zu non-public range(s); meant for "
                    "tests and private deployments",
                    settings.allow.n);
    if (chk_runner_start(&settings, stop_on_fatal, NULL, &runner) != 0 ||
        sw_service_dial(&cfg, "checker", SW_SVC_MONITORS, SW_RPC_CHECKER, &probe) != 0)
        goto out;
    struct sw_ops_http_opts ops_opts = {.service = "checker",
                                        .settings = ops_settings,
                                        .metrics = metrics,
                                        .ready = monitors_ready,
                                        .ready_arg = probe};
    if (sw_ops_http_start(&ops_opts, &ops) != 0)
        goto out;
    int sig = sw_signals_wait();
    sw_log_info("signal %d: no more leases; finishing the checks in flight (at most %d ms)", sig,
                cfg.shutdown_grace_ms);
    sw_shutdown_watchdog(cfg.shutdown_grace_ms);
    /* The operations port first: its collector reads the runner's exchange. */
    sw_ops_http_stop(ops);
    ops = NULL;
    status = chk_runner_stop(runner, cfg.shutdown_grace_ms) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    runner = NULL;
out:
    sw_ops_http_stop(ops);
    chk_runner_stop(runner, 0);
    sw_rpc_client_close(probe);
    sw_metrics_free(metrics);
    sw_sentry_stop(sentry);
    if (curl_ready)
        curl_global_cleanup();
    chk_dns_cleanup();
    return status;
}
