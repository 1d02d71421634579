/*
 * Trust between services over tls+tcp://: a server with a public and an
 * internal listener, certificates from scripts/tls-dev.sh in a temporary
 * folder, and callers holding the gateway's, a service's, a foreign CA's or no
 * certificate. A listener accepts only peers signed by its role's CA, and a
 * method is served only to the roles its table entry names.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "envelope.pb-c.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_tls.h"
#include "unit.h"

#define CALL_TIMEOUT_MS 3000
#define REFUSED_TIMEOUT_MS 700

static void handle_role(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__HealthReply out = SW__HEALTH_REPLY__INIT;
    out.version = (char *)sw_rpc_caller_name(ctx->caller);
    sw_reply_body(reply, &out.base);
}

static const struct sw_rpc_method METHODS[] = {
    {"tenants.Role", &sw__health_request__descriptor, handle_role, SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    {"tenants.SetPlan", &sw__health_request__descriptor, handle_role, SW_RPC_INTERNAL},
};

struct fixture {
    char dir[64];
    char public_url[64];
    char internal_url[64];
    struct sw_rpc_server *server;
};

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static struct sw_tls identity(const struct fixture *f, const char *name)
{
    struct sw_tls tls;
    memset(&tls, 0, sizeof tls);
    snprintf(tls.dir, sizeof tls.dir, "%s", f->dir);
    snprintf(tls.name, sizeof tls.name, "%s", name);
    return tls;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    snprintf(f->dir, sizeof f->dir, "/tmp/sw-unit-tls.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s/scripts/tls-dev.sh %s rogue:ca-rogue >/dev/null 2>&1",
             SW_SOURCE_DIR, f->dir);
    /* A fixed script of this checkout, with a folder mkdtemp() named. */
    if (system(cmd) != 0) /* NOLINT(cert-env33-c) */
        return -1;
    snprintf(f->public_url, sizeof f->public_url, "tls+tcp://127.0.0.1:%d", free_port());
    snprintf(f->internal_url, sizeof f->internal_url, "tls+tcp://127.0.0.1:%d", free_port());
    struct sw_rpc_listener listeners[] = {
        {f->public_url, SW_RPC_PUBLIC, 2},
        {f->internal_url, SW_RPC_INTERNAL, 2},
    };
    struct sw_tls tls = identity(f, "tenants");
    struct sw_rpc_server_opts opts = {
        .service = "tenants",
        .listeners = listeners,
        .n_listeners = ARRAY_LEN(listeners),
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
        .tls = &tls,
    };
    return sw_rpc_server_start(&opts, &f->server);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    sw_rpc_server_stop(f->server);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (f->dir[0] && system(cmd) != 0) /* NOLINT(cert-env33-c): a folder mkdtemp() named */
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* Calls method as `who` on url; returns the call's code and the role the server saw. */
static int call_as(const struct fixture *f, const char *who, const char *url, const char *method,
                   int timeout_ms, char *role, size_t role_size)
{
    struct sw_tls tls = identity(f, who);
    struct sw_rpc_client *client = NULL;
    int rc = sw_rpc_client_open(url, &tls, "tenants", &client);
    if (rc)
        return rc;
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    rc = sw_rpc_call(client, NULL, method, &req.base, &sw__health_reply__descriptor, timeout_ms,
                     &res);
    if (rc == 0 && role)
        snprintf(role, role_size, "%s", ((const Sw__HealthReply *)res.body)->version);
    sw_rpc_result_free(&res);
    sw_rpc_client_close(client);
    return rc;
}

static void test_gateway_certificate_reaches_the_public_listener(void **state)
{
    char role[32] = "";
    assert_int_equal(call_as(*state, "gateway", ((struct fixture *)*state)->public_url,
                             "tenants.Role", CALL_TIMEOUT_MS, role, sizeof role),
                     0);
    assert_string_equal(role, "public");
}

static void test_service_certificate_reaches_the_internal_listener(void **state)
{
    char role[32] = "";
    assert_int_equal(call_as(*state, "billing", ((struct fixture *)*state)->internal_url,
                             "tenants.SetPlan", CALL_TIMEOUT_MS, role, sizeof role),
                     0);
    assert_string_equal(role, "internal");
}

static void test_gateway_cannot_call_an_internal_method(void **state)
{
    assert_int_equal(call_as(*state, "gateway", ((struct fixture *)*state)->public_url,
                             "tenants.SetPlan", CALL_TIMEOUT_MS, NULL, 0),
                     SW_EPERM);
}

static void test_gateway_certificate_is_refused_by_the_internal_listener(void **state)
{
    assert_int_equal(call_as(*state, "gateway", ((struct fixture *)*state)->internal_url,
                             "tenants.SetPlan", REFUSED_TIMEOUT_MS, NULL, 0),
                     SW_EUNAVAIL);
}

static void test_checker_certificate_is_refused_everywhere_here(void **state)
{
    const struct fixture *f = *state;
    assert_int_equal(call_as(f, "checker", f->public_url, "tenants.Role", REFUSED_TIMEOUT_MS, NULL,
                             0),
                     SW_EUNAVAIL);
    assert_int_equal(call_as(f, "checker", f->internal_url, "tenants.Role", REFUSED_TIMEOUT_MS,
                             NULL, 0),
                     SW_EUNAVAIL);
}

static void test_certificate_of_a_foreign_ca_is_refused(void **state)
{
    const struct fixture *f = *state;
    assert_int_equal(call_as(f, "rogue", f->public_url, "tenants.Role", REFUSED_TIMEOUT_MS, NULL,
                             0),
                     SW_EUNAVAIL);
    assert_int_equal(call_as(f, "rogue", f->internal_url, "tenants.Role", REFUSED_TIMEOUT_MS, NULL,
                             0),
                     SW_EUNAVAIL);
}

/* A TLS client that trusts the server but shows no certificate of its own. */
static void test_peer_without_a_certificate_is_refused(void **state)
{
    const struct fixture *f = *state;
    nng_socket sock;
    nng_dialer dialer;
    nng_tls_config *cfg = NULL;
    char ca[128];
    snprintf(ca, sizeof ca, "%s/ca-internal.pem", f->dir);
    assert_int_equal(nng_req0_open(&sock), 0);
    assert_int_equal(nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT), 0);
    assert_int_equal(nng_tls_config_ca_file(cfg, ca), 0);
    assert_int_equal(nng_tls_config_server_name(cfg, "tenants"), 0);
    assert_int_equal(nng_dialer_create(&dialer, sock, f->public_url), 0);
    assert_int_equal(nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, cfg), 0);
    assert_int_equal(nng_dialer_start(dialer, NNG_FLAG_NONBLOCK), 0);
    nng_socket_set_ms(sock, NNG_OPT_SENDTIMEO, REFUSED_TIMEOUT_MS);
    nng_socket_set_ms(sock, NNG_OPT_RECVTIMEO, REFUSED_TIMEOUT_MS);
    char payload[] = "hello";
    int rv = nng_send(sock, payload, sizeof payload, 0);
    if (rv == 0) {
        char *answer = NULL;
        size_t len = 0;
        rv = nng_recv(sock, &answer, &len, NNG_FLAG_ALLOC);
        if (rv == 0)
            nng_free(answer, len);
    }
    assert_int_not_equal(rv, 0);
    nng_close(sock);
    nng_tls_config_free(cfg);
}

static void test_plain_tcp_client_cannot_talk_to_a_tls_listener(void **state)
{
    const struct fixture *f = *state;
    char url[64];
    snprintf(url, sizeof url, "tcp://%s", f->public_url + strlen("tls+tcp://"));
    struct sw_rpc_client *client = NULL;
    assert_int_equal(sw_rpc_client_open(url, NULL, NULL, &client), 0);
    Sw__HealthRequest req = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    assert_int_equal(sw_rpc_call(client, NULL, "tenants.Role", &req.base, NULL, REFUSED_TIMEOUT_MS,
                                 &res),
                     SW_EUNAVAIL);
    sw_rpc_result_free(&res);
    sw_rpc_client_close(client);
}

static void test_server_refuses_to_start_tls_without_certificates(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "tls+tcp://127.0.0.1:%d", free_port());
    struct sw_rpc_listener listener = {url, SW_RPC_INTERNAL, 1};
    struct sw_tls tls;
    memset(&tls, 0, sizeof tls);
    snprintf(tls.dir, sizeof tls.dir, "/nonexistent");
    snprintf(tls.name, sizeof tls.name, "tenants");
    struct sw_rpc_server_opts opts = {
        .service = "tenants",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
        .tls = &tls,
    };
    struct sw_rpc_server *srv = NULL;
    assert_true(sw_rpc_server_start(&opts, &srv) < 0);
    assert_null(srv);
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR + 1);
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_gateway_certificate_reaches_the_public_listener),
        T(test_service_certificate_reaches_the_internal_listener),
        T(test_gateway_cannot_call_an_internal_method),
        T(test_gateway_certificate_is_refused_by_the_internal_listener),
        T(test_checker_certificate_is_refused_everywhere_here),
        T(test_certificate_of_a_foreign_ca_is_refused),
        T(test_peer_without_a_certificate_is_refused),
        T(test_plain_tcp_client_cannot_talk_to_a_tls_listener),
        cmocka_unit_test(test_server_refuses_to_start_tls_without_certificates),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
