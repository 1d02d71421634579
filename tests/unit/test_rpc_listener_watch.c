/*
 * A listener that nng 1.5 stops serving is served again (sw_listener_watch.h):
 * a peer that connects over ipc:// and hangs up before negotiating makes
 * nng 1.5's listener stop accepting for good (nng issue #1518); callers that
 * connect afterwards are parked and never answered. The server's watch must
 * notice, listen afresh and close the parked connections, so that a new
 * caller (sending its read again) is answered and an old one still is.
 *
 * Its own executable: nng 1.5 never frees the connections it parked nor the
 * listener that parked them, so this test runs with LeakSanitizer told to
 * ignore what libnng allocated (scripts/lsan-suppressions.txt) while
 * test_rpc keeps checking every allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "envelope.pb-c.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "unit.h"

#define CALL_TIMEOUT_MS 5000

static void handle_echo(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)ctx;
    const Sw__FieldError *req = request;
    sw_reply_body(reply, &req->base);
}

static const struct sw_rpc_method METHODS[] = {
    {"test.Echo", &sw__field_error__descriptor, handle_echo, SW_RPC_ANY},
};

/* Calls test.Echo as a read (sent again if its connection closes under it); 0 when OK. */
static int echo(struct sw_rpc_client *client)
{
    Sw__FieldError req = SW__FIELD_ERROR__INIT;
    req.field = "ping";
    struct sw_rpc_meta meta = {.idempotent = true};
    struct sw_rpc_result res;
    int rc = sw_rpc_call(client, &meta, "test.Echo", &req.base, NULL, CALL_TIMEOUT_MS, &res);
    sw_rpc_result_free(&res);
    return rc;
}

/* Connects to the ipc:// socket at path and hangs up at once, before any handshake. */
static void knock_and_leave(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd);
}

static void test_listener_serves_new_callers_after_a_peer_hangs_up_mid_handshake(void **state)
{
    (void)state;
    char dir[] = "/tmp/sw-unit-watch.XXXXXX", path[200], url[220];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/test.ipc", dir);
    snprintf(url, sizeof url, "ipc://%s", path);
    struct sw_rpc_listener listener = {url, SW_RPC_PUBLIC, 2};
    struct sw_rpc_server_opts opts = {
        .service = "test",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
    };
    struct sw_rpc_server *server = NULL;
    struct sw_rpc_client *early = NULL, *late = NULL;
    assert_int_equal(sw_rpc_server_start(&opts, &server), 0);
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &early), 0);
    assert_int_equal(echo(early), 0);

    for (int i = 0; i < 3; i++)
        knock_and_leave(path);
    struct timespec pause = {0, 100 * 1000000L};
    nanosleep(&pause, NULL);

    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &late), 0);
    long long start = sw_now_ms();
    assert_int_equal(echo(late), 0);
    assert_true(sw_now_ms() - start < CALL_TIMEOUT_MS);
    assert_int_equal(echo(early), 0);

    sw_rpc_client_close(late);
    sw_rpc_client_close(early);
    sw_rpc_server_stop(server);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listener_serves_new_callers_after_a_peer_hangs_up_mid_handshake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
