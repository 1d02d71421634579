#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sw_file.h"
#include "sw_listener_watch.h"
#include "sw_log.h"
#include "sw_metrics.h"
#include "sw_pg.h"
#include "sw_rpc.h"
#include "sw_shutdown.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "sw_tls.h"

struct rpc_endpoint;

struct rpc_worker {
    struct rpc_endpoint *ep;
    nng_ctx ctx;
    nng_aio *aio;
    PGconn *db;
    pthread_t thread;
    bool started;
};

/* One listener: its socket, its role and its own workers. */
struct rpc_endpoint {
    struct sw_rpc_server *srv;
    struct sw_rpc_listener listener;
    nng_socket sock;
    bool sock_open;
    nng_listener nl;                /* valid while listening */
    bool listening;                 /* false: the watch listens again at its next look */
    struct sw_listener_watch watch; /* sw_listener_watch.h: replaced when it stops accepting */
    _Atomic uint64_t pipes;         /* connections the socket holds (its pipe events) */
    _Atomic uint64_t accepted;      /* connections handed to the socket so far */
    nng_tls_config *tls;
    struct rpc_worker *workers;
    int n_workers;
};

/* Calls by method and status, their latency, and the calls being served (NULL: none kept). */
struct rpc_metrics {
    struct sw_metric *calls, *seconds, *in_flight, *workers;
};

/*
 * After a drain has waited for the requests running, it keeps refusing new
 * ones this long before the sockets close: the last replies leave, and
 * callers that sent meanwhile learn to retry instead of losing the
 * connection under a request.
 */
#define DRAIN_LINGER_MS 150

struct sw_rpc_server {
    struct sw_rpc_server_opts opts;
    struct rpc_endpoint *endpoints;
    size_t n_endpoints;
    struct rpc_metrics metrics;
    struct sw_ticker *watch; /* looks at the listeners (sw_listener_watch.h) */
    pthread_mutex_t lock;    /* guards busy and draining */
    pthread_cond_t idle;     /* signalled when busy drops to 0 */
    int busy;                /* requests being handled, on every listener */
    bool draining;           /* new requests are refused with SW_RPC_SHUTTING_DOWN */
};

const char *sw_rpc_caller_name(enum sw_rpc_caller caller)
{
    switch (caller) {
    case SW_RPC_PUBLIC: return "public";
    case SW_RPC_INTERNAL: return "internal";
    case SW_RPC_CHECKER: return "checker";
    }
    return "unknown";
}

static const struct sw_rpc_method *find_method(const struct sw_rpc_server *srv, const char *name)
{
    for (size_t i = 0; i < srv->opts.n_methods; i++)
        if (strcmp(srv->opts.methods[i].name, name) == 0)
            return &srv->opts.methods[i];
    return NULL;
}

/* Unpacks the request, runs the handler, frees the request. */
static void dispatch(struct rpc_worker *w, const Sw__Envelope *env, struct sw_reply *reply)
{
    const struct sw_rpc_server *srv = w->ep->srv;
    enum sw_rpc_caller caller = w->ep->listener.caller;
    if (env->has_deadline_unix_ms && sw_now_ms() > env->deadline_unix_ms) {
        sw_reply_fail(reply, SW_DEADLINE_EXCEEDED, NULL, "The request expired before it ran.");
        return;
    }
    const struct sw_rpc_method *m = find_method(srv, env->method);
    if (!m) {
        sw_reply_fail(reply, SW_UNIMPLEMENTED, NULL, "Unknown method.");
        return;
    }
    if (!(m->callers & (unsigned)caller)) {
        sw_log(SW_LOG_WARN, env->request_id, env->tenant_id, "%s refused to a %s caller",
               env->method, sw_rpc_caller_name(caller));
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "caller_not_allowed",
                      "This method is not served to this caller.");
        return;
    }
    ProtobufCMessage *request =
        protobuf_c_message_unpack(m->request, NULL, env->body.len, env->body.data);
    if (!request) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "malformed_request", "Malformed request.");
        return;
    }
    if (w->db && sw_pg_ensure(w->db) != 0) {
        sw_reply_fail(reply, SW_UNAVAILABLE, "database_unavailable",
                      "The database is unavailable.");
    } else {
        struct sw_rpc_ctx ctx = {.env = env,
                                 .caller = caller,
                                 .db = w->db,
                                 .service = srv->opts.service_ctx,
                                 .host = srv->opts.host};
        m->handler(&ctx, request, reply);
        if (w->db)
            sw_pg_rollback(w->db); /* a handler that bailed out mid-transaction */
    }
    protobuf_c_message_free_unpacked(request, NULL);
    if (reply->status == SW_INTERNAL)
        sw_log(SW_LOG_ERROR, env->request_id, env->tenant_id, "%s failed: %s", env->method,
               reply->message);
}

/* Packs the reply into a new message; NULL if out of memory. */
static nng_msg *pack_reply(const struct sw_reply *reply)
{
    Sw__FieldError fe_store[SW_REPLY_MAX_FIELDS];
    Sw__FieldError *fe_ptrs[SW_REPLY_MAX_FIELDS];
    char *messages[SW_REPLY_MAX_FIELDS];
    size_t n_fe = 0, n_msg = 0;
    /* One FieldError per distinct field, its messages in order of addition. */
    for (size_t i = 0; i < reply->n_fields; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(reply->fields[j].field, reply->fields[i].field) == 0;
        if (seen)
            continue;
        Sw__FieldError *fe = &fe_store[n_fe];
        sw__field_error__init(fe);
        fe->field = (char *)reply->fields[i].field;
        fe->messages = &messages[n_msg];
        for (size_t k = i; k < reply->n_fields; k++)
            if (strcmp(reply->fields[k].field, fe->field) == 0)
                messages[n_msg++] = (char *)reply->fields[k].message;
        fe->n_messages = (size_t)(&messages[n_msg] - fe->messages);
        fe_ptrs[n_fe++] = fe;
    }
    Sw__Reply out = SW__REPLY__INIT;
    out.status = reply->status;
    out.message = (char *)reply->message;
    out.code = (char *)(reply->code[0] ? reply->code : sw_status_code(reply->status));
    out.n_errors = n_fe;
    out.errors = fe_ptrs;
    if (reply->status == SW_OK) {
        out.body.data = reply->body;
        out.body.len = reply->body_len;
    }
    Sw__RateLimit rate = SW__RATE_LIMIT__INIT;
    if (reply->has_rate) {
        rate.limit = reply->rate.limit;
        rate.remaining = reply->rate.remaining;
        rate.reset_s = reply->rate.reset_s;
        out.rate_limit = &rate;
    }

    nng_msg *msg = NULL;
    if (nng_msg_alloc(&msg, sw__reply__get_packed_size(&out)) != 0)
        return NULL;
    sw__reply__pack(&out, nng_msg_body(msg));
    return msg;
}

static double mono_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* One call served: an unknown method counts as "unknown", so callers cannot add series. */
static void observe(struct rpc_worker *w, const Sw__Envelope *env, int status, double seconds)
{
    const struct rpc_metrics *m = &w->ep->srv->metrics;
    const char *method = env && find_method(w->ep->srv, env->method) ? env->method : "unknown";
    sw_metric_add(m->calls, (const char *[]){method, sw_status_name(status)}, 1);
    sw_metric_observe(m->seconds, (const char *[]){method}, seconds);
}

/* Sends the packed reply on the worker's context (nothing if it could not be packed). */
static void send_answer(struct rpc_worker *w, nng_msg *answer)
{
    if (!answer)
        return;
    nng_aio_set_msg(w->aio, answer);
    nng_ctx_send(w->ctx, w->aio);
    nng_aio_wait(w->aio);
    if (nng_aio_result(w->aio) != 0)
        nng_msg_free(nng_aio_get_msg(w->aio)); /* a failed send leaves the message with us */
}

static void handle_message(struct rpc_worker *w, nng_msg *request)
{
    const char *role[] = {sw_rpc_caller_name(w->ep->listener.caller)};
    double started = mono_seconds();
    sw_metric_add(w->ep->srv->metrics.in_flight, role, 1);
    struct sw_reply reply;
    sw_reply_init(&reply);
    Sw__Envelope *env = sw__envelope__unpack(NULL, nng_msg_len(request), nng_msg_body(request));
    nng_msg_free(request);
    if (!env)
        sw_reply_fail(&reply, SW_INVALID_ARGUMENT, "malformed_request",
                      "Malformed request envelope.");
    else
        dispatch(w, env, &reply);

    nng_msg *answer = pack_reply(&reply);
    observe(w, env, reply.status, mono_seconds() - started);
    sw_metric_add(w->ep->srv->metrics.in_flight, role, -1);
    sw_reply_reset(&reply);
    if (env)
        sw__envelope__free_unpacked(env, NULL);
    send_answer(w, answer);
}

/* A request that arrived during a drain: not run, answered so that the caller retries. */
static void refuse_draining(struct rpc_worker *w, nng_msg *request)
{
    nng_msg_free(request);
    struct sw_reply reply;
    sw_reply_init(&reply);
    sw_reply_fail(&reply, SW_UNAVAILABLE, SW_RPC_SHUTTING_DOWN,
                  "The service is shutting down; the request did not run.");
    nng_msg *answer = pack_reply(&reply);
    sw_reply_reset(&reply);
    send_answer(w, answer);
}

/* Counts the request as running unless the server drains; true if it may run. */
static bool begin_request(struct sw_rpc_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    bool run = !srv->draining;
    if (run)
        srv->busy++;
    pthread_mutex_unlock(&srv->lock);
    return run;
}

static void end_request(struct sw_rpc_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    if (--srv->busy == 0)
        pthread_cond_broadcast(&srv->idle);
    pthread_mutex_unlock(&srv->lock);
}

static void *worker_main(void *arg)
{
    struct rpc_worker *w = arg;
    for (;;) {
        nng_ctx_recv(w->ctx, w->aio);
        nng_aio_wait(w->aio);
        int rv = nng_aio_result(w->aio);
        if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
            break;
        if (rv != 0)
            continue;
        struct sw_rpc_server *srv = w->ep->srv;
        if (!begin_request(srv)) {
            refuse_draining(w, nng_aio_get_msg(w->aio));
            continue;
        }
        handle_message(w, nng_aio_get_msg(w->aio));
        end_request(srv);
    }
    return NULL;
}

static void endpoint_stop(struct rpc_endpoint *ep)
{
    /* Stop the workers before closing the socket: a closed context fails its
     * operations with NNG_ECLOSED while the socket is still alive (closing the
     * socket first races with workers releasing their contexts in nng 1.5). */
    for (int i = 0; i < ep->n_workers; i++)
        if (ep->workers[i].started)
            nng_ctx_close(ep->workers[i].ctx);
    for (int i = 0; i < ep->n_workers; i++) {
        struct rpc_worker *w = &ep->workers[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        if (w->aio)
            nng_aio_free(w->aio);
        PQfinish(w->db);
    }
    if (ep->sock_open)
        nng_close(ep->sock);
    if (ep->tls)
        nng_tls_config_free(ep->tls);
    free(ep->workers);
}

void sw_rpc_server_stop(struct sw_rpc_server *srv)
{
    if (!srv)
        return;
    sw_ticker_stop(srv->watch);
    for (size_t i = 0; srv->endpoints && i < srv->n_endpoints; i++)
        endpoint_stop(&srv->endpoints[i]);
    free(srv->endpoints);
    pthread_cond_destroy(&srv->idle);
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}

/* Sleeps until the monotonic time `until`. */
static void sleep_until(long long until)
{
    long long left = until - sw_mono_ms();
    if (left <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)(left / 1000),
                          .tv_nsec = (long)(left % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int sw_rpc_server_drain(struct sw_rpc_server *srv, int grace_ms)
{
    if (!srv)
        return 0;
    long long deadline = sw_mono_ms() + grace_ms;
    pthread_mutex_lock(&srv->lock);
    srv->draining = true;
    int running = srv->busy;
    while (srv->busy > 0 && sw_mono_ms() < deadline) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 50L * 1000000L; /* the condition variable's clock is CLOCK_MONOTONIC */
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&srv->idle, &srv->lock, &until);
    }
    int left = srv->busy;
    pthread_mutex_unlock(&srv->lock);
    if (left > 0) {
        sw_log_warn("%d of %d requests still running after %d ms (SW_SHUTDOWN_GRACE_MS); their "
                    "replies are lost",
                    left, running, grace_ms);
        return SW_EUNAVAIL;
    }
    long long linger = sw_mono_ms() + DRAIN_LINGER_MS;
    sleep_until(linger < deadline ? linger : deadline);
    sw_log_info("drained: %d request%s finished, new ones refused", running,
                running == 1 ? "" : "s");
    return 0;
}

/* Counts the connections the listener hands to the socket, and their ends. */
static void on_pipe(nng_pipe pipe, nng_pipe_ev event, void *arg)
{
    (void)pipe;
    struct rpc_endpoint *ep = arg;
    if (event == NNG_PIPE_EV_ADD_POST) {
        atomic_fetch_add(&ep->pipes, 1);
        atomic_fetch_add(&ep->accepted, 1);
    } else if (event == NNG_PIPE_EV_REM_POST) {
        uint64_t n = atomic_load(&ep->pipes);
        while (n > 0 && !atomic_compare_exchange_weak(&ep->pipes, &n, n - 1)) {
        }
    }
}

static int endpoint_listen(struct rpc_endpoint *ep, const struct sw_tls *tls)
{
    const char *url = ep->listener.url;
    nng_listener listener;
    int rv = nng_listener_create(&listener, ep->sock, url);
    /* The TLS configuration is made once and kept for a listener made afresh. */
    if (rv == 0 && sw_tls_url(url)) {
        if (!ep->tls && (!tls || sw_tls_server_config(tls, ep->listener.caller, &ep->tls) != 0)) {
            sw_log_error("%s needs TLS certificates (SW_TLS_DIR)", url);
            nng_listener_close(listener);
            return SW_EINVAL;
        }
        rv = nng_listener_set_ptr(listener, NNG_OPT_TLS_CONFIG, ep->tls);
    }
    if (rv == 0) {
        sw_ipc_dir_make(url);
        rv = nng_listener_start(listener, 0);
    }
    if (rv) {
        sw_log_error("cannot listen on %s: %s", url, nng_strerror(rv));
        return SW_EUNAVAIL;
    }
    ep->nl = listener;
    ep->listening = true;
    ep->watch = (struct sw_listener_watch){0};
    return 0;
}

/*
 * One look at every listener: one that stopped accepting (nng 1.5's bug,
 * sw_listener_watch.h) is closed, which also drops the connections parked in
 * it, and made afresh on the same socket; its callers dial again.
 */
static long long watch_listeners(struct sw_ticker *ticker, void *arg)
{
    struct sw_rpc_server *srv = arg;
    for (size_t i = 0; i < srv->n_endpoints && !sw_ticker_stopping(ticker); i++) {
        struct rpc_endpoint *ep = &srv->endpoints[i];
        if (ep->listening &&
            sw_listener_stuck(&ep->watch, ep->listener.url, atomic_load(&ep->pipes),
                              atomic_load(&ep->accepted), sw_mono_ms())) {
            sw_log_warn("%s: connections waited %d ms while the listener accepted none (nng 1.5 "
                        "listener bug); listening afresh",
                        ep->listener.url, SW_LISTENER_STUCK_MS);
            nng_listener_close(ep->nl);
            ep->listening = false;
            int dropped = sw_listener_drop_parked(ep->listener.url);
            if (dropped > 0)
                sw_log_warn("%s: closed %d connection%s the old listener had parked",
                            ep->listener.url, dropped, dropped == 1 ? "" : "s");
        }
        if (!ep->listening)
            endpoint_listen(ep, srv->opts.tls);
    }
    return sw_now_ms() + SW_LISTENER_WATCH_MS;
}

static int endpoint_start(struct sw_rpc_server *srv, struct rpc_endpoint *ep,
                          const struct sw_rpc_listener *listener)
{
    ep->srv = srv;
    ep->listener = *listener;
    int workers = listener->workers > 0 ? listener->workers : 1;
    const char *role[] = {sw_rpc_caller_name(listener->caller)};
    sw_metric_set(srv->metrics.workers, role, workers);
    sw_metric_add(srv->metrics.in_flight, role, 0);
    ep->workers = calloc((size_t)workers, sizeof *ep->workers);
    if (!ep->workers || nng_rep0_open(&ep->sock) != 0)
        return SW_EINTERNAL;
    ep->sock_open = true;
    nng_pipe_notify(ep->sock, NNG_PIPE_EV_ADD_POST, on_pipe, ep);
    nng_pipe_notify(ep->sock, NNG_PIPE_EV_REM_POST, on_pipe, ep);
    int rc = 0;
    for (int i = 0; rc == 0 && i < workers; i++) {
        struct rpc_worker *w = &ep->workers[i];
        w->ep = ep;
        ep->n_workers = i + 1;
        if (nng_ctx_open(&w->ctx, ep->sock) != 0 || nng_aio_alloc(&w->aio, NULL, NULL) != 0)
            rc = SW_EINTERNAL;
        if (rc == 0 && srv->opts.database_url)
            rc = sw_pg_connect(srv->opts.database_url, 10000, &w->db);
    }
    if (rc == 0)
        rc = endpoint_listen(ep, srv->opts.tls);
    for (int i = 0; rc == 0 && i < ep->n_workers; i++) {
        struct rpc_worker *w = &ep->workers[i];
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
            rc = SW_EINTERNAL;
        else
            w->started = true;
    }
    return rc;
}

int sw_rpc_server_start(const struct sw_rpc_server_opts *opts, struct sw_rpc_server **out)
{
    *out = NULL;
    struct sw_rpc_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return SW_EINTERNAL;
    srv->opts = *opts;
    pthread_mutex_init(&srv->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->idle, &attr);
    pthread_condattr_destroy(&attr);
    srv->metrics = (struct rpc_metrics){
        sw_metrics_counter(opts->metrics, "sw_rpc_requests_total",
                           "RPC calls served, by method and reply status.", "method,status"),
        sw_metrics_histogram(opts->metrics, "sw_rpc_request_duration_seconds",
                             "Time to serve an RPC call, by method.", "method", NULL, 0),
        sw_metrics_gauge(opts->metrics, "sw_rpc_in_flight",
                         "RPC calls being served, by listener (caller role).", "listener"),
        sw_metrics_gauge(opts->metrics, "sw_rpc_workers",
                         "Worker threads, by listener: in flight at this many, calls queue.",
                         "listener"),
    };
    srv->endpoints = calloc(opts->n_listeners ? opts->n_listeners : 1, sizeof *srv->endpoints);
    int rc = srv->endpoints ? 0 : SW_EINTERNAL;
    for (size_t i = 0; rc == 0 && i < opts->n_listeners; i++) {
        srv->n_endpoints = i + 1;
        rc = endpoint_start(srv, &srv->endpoints[i], &opts->listeners[i]);
    }
    if (rc == 0 &&
        sw_ticker_start(sw_now_ms() + SW_LISTENER_WATCH_MS, watch_listeners, srv, &srv->watch) != 0)
        rc = SW_EINTERNAL;
    if (rc) {
        sw_rpc_server_stop(srv);
        return rc;
    }
    *out = srv;
    return 0;
}
