/* sw-gateway: configuration, service clients, CivetWeb start and stop. */
#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drain.h"
#include "gateway.h"
#include "metrics.h"
#include "ping_limit.h"
#include "revocations.h"
#include "sw_civetweb.h"
#include "sw_keys.h"
#include "sw_log.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_sentry.h"
#include "sw_service.h"
#include "sw_shutdown.h"
#include "sw_status.h"
#include "tenant_access.h"
#include "token_cache.h"

static int load_settings(struct gateway *gw)
{
    int rc = sw_config_load(&gw->cfg);
    if (rc)
        return rc;
    sw_log_init("gateway", gw->cfg.log_level);
    if (!gw->cfg.database_url) {
        sw_log_error("configuration: DATABASE_URL is required");
        return SW_EINVAL;
    }
    int max_body = 0;
    rc = sw_env_int("SW_HTTP_MAX_BODY", 65536, 1024, 16 * 1024 * 1024, &max_body);
    if (rc == 0)
        rc = sw_env_int("SW_HTTP_REQUEST_TIMEOUT_MS", 10000, 1000, 300000, &gw->request_timeout_ms);
    gw->max_body = (size_t)max_body;
    if (rc == 0 && sw_cidr_list_parse(sw_env_str("SW_TRUSTED_PROXIES", ""), &gw->trusted_proxies)) {
        sw_log_error("configuration: SW_TRUSTED_PROXIES must be a comma-separated list of CIDRs");
        rc = SW_EINVAL;
    }
    snprintf(gw->web_root, sizeof gw->web_root, "%s", sw_env_str("SW_WEB_ROOT", "web/dist"));
    snprintf(gw->app_url, sizeof gw->app_url, "%s",
             sw_env_str("FRONTEND_URL", "http://127.0.0.1:8080"));
    int pings = 0;
    if (rc == 0)
        rc = sw_env_int("SW_RATE_LIMIT_PING_PER_MINUTE", 60, 1, 100000, &pings);
    if (rc == 0 && !(gw->ping_limit = gw_ping_limit_new(pings)))
        rc = SW_ENOMEM;
    return rc;
}

static int open_clients(struct gateway *gw)
{
    for (int i = 0; i < SW_SVC_COUNT; i++)
        if (sw_service_dial(&gw->cfg, "gateway", (enum sw_service_id)i, SW_RPC_PUBLIC,
                            &gw->rpc[i]) != 0)
            return SW_EUNAVAIL;
    return 0;
}

/*
 * CivetWeb 1.15 gives every connection a worker thread of its own, from the
 * moment it is accepted until it closes: a client that opens a connection
 * and sends nothing, or sends its headers a byte every few seconds, holds a
 * thread all that time. So the pool is large (idle threads cost a little
 * memory, no CPU), the headers of a request must arrive within the request
 * timeout and the next request on a kept-alive connection within the
 * keep-alive timeout, after which CivetWeb closes the connection. Sockets
 * accepted while every thread is busy wait in the connection queue, then in
 * the kernel's listen backlog, rather than being refused. docs/DECISIONS.md
 * has the measurements.
 */
static struct mg_context *start_http(struct gateway *gw)
{
    char ports[128], threads[16], request_timeout[16], keep_alive[16], queue[16];
    int n_threads = 0, keep_alive_ms = 0;
    if (sw_env_int("SW_HTTP_THREADS", 1024, 2, 8192, &n_threads) != 0 ||
        sw_env_int("SW_HTTP_KEEP_ALIVE_MS", 5000, 100, 300000, &keep_alive_ms) != 0)
        return NULL;
    snprintf(ports, sizeof ports, "%s:%s", sw_env_str("SW_HTTP_ADDR", "127.0.0.1"),
             sw_env_str("SW_HTTP_PORT", "8080"));
    snprintf(threads, sizeof threads, "%d", n_threads);
    snprintf(request_timeout, sizeof request_timeout, "%d", gw->request_timeout_ms);
    snprintf(keep_alive, sizeof keep_alive, "%d", keep_alive_ms);
    snprintf(queue, sizeof queue, "%d", n_threads < 256 ? n_threads : 256);
    /* Name, value pairs. tcp_nodelay: headers and body may leave in separate writes. */
    /* clang-format off */
    const char *options[] = {
        "listening_ports", ports,
        "num_threads", threads,
        "request_timeout_ms", request_timeout,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", keep_alive,
        "connection_queue", queue,
        "listen_backlog", "1024",
        "max_request_size", "16384",
        "enable_directory_listing", "no",
        "tcp_nodelay", "1",
        NULL,
    };
    /* clang-format on */
    char what[64];
    snprintf(what, sizeof what, "the API (%d threads)", n_threads);
    return sw_civetweb_start(options, gw_dispatch, gw, what);
}

/* sw-auth ended a user's logins: their earlier access tokens stop here too. */
static void on_revoked(void *arg, const char *topic, const char *payload)
{
    (void)topic;
    gw_revocations_add(arg, payload, (long)time(NULL));
}

static int open_revocations(struct gateway *gw)
{
    static const char *const topics[] = {"auth.user_revoked"};
    gw->revocations = gw_revocations_new();
    if (!gw->revocations)
        return SW_EINTERNAL;
    return sw_sub_open(gw->cfg.pub_url[SW_SVC_AUTH], topics, 1, on_revoked, gw->revocations,
                       &gw->revocation_sub);
}

int main(void)
{
    struct gateway *gw = calloc(1, sizeof *gw);
    struct mg_context *http = NULL;
    struct sw_sentry *sentry = NULL;
    int status = EXIT_FAILURE;
    if (!gw)
        return EXIT_FAILURE;
    sw_signals_block();
    sw_log_init("gateway", SW_LOG_INFO);
    mg_init_library(0);
    if (sw_random_init() != 0 || load_settings(gw) != 0 ||
        sw_sentry_start(&gw->cfg, "gateway", &sentry) != 0)
        goto out;
    if (sw_keys_load(&gw->cfg, SW_KEY_PUBLIC, &gw->jwt_key.pem, &gw->jwt_key.pem_len,
                     gw->jwt_key.alg) != 0)
        goto out;
    gw->metrics = gw_metrics_new(gw_route_count());
    gw->tokens = gw_token_cache_new();
    if (!gw->metrics || !gw->tokens || open_clients(gw) != 0 || gw_tenant_access_open(gw) != 0 ||
        open_revocations(gw) != 0)
        goto out;
    http = start_http(gw);
    if (!http)
        goto out;
    int sig = sw_signals_wait();
    /* No new connections; the requests in flight are answered (each bounded by its RPC
     * deadlines and the request timeout); then mg_stop closes idle connections and joins
     * the workers (drain.h). The watchdog bounds it all. */
    sw_log_info("signal %d: no more connections; answering those in flight", sig);
    sw_shutdown_watchdog(gw->cfg.shutdown_grace_ms);
    long long stopping = sw_mono_ms();
    struct gw_listeners listeners;
    gw_stop_accepting(http, &listeners);
    int left = gw_wait_idle(gw, stopping + gw->cfg.shutdown_grace_ms);
    if (left > 0)
        sw_log_warn("%d requests still in flight after %d ms (SW_SHUTDOWN_GRACE_MS)", left,
                    gw->cfg.shutdown_grace_ms);
    long long idle = sw_mono_ms();
    gw_stop_http(http, &listeners);
    http = NULL;
    sw_log_info("stopped in %lld ms (%lld answering the requests in flight)",
                sw_mono_ms() - stopping, idle - stopping);
    status = EXIT_SUCCESS;
out:
    if (http)
        mg_stop(http);
    gw_tenant_access_close(gw);
    sw_sub_close(gw->revocation_sub);
    gw_revocations_free(gw->revocations);
    for (int i = 0; i < SW_SVC_COUNT; i++)
        sw_rpc_client_close(gw->rpc[i]);
    gw_token_cache_free(gw->tokens);
    gw_metrics_free(gw->metrics);
    gw_ping_limit_free(gw->ping_limit);
    free(gw->jwt_key.pem);
    free(gw);
    mg_exit_library();
    sw_sentry_stop(sentry);
    return status;
}
