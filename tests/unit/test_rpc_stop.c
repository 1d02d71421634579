/*
 * Stopping an RPC server while its workers are busy. Kept apart from
 * test_rpc.c because the failure mode is an abort of the whole process.
 */
#include <pthread.h>
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

static const struct sw_rpc_method METHODS[] = {
    {"test.Slow", &sw__health_request__descriptor, handle_slow, SW_RPC_ANY},
    {"test.Quick", &sw__health_request__descriptor, handle_quick, SW_RPC_ANY},
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

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_stops_cleanly_right_after_answering),
        cmocka_unit_test(test_server_stop_waits_for_a_running_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
