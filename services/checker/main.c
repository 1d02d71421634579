/*
 * sw-checker: loads and validates its settings, starts the checker and runs
 * it until SIGINT or SIGTERM, then stops gracefully (the checks in flight
 * finish and are reported) and exits 0 with everything freed.
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "runner.h"
#include "settings.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_sentry.h"
#include "sw_service.h"

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

int main(void)
{
    struct sw_config cfg;
    struct chk_settings settings;
    struct chk_runner *runner = NULL;
    struct sw_sentry *sentry = NULL;
    int status = EXIT_FAILURE;
    bool curl_ready = false;

    sw_signals_block();
    sw_log_init("checker", SW_LOG_INFO);
    if (sw_config_load(&cfg) != 0)
        goto out;
    sw_log_init("checker", cfg.log_level);
    if (chk_settings_load(&cfg, &settings) != 0)
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
    if (chk_runner_start(&settings, stop_on_fatal, NULL, &runner) != 0)
        goto out;
    int sig = sw_signals_wait();
    sw_log_info("signal %d: no more leases; finishing the checks in flight", sig);
    status = chk_runner_stop(runner) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
out:
    sw_sentry_stop(sentry);
    if (curl_ready)
        curl_global_cleanup();
    return status;
}
