/*
 * Stopping an RPC server while its workers are busy. Kept apart from
 * test_rpc.c because the failure mode is an abort of the whole process.
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "envelope.pb-c.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "unit.h"

#define SLOW_HANDLER_MS 300

static void handle_slow(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    (void)request;
    (void)reply;
    struct timespec pause = {0, SLOW_HANDLER_MS * 1000000L};
    nanosleep(&pause, NULL);
}

static void handle_quick(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    (void)request;
    (void)reply;
}

/* Counts its runs in the server's service context (an _Atomic int), if any. */
static void handle_counted(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    (void)reply;
    if (ctx->service)
        atomic_fetch_add((_Atomic int *)ctx->service, 1);
}

static const struct sw_rpc_method METHODS[] = {
    {"test.Slow", &sw__health_request__descriptor, handle_slow, SW_RPC_ANY},
    {"test.Quick", &sw__health_request__descriptor, handle_quick, SW_RPC_ANY},
    {"test.Counted", &sw__health_request__descriptor, handle_counted, SW_RPC_ANY},
};

static struct sw_rpc_server_opts server_opts(const struct sw_rpc_listener *listener)
{
    return (struct sw_rpc_server_opts){
        .service = "test",
        .listeners = listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
}

/*
 * Right after a reply the worker is re-arming its receive; closing the socket
 * at that moment used to make nng lock a destroyed mutex and abort.
 */
static void test_server_stops_cleanly_right_after_answering(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        char url[64];
        snprintf(url, sizeof url, "inproc://sw-test-stop-%d-%d", (int)getpid(), i);
        struct sw_rpc_listener listener = {url, SW_RPC_INTERNAL, 4};
        struct sw_rpc_server_opts opts = server_opts(&listener);
        struct sw_rpc_server *srv = NULL;
        struct sw_rpc_client *client = NULL;
        assert_int_equal(sw_rpc_server_start(&opts, &srv), 0);
        assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
        Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
        struct sw_rpc_result res;
        assert_int_equal(sw_rpc_call(client, NULL, "test.Quick", &req.base, NULL, 5000, &res), 0);
        assert_int_equal(res.reply->status, SW_OK);
        sw_rpc_result_free(&res);
        sw_rpc_server_stop(srv);
        sw_rpc_client_close(client);
    }
}

struct slow_call {
    struct sw_rpc_client *client;
    int rc;
};

static void *slow_caller(void *arg)
{
    struct slow_call *c = arg;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    c->rc = sw_rpc_call(c->client, NULL, "test.Slow", &req.base, NULL, 1000, &res);
    sw_rpc_result_free(&res);
    return NULL;
}

static void test_server_stop_waits_for_a_running_handler(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "inproc://sw-test-stop-slow-%d", (int)getpid());
    struct sw_rpc_listener listener = {url, SW_RPC_INTERNAL, 4};
    struct sw_rpc_server_opts opts = server_opts(&listener);
    struct sw_rpc_server *srv = NULL;
    struct slow_call call = {NULL, 1};
    assert_int_equal(sw_rpc_server_start(&opts, &srv), 0);
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &call.client), 0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, slow_caller, &call), 0);
    struct timespec pause = {0, 100 * 1000000L}; /* the handler is now sleeping */
    nanosleep(&pause, NULL);
    long long start = sw_now_ms();
    sw_rpc_server_stop(srv);
    long long took = sw_now_ms() - start;
    pthread_join(thread, NULL);
    sw_rpc_client_close(call.client);
    /* The reply could not be sent any more: the caller gives up at its deadline. */
    assert_int_equal(call.rc, SW_EUNAVAIL);
    assert_true(took < 5LL * SLOW_HANDLER_MS);
}

static void pause_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static void ipc_url(char *url, size_t size, const char *what)
{
    snprintf(url, size, "ipc:///tmp/sw-test-%s-%d.ipc", what, (int)getpid());
}

/* A drain lets the running request finish and answer, then returns. */
static void test_drain_answers_the_running_request(void **state)
{
    (void)state;
    char url[96];
    ipc_url(url, sizeof url, "drain");
    struct sw_rpc_listener listener = {url, SW_RPC_INTERNAL, 2};
    struct sw_rpc_server_opts opts = server_opts(&listener);
    struct sw_rpc_server *srv = NULL;
    struct slow_call call = {NULL, 1};
    assert_int_equal(sw_rpc_server_start(&opts, &srv), 0);
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &call.client), 0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, slow_caller, &call), 0);
    pause_ms(100); /* the handler is now sleeping */
    long long start = sw_now_ms();
    assert_int_equal(sw_rpc_server_drain(srv, 5000), 0);
    long long took = sw_now_ms() - start;
    sw_rpc_server_stop(srv);
    pthread_join(thread, NULL);
    sw_rpc_client_close(call.client);
    assert_int_equal(call.rc, 0);
    assert_true(took >= SLOW_HANDLER_MS - 150 && took < 2LL * SLOW_HANDLER_MS + 500);
}

/* The replacement: drain and stop the old server, then start the next one on its URL. */
struct rollover {
    struct sw_rpc_server *old;
    struct sw_rpc_server_opts next_opts;
    struct sw_rpc_server *next;
};

static void *rollover_main(void *arg)
{
    struct rollover *r = arg;
    sw_rpc_server_drain(r->old, 5000);
    sw_rpc_server_stop(r->old);
    pause_ms(200); /* a restart takes a while */
    if (sw_rpc_server_start(&r->next_opts, &r->next) != 0)
        r->next = NULL;
    return NULL;
}

/*
 * A write sent while its server drains is refused without running, sent
 * again by the client, and runs once, on the server that comes next.
 */
static void test_a_call_during_a_drain_runs_once_on_the_next_server(void **state)
{
    (void)state;
    char url[96];
    ipc_url(url, sizeof url, "rollover");
    _Atomic int runs_old = 0, runs_next = 0;
    struct sw_rpc_listener listener = {url, SW_RPC_INTERNAL, 2};
    struct sw_rpc_server_opts opts = server_opts(&listener);
    opts.service_ctx = (void *)&runs_old;
    struct rollover r = {.next_opts = server_opts(&listener)};
    r.next_opts.service_ctx = (void *)&runs_next;
    struct slow_call slow = {NULL, 1};
    assert_int_equal(sw_rpc_server_start(&opts, &r.old), 0);
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &slow.client), 0);
    pthread_t slow_thread, rollover_thread;
    assert_int_equal(pthread_create(&slow_thread, NULL, slow_caller, &slow), 0);
    pause_ms(50);
    assert_int_equal(pthread_create(&rollover_thread, NULL, rollover_main, &r), 0);
    pause_ms(50); /* draining: the slow call still runs */

    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    int rc = sw_rpc_call(slow.client, NULL, "test.Counted", &req.base, NULL, 3000, &res);
    sw_rpc_result_free(&res);
    pthread_join(slow_thread, NULL);
    pthread_join(rollover_thread, NULL);
    sw_rpc_server_stop(r.next);
    sw_rpc_client_close(slow.client);

    assert_int_equal(slow.rc, 0);
    assert_int_equal(rc, 0);
    assert_non_null(r.next);
    assert_int_equal(atomic_load(&runs_old), 0);
    assert_int_equal(atomic_load(&runs_next), 1);
}

/* A peer that takes one request and dies without answering; then a real server replaces it. */
struct dying_peer {
    const char *url;
    _Atomic int *runs;
    bool received;
    struct sw_rpc_server *next;
};

static void *dying_peer_main(void *arg)
{
    struct dying_peer *d = arg;
    nng_socket sock;
    if (nng_rep0_open(&sock) != 0)
        return NULL;
    nng_msg *msg = NULL;
    if (nng_listen(sock, d->url, NULL, 0) == 0 && nng_recvmsg(sock, &msg, 0) == 0) {
        d->received = true;
        nng_msg_free(msg);
    }
    nng_close(sock);
    pause_ms(100);
    struct sw_rpc_listener listener = {d->url, SW_RPC_INTERNAL, 1};
    struct sw_rpc_server_opts opts = server_opts(&listener);
    opts.service_ctx = (void *)d->runs;
    if (sw_rpc_server_start(&opts, &d->next) != 0)
        d->next = NULL;
    return NULL;
}

/* One call through a dying peer; its return code, *runs and *took_ms tell what happened. */
static int call_through_a_dying_peer(bool idempotent, _Atomic int *runs, long long *took_ms)
{
    char url[96];
    ipc_url(url, sizeof url, idempotent ? "reset-idempotent" : "reset");
    struct dying_peer peer = {.url = url, .runs = runs};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, dying_peer_main, &peer), 0);
    pause_ms(100);
    struct sw_rpc_client *client = NULL;
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
    struct sw_rpc_meta meta = {.idempotent = idempotent};
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    long long start = sw_now_ms();
    int rc = sw_rpc_call(client, &meta, "test.Counted", &req.base, NULL, 3000, &res);
    *took_ms = sw_now_ms() - start;
    sw_rpc_result_free(&res);
    pthread_join(thread, NULL);
    assert_true(peer.received);
    sw_rpc_server_stop(peer.next);
    sw_rpc_client_close(client);
    return rc;
}

/* It may have run before the peer died: a write is not sent again, a read is. */
static void test_a_reset_connection_is_resent_only_for_idempotent_calls(void **state)
{
    (void)state;
    _Atomic int runs = 0;
    long long took = 0;
    assert_int_equal(call_through_a_dying_peer(false, &runs, &took), SW_EUNAVAIL);
    assert_int_equal(atomic_load(&runs), 0);
    assert_true(took < 1500); /* at the reset, not at the deadline */
    assert_int_equal(call_through_a_dying_peer(true, &runs, &took), 0);
    assert_int_equal(atomic_load(&runs), 1);
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_stops_cleanly_right_after_answering),
        cmocka_unit_test(test_server_stop_waits_for_a_running_handler),
        cmocka_unit_test(test_drain_answers_the_running_request),
        cmocka_unit_test(test_a_call_during_a_drain_runs_once_on_the_next_server),
        cmocka_unit_test(test_a_reset_connection_is_resent_only_for_idempotent_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
