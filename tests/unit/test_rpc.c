/*
 * RPC round trips between sw_rpc_call() and a server started in-process, over
 * inproc:// and over ipc:// in a temporary folder. Assertions stay on the test
 * thread; handlers only compute replies.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "envelope.pb-c.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "unit.h"

#define SLOW_HANDLER_MS 1000
#define SHORT_TIMEOUT_MS 200
#define CALL_TIMEOUT_MS 5000

/* ---- handlers ------------------------------------------------------------ */

/* Replies with the request, field for field. */
static void handle_echo(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    const Sw__FieldError *req = request;
    sw_reply_body(reply, &req->base);
}

/* Replies INVALID_ARGUMENT with two errors on one field and one on another. */
static void handle_fields(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    (void)request;
    sw_reply_field(reply, "email", "Enter a valid email address.");
    sw_reply_field(reply, "password", "Password must be at least 12 characters long.");
    sw_reply_field(reply, "email", "This email is already registered.");
}

/* Sleeps well past any short caller timeout, then answers. */
static void handle_slow(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    (void)request;
    (void)reply;
    struct timespec pause = {SLOW_HANDLER_MS / 1000, (SLOW_HANDLER_MS % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* Fails the way a handler whose helper returned SW_EPERM does. */
static void handle_denied(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    (void)request;
    sw_reply_fail_rc(reply, SW_EPERM);
}

/* Replies with the envelope it received (without the body), to check metadata. */
static void handle_whoami(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__Envelope copy = *ctx->env;
    copy.body.data = NULL;
    copy.body.len = 0;
    sw_reply_body(reply, &copy.base);
}

/* Answers with the caller role of the listener, as the version string. */
static void handle_role(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__HealthReply out = SW__HEALTH_REPLY__INIT;
    out.version = (char *)sw_rpc_caller_name(ctx->caller);
    sw_reply_body(reply, &out.base);
}

static const struct sw_rpc_method METHODS[] = {
    {"test.Echo", &sw__field_error__descriptor, handle_echo, SW_RPC_ANY},
    {"test.Fields", &sw__health_request__descriptor, handle_fields, SW_RPC_ANY},
    {"test.Slow", &sw__health_request__descriptor, handle_slow, SW_RPC_ANY},
    {"test.Denied", &sw__health_request__descriptor, handle_denied, SW_RPC_ANY},
    {"test.Whoami", &sw__health_request__descriptor, handle_whoami, SW_RPC_ANY},
    {"test.Role", &sw__health_request__descriptor, handle_role, SW_RPC_ANY},
    {"test.Internal", &sw__health_request__descriptor, handle_role, SW_RPC_INTERNAL},
    {"test.Checker", &sw__health_request__descriptor, handle_role, SW_RPC_CHECKER},
};

/* ---- fixture ------------------------------------------------------------- */

struct fixture {
    char dir[64]; /* temp folder for ipc:// sockets, "" for inproc:// */
    char url[160];
    struct sw_rpc_server *server;
    struct sw_rpc_client *client;
};

/* Calls test.Echo; 0 when it answered OK. */
static int echo_ok(struct sw_rpc_client *client, int timeout_ms)
{
    Sw__FieldError req = SW__FIELD_ERROR__INIT;
    req.field = "ping";
    struct sw_rpc_result res;
    int rc = sw_rpc_call(client, NULL, "test.Echo", &req.base, NULL, timeout_ms, &res);
    sw_rpc_result_free(&res);
    return rc;
}

static int start_server(struct fixture *f)
{
    struct sw_rpc_listener listener = {f->url, SW_RPC_PUBLIC, 4};
    struct sw_rpc_server_opts opts = {
        .service = "test",
        .listeners = &listener,
        .n_listeners = 1,
        .database_url = NULL,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
    if (sw_rpc_server_start(&opts, &f->server) != 0 ||
        sw_rpc_client_open(f->url, NULL, NULL, &f->client) != 0)
        return -1;
    /*
     * Wait until the client is connected: nng 1.5 leaks the half-built pipe
     * of a socket closed while its ipc:// handshake is still running, which
     * a test that never calls (or only fails to start a server) would do.
     */
    return echo_ok(f->client, CALL_TIMEOUT_MS);
}

static int setup_inproc(void **state)
{
    static int counter;
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->url, sizeof f->url, "inproc://sw-test-rpc-%d-%d", (int)getpid(), ++counter);
    *state = f;
    return start_server(f);
}

/* The socket lives one folder down, which the server must create itself. */
static int setup_ipc(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    snprintf(f->dir, sizeof f->dir, "/tmp/sw-unit-rpc.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->url, sizeof f->url, "ipc://%s/rpc/test.ipc", f->dir);
    return start_server(f);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    sw_rpc_client_close(f->client);
    sw_rpc_server_stop(f->server);
    if (f->dir[0]) {
        char path[200];
        snprintf(path, sizeof path, "%s/rpc/test.ipc", f->dir);
        unlink(path);
        snprintf(path, sizeof path, "%s/rpc", f->dir);
        rmdir(path);
        rmdir(f->dir);
    }
    free(f);
    return 0;
}

/* ---- tests --------------------------------------------------------------- */

static void test_echo_round_trip_returns_the_request_body(void **state)
{
    struct fixture *f = *state;
    char *messages[] = {"first", "second"};
    Sw__FieldError req = SW__FIELD_ERROR__INIT;
    req.field = "hello";
    req.messages = messages;
    req.n_messages = 2;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Echo", &req.base,
                                 &sw__field_error__descriptor, CALL_TIMEOUT_MS, &res),
                     0);
    assert_non_null(res.reply);
    assert_int_equal(res.reply->status, SW_OK);
    assert_non_null(res.body);
    const Sw__FieldError *echo = (const Sw__FieldError *)res.body;
    assert_string_equal(echo->field, "hello");
    assert_int_equal(echo->n_messages, 2);
    assert_string_equal(echo->messages[0], "first");
    assert_string_equal(echo->messages[1], "second");
    sw_rpc_result_free(&res);
    assert_null(res.reply);
    assert_null(res.body);
}

static void test_echo_round_trip_over_ipc_in_a_temp_dir(void **state)
{
    struct fixture *f = *state;
    Sw__FieldError req = SW__FIELD_ERROR__INIT;
    req.field = "ipc";
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Echo", &req.base,
                                 &sw__field_error__descriptor, CALL_TIMEOUT_MS, &res),
                     0);
    assert_string_equal(((const Sw__FieldError *)res.body)->field, "ipc");
    sw_rpc_result_free(&res);
}

static void test_empty_request_body_round_trips(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Role", &req.base,
                                 &sw__health_reply__descriptor, CALL_TIMEOUT_MS, &res),
                     0);
    assert_string_equal(((const Sw__HealthReply *)res.body)->version, "public");
    sw_rpc_result_free(&res);
}

static void test_request_that_does_not_unpack_is_invalid_argument(void **state)
{
    struct fixture *f = *state;
    /* An empty body lacks FieldError's required `field`: the server must refuse it
     * before any handler runs. */
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Echo", &req.base,
                                 &sw__field_error__descriptor, CALL_TIMEOUT_MS, &res),
                     SW_EINVAL);
    assert_int_equal(res.reply->status, SW_INVALID_ARGUMENT);
    assert_string_equal(res.reply->code, "malformed_request");
    assert_null(res.body);
    sw_rpc_result_free(&res);
}

static void test_reply_without_descriptor_leaves_body_packed(void **state)
{
    struct fixture *f = *state;
    Sw__FieldError req = SW__FIELD_ERROR__INIT;
    req.field = "raw";
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Echo", &req.base, NULL, CALL_TIMEOUT_MS,
                                 &res),
                     0);
    assert_int_equal(res.reply->status, SW_OK);
    assert_null(res.body);
    assert_int_equal(res.reply->body.len, sw__field_error__get_packed_size(&req));
    sw_rpc_result_free(&res);
}

static void test_field_errors_arrive_grouped_by_field(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Fields", &req.base,
                                 &sw__health_reply__descriptor, CALL_TIMEOUT_MS, &res),
                     SW_EINVAL);
    const Sw__Reply *r = res.reply;
    assert_int_equal(r->status, SW_INVALID_ARGUMENT);
    assert_string_equal(r->code, "invalid");
    assert_null(res.body); /* no body is unpacked for a failed call */
    assert_int_equal(r->n_errors, 2);
    assert_string_equal(r->errors[0]->field, "email");
    assert_int_equal(r->errors[0]->n_messages, 2);
    assert_string_equal(r->errors[0]->messages[0], "Enter a valid email address.");
    assert_string_equal(r->errors[0]->messages[1], "This email is already registered.");
    assert_string_equal(r->errors[1]->field, "password");
    assert_int_equal(r->errors[1]->n_messages, 1);
    assert_string_equal(r->errors[1]->messages[0], "Password must be at least 12 characters long.");
    sw_rpc_result_free(&res);
}

static void test_helper_error_code_becomes_reply_status(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Denied", &req.base, NULL, CALL_TIMEOUT_MS,
                                 &res),
                     SW_EPERM);
    assert_int_equal(res.reply->status, SW_PERMISSION_DENIED);
    assert_string_equal(res.reply->code, "permission_denied");
    assert_true(strlen(res.reply->message) > 0);
    sw_rpc_result_free(&res);
}

static void test_unknown_method_is_unimplemented(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.NoSuchMethod", &req.base,
                                 &sw__health_reply__descriptor, CALL_TIMEOUT_MS, &res),
                     -SW_UNIMPLEMENTED);
    assert_int_equal(res.reply->status, SW_UNIMPLEMENTED);
    assert_null(res.body);
    sw_rpc_result_free(&res);
}

static void test_method_of_another_caller_role_is_permission_denied(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    const char *methods[] = {"test.Internal", "test.Checker"};
    for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
        struct sw_rpc_result res;
        assert_int_equal(sw_rpc_call(f->client, NULL, methods[i], &req.base,
                                     &sw__health_reply__descriptor, CALL_TIMEOUT_MS, &res),
                         SW_EPERM);
        assert_string_equal(res.reply->code, "caller_not_allowed");
        sw_rpc_result_free(&res);
    }
}

static void test_caller_metadata_reaches_the_handler(void **state)
{
    struct fixture *f = *state;
    struct sw_rpc_meta meta = {
        .request_id = "req-42",
        .tenant_id = "tenant-1",
        .tenant_schema = "t_tenant1",
        .user_id = "user-7",
        .role = "admin",
        .client_ip = "203.0.113.9",
        .session_id = "sess-3",
    };
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    long long before = sw_now_ms();
    assert_int_equal(sw_rpc_call(f->client, &meta, "test.Whoami", &req.base,
                                 &sw__envelope__descriptor, CALL_TIMEOUT_MS, &res),
                     0);
    assert_int_equal(res.reply->status, SW_OK);
    const Sw__Envelope *env = (const Sw__Envelope *)res.body;
    assert_string_equal(env->method, "test.Whoami");
    assert_string_equal(env->request_id, "req-42");
    assert_string_equal(env->tenant_id, "tenant-1");
    assert_string_equal(env->tenant_schema, "t_tenant1");
    assert_string_equal(env->user_id, "user-7");
    assert_string_equal(env->role, "admin");
    assert_string_equal(env->client_ip, "203.0.113.9");
    assert_string_equal(env->session_id, "sess-3");
    assert_true(env->deadline_unix_ms >= before + CALL_TIMEOUT_MS);
    assert_true(env->deadline_unix_ms <= sw_now_ms() + CALL_TIMEOUT_MS);
    sw_rpc_result_free(&res);
}

static void test_missing_metadata_arrives_absent(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Whoami", &req.base,
                                 &sw__envelope__descriptor, CALL_TIMEOUT_MS, &res),
                     0);
    const Sw__Envelope *env = (const Sw__Envelope *)res.body;
    assert_null(env->tenant_id);
    assert_null(env->user_id);
    assert_null(env->request_id);
    assert_null(env->role);
    assert_true(env->has_deadline_unix_ms);
    sw_rpc_result_free(&res);
}

static void test_slow_handler_makes_the_call_unavailable_within_its_timeout(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    long long start = sw_now_ms();
    int rc = sw_rpc_call(f->client, NULL, "test.Slow", &req.base, NULL, SHORT_TIMEOUT_MS, &res);
    long long took = sw_now_ms() - start;
    assert_int_equal(rc, SW_EUNAVAIL);
    assert_null(res.reply);
    assert_true(took < 5LL * SHORT_TIMEOUT_MS);
    sw_rpc_result_free(&res);
}

static void test_client_still_works_after_a_timeout(void **state)
{
    struct fixture *f = *state;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(f->client, NULL, "test.Slow", &req.base, NULL, SHORT_TIMEOUT_MS,
                                 &res),
                     SW_EUNAVAIL);
    sw_rpc_result_free(&res);
    assert_int_equal(echo_ok(f->client, CALL_TIMEOUT_MS), 0);
}

struct caller {
    struct sw_rpc_client *client;
    int index;
    atomic_int *failures;
};

#define CALLER_THREADS 4
#define CALLS_PER_THREAD 25

/* Echoes its own index many times; counts anything that comes back wrong. */
static void *caller_main(void *arg)
{
    struct caller *c = arg;
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "caller-%d-%d", c->index, i);
        Sw__FieldError req = SW__FIELD_ERROR__INIT;
        req.field = tag;
        struct sw_rpc_result res;
        int rc = sw_rpc_call(c->client, NULL, "test.Echo", &req.base, &sw__field_error__descriptor,
                             CALL_TIMEOUT_MS, &res);
        if (rc != 0 || !res.reply || res.reply->status != SW_OK || !res.body ||
            strcmp(((Sw__FieldError *)res.body)->field, tag) != 0)
            atomic_fetch_add(c->failures, 1);
        sw_rpc_result_free(&res);
    }
    return NULL;
}

static void test_one_client_serves_concurrent_callers(void **state)
{
    struct fixture *f = *state;
    atomic_int failures = 0;
    pthread_t threads[CALLER_THREADS];
    struct caller callers[CALLER_THREADS];
    for (int i = 0; i < CALLER_THREADS; i++) {
        callers[i] = (struct caller){f->client, i, &failures};
        assert_int_equal(pthread_create(&threads[i], NULL, caller_main, &callers[i]), 0);
    }
    for (int i = 0; i < CALLER_THREADS; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(atomic_load(&failures), 0);
}

static void test_one_client_serves_concurrent_callers_over_ipc(void **state)
{
    test_one_client_serves_concurrent_callers(state);
}

static void test_call_without_a_server_is_unavailable(void **state)
{
    (void)state;
    char url[96];
    snprintf(url, sizeof url, "inproc://sw-test-nobody-%d", (int)getpid());
    struct sw_rpc_client *client = NULL;
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
    long long start = sw_now_ms();
    assert_int_equal(echo_ok(client, SHORT_TIMEOUT_MS), SW_EUNAVAIL);
    assert_true(sw_now_ms() - start < 5LL * SHORT_TIMEOUT_MS);
    sw_rpc_client_close(client);
}

static void test_call_to_a_missing_ipc_socket_is_unavailable(void **state)
{
    (void)state;
    char dir[] = "/tmp/sw-unit-rpc.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[96];
    snprintf(url, sizeof url, "ipc://%s/nobody.ipc", dir);
    struct sw_rpc_client *client = NULL;
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
    assert_int_equal(echo_ok(client, SHORT_TIMEOUT_MS), SW_EUNAVAIL);
    sw_rpc_client_close(client);
    rmdir(dir);
}

/* A listener that accepts each connection and closes it before the handshake. */
struct dropper {
    char path[100]; /* fits sockaddr_un's sun_path */
    atomic_bool stop;
};

static void *dropper_main(void *arg)
{
    struct dropper *d = arg;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", d->path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0)
        return NULL;
    while (!atomic_load(&d->stop)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, 20) == 1) {
            int conn = accept(fd, NULL, NULL);
            if (conn >= 0)
                close(conn);
        }
    }
    close(fd);
    unlink(d->path);
    return NULL;
}

/*
 * nng 1.5's dialler stops for good when a peer drops a connection during the
 * handshake, as a restarting service can; the client must still reach the
 * real server that listens there afterwards.
 */
static void test_client_recovers_from_a_peer_that_drops_it_mid_handshake(void **state)
{
    (void)state;
    char dir[] = "/tmp/sw-unit-rpc.XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct dropper d = {.stop = false};
    snprintf(d.path, sizeof d.path, "%s/peer.ipc", dir);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, dropper_main, &d), 0);
    char url[120];
    snprintf(url, sizeof url, "ipc://%s", d.path);
    struct sw_rpc_client *client = NULL;
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
    assert_int_equal(echo_ok(client, SHORT_TIMEOUT_MS), SW_EUNAVAIL);
    atomic_store(&d.stop, true);
    pthread_join(thread, NULL);

    struct fixture f = {0};
    snprintf(f.url, sizeof f.url, "%s", url);
    struct sw_rpc_listener listener = {f.url, SW_RPC_PUBLIC, 2};
    struct sw_rpc_server_opts opts = {
        .service = "test",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
    assert_int_equal(sw_rpc_server_start(&opts, &f.server), 0);
    int rc = SW_EUNAVAIL;
    for (int i = 0; i < 40 && rc != 0; i++)
        rc = echo_ok(client, SHORT_TIMEOUT_MS);
    assert_int_equal(rc, 0);
    sw_rpc_client_close(client);
    sw_rpc_server_stop(f.server);
    unlink(d.path);
    rmdir(dir);
}

static void test_server_start_on_a_bad_url_fails_cleanly(void **state)
{
    (void)state;
    struct sw_rpc_listener listener = {"bogus://nowhere", SW_RPC_PUBLIC, 2};
    struct sw_rpc_server_opts opts = {
        .service = "test",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
    struct sw_rpc_server *srv = (struct sw_rpc_server *)&opts; /* must be reset to NULL */
    assert_true(sw_rpc_server_start(&opts, &srv) < 0);
    assert_null(srv);
}

static void test_two_servers_cannot_share_a_url(void **state)
{
    struct fixture *f = *state;
    struct sw_rpc_listener listener = {f->url, SW_RPC_INTERNAL, 1};
    struct sw_rpc_server_opts opts = {
        .service = "test",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
    struct sw_rpc_server *second = NULL;
    assert_int_equal(sw_rpc_server_start(&opts, &second), SW_EUNAVAIL);
    assert_null(second);
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_inproc, teardown)
#define T_IPC(fn) cmocka_unit_test_setup_teardown(fn, setup_ipc, teardown)
    const struct CMUnitTest tests[] = {
        T(test_echo_round_trip_returns_the_request_body),
        T_IPC(test_echo_round_trip_over_ipc_in_a_temp_dir),
        T(test_empty_request_body_round_trips),
        T(test_reply_without_descriptor_leaves_body_packed),
        T(test_field_errors_arrive_grouped_by_field),
        T(test_request_that_does_not_unpack_is_invalid_argument),
        T(test_helper_error_code_becomes_reply_status),
        T(test_unknown_method_is_unimplemented),
        T(test_method_of_another_caller_role_is_permission_denied),
        T(test_caller_metadata_reaches_the_handler),
        T(test_missing_metadata_arrives_absent),
        T(test_slow_handler_makes_the_call_unavailable_within_its_timeout),
        T(test_client_still_works_after_a_timeout),
        T(test_one_client_serves_concurrent_callers),
        T_IPC(test_one_client_serves_concurrent_callers_over_ipc),
        cmocka_unit_test(test_call_without_a_server_is_unavailable),
        cmocka_unit_test(test_call_to_a_missing_ipc_socket_is_unavailable),
        cmocka_unit_test(test_client_recovers_from_a_peer_that_drops_it_mid_handshake),
        cmocka_unit_test(test_server_start_on_a_bad_url_fails_cleanly),
        T_IPC(test_two_servers_cannot_share_a_url),
    };
#undef T
#undef T_IPC
    return cmocka_run_group_tests(tests, NULL, NULL);
}
