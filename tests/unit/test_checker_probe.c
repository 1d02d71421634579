/*
 * One check end to end through a real curl transfer (services/checker/
 * probe.c with the guard, body reader and verdict) against the in-process
 * target of test_checker_target.h on 127.0.0.1, which the allow list admits;
 * every other address stays refused, which is what the redirect tests rely
 * on. No outside network is needed.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "test_checker_target.h"
#include "unit.h"

static struct target TARGET;
static struct sw_cidr_list ALLOW;

static int setup(void **state)
{
    (void)state;
    sw_log_init("test", SW_LOG_ERROR);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    if (sw_cidr_list_parse("127.0.0.1/32", &ALLOW) != 0)
        return -1;
    return target_start(&TARGET);
}

static int teardown(void **state)
{
    (void)state;
    target_stop(&TARGET);
    curl_global_cleanup();
    return 0;
}

struct check_spec {
    const char *url;     /* a path on the target, or a full URL */
    const char *method;  /* NULL: "" */
    int timeout_ms;      /* 0: 2000 */
    int expected_status; /* 0: none */
    const char *keyword; /* NULL: none */
    const char *kind;    /* NULL: http */
};

/* Runs one check to the end and returns its outcome (owned by the caller). */
static struct chk_outcome *run(struct check_spec spec)
{
    char url[256];
    if (spec.url[0] == '/')
        snprintf(url, sizeof url, "%s%s", TARGET.base, spec.url);
    else
        snprintf(url, sizeof url, "%s", spec.url);
    Sw__Monitors__Check check = SW__MONITORS__CHECK__INIT;
    check.endpoint_id = "0b3f4a9e-0000-4000-8000-000000000001";
    check.scheduled_unix_ms = 1700000000000LL;
    check.url = url;
    check.method = (char *)(spec.method ? spec.method : "");
    check.timeout_ms = spec.timeout_ms ? spec.timeout_ms : 2000;
    check.has_expected_status = spec.expected_status != 0;
    check.expected_status = spec.expected_status;
    check.keyword = (char *)spec.keyword;
    check.kind = (char *)spec.kind;
    check.attempt = 1;

    struct chk_job *job = NULL;
    struct chk_probe *probe = NULL;
    struct chk_outcome *outcome = NULL;
    assert_int_equal(chk_job_from_check(&check, &job), 0);
    assert_int_equal(chk_probe_new(job, &ALLOW, &probe), 0);
    chk_probe_start(probe);
    CURLcode code = curl_easy_perform(probe->easy);
    assert_int_equal(chk_probe_finish(probe, code, &outcome), 0);
    chk_probe_free(probe);
    return outcome;
}

static void test_healthy_endpoint_is_ok_with_its_phases_timed(void **state)
{
    (void)state;
    long long before = sw_now_ms();
    struct chk_outcome *o = run((struct check_spec){.url = "/ok"});
    const Sw__Monitors__Result *r = &o->result;
    assert_true(r->ok);
    assert_null(r->error);
    assert_true(r->has_status_code);
    assert_int_equal(r->status_code, 200);
    assert_true(r->status_ok);
    assert_true(r->keyword_ok);
    assert_string_equal(r->endpoint_id, "0b3f4a9e-0000-4000-8000-000000000001");
    assert_true(r->scheduled_unix_ms == 1700000000000LL);
    assert_true(r->started_unix_ms >= before && r->started_unix_ms <= sw_now_ms());
    assert_true(r->has_dns_ms && r->has_connect_ms && r->has_ttfb_ms && r->has_total_ms);
    assert_false(r->has_tls_ms);
    assert_true(r->total_ms >= 0 && r->total_ms < 2000);
    assert_false(r->has_tls_expires_unix_ms);
    chk_outcome_free(o);
}

static void test_unexpected_status_fails_and_expected_one_passes(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/status/503"});
    assert_false(o->result.ok);
    assert_int_equal(o->result.status_code, 503);
    assert_string_equal(o->error, "expected status 2xx or 3xx, got 503");
    chk_outcome_free(o);

    o = run((struct check_spec){.url = "/status/503", .expected_status = 503});
    assert_true(o->result.ok);
    chk_outcome_free(o);

    o = run((struct check_spec){.url = "/ok", .expected_status = 201});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "expected status 201, got 200");
    chk_outcome_free(o);
}

static void test_keyword_split_across_writes_is_found(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/split", .keyword = "needle"});
    assert_true(o->result.ok);
    assert_true(o->result.keyword_ok);
    chk_outcome_free(o);
}

static void test_missing_keyword_fails_with_a_sentence(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/ok", .keyword = "absent"});
    assert_false(o->result.ok);
    assert_true(o->result.status_ok);
    assert_false(o->result.keyword_ok);
    assert_string_equal(o->error, "keyword \"absent\" not found");
    chk_outcome_free(o);
}

static void test_body_cap_stops_reading_without_failing(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/big"});
    assert_true(o->result.ok);
    assert_int_equal(o->result.status_code, 200);
    chk_outcome_free(o);

    o = run((struct check_spec){.url = "/big", .keyword = "early"});
    assert_true(o->result.ok);
    chk_outcome_free(o);

    /* "late" sits beyond the first MiB: never read, so not found. */
    o = run((struct check_spec){.url = "/big", .keyword = "late"});
    assert_false(o->result.ok);
    assert_true(o->result.status_ok);
    assert_string_equal(o->error, "keyword \"late\" not found");
    chk_outcome_free(o);
}

static void test_private_target_is_refused_before_connecting(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "http://10.0.0.5:8080/health"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "refused: 10.0.0.5 is a private address");
    assert_false(o->result.has_status_code);
    assert_false(o->result.has_connect_ms);
    assert_false(o->result.has_ttfb_ms);
    chk_outcome_free(o);
}

static void test_redirect_to_a_private_address_is_refused(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/to-private"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "refused: 10.0.0.5 is a private address");
    chk_outcome_free(o);
}

static void test_redirect_to_a_loopback_address_outside_the_allow_list_is_refused(void **state)
{
    (void)state;
    /* 127.0.0.2 answers on Linux; only the guard stands in the way. */
    struct chk_outcome *o = run((struct check_spec){.url = "/to-loopback2"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "refused: 127.0.0.2 is a loopback address");
    chk_outcome_free(o);
}

static void test_redirects_are_followed_to_the_final_page(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/to-ok", .keyword = "hello"});
    assert_true(o->result.ok);
    assert_int_equal(o->result.status_code, 200);
    chk_outcome_free(o);
}

static void test_redirect_loop_stops_with_too_many_redirects(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/loop"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "too many redirects");
    chk_outcome_free(o);
}

static void test_redirect_to_another_protocol_is_refused(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/to-ftp"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "unsupported protocol: only http and https");
    chk_outcome_free(o);

    o = run((struct check_spec){.url = "file:///etc/passwd"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "unsupported protocol: only http and https");
    chk_outcome_free(o);
}

static void test_slow_endpoint_times_out_at_its_limit(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/slow", .timeout_ms = 300});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "timed out after 300 ms");
    assert_true(o->result.total_ms >= 300 && o->result.total_ms < 1000);
    assert_false(o->result.has_status_code);
    assert_true(o->result.connect_ms >= 0);
    assert_false(o->result.has_ttfb_ms);
    chk_outcome_free(o);
}

static void test_closed_port_is_connection_refused(void **state)
{
    (void)state;
    /* A port that was just free: bind it, note it, close it. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(sa.sin_port));
    struct chk_outcome *o = run((struct check_spec){.url = url});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "connection refused");
    assert_false(o->result.has_connect_ms);
    chk_outcome_free(o);
}

static void test_unknown_host_cannot_be_resolved(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "http://nowhere.invalid/"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "could not resolve host");
    assert_false(o->result.has_dns_ms);
    assert_false(o->result.has_connect_ms);
    chk_outcome_free(o);
}

static void test_host_names_are_resolved_and_each_address_judged(void **state)
{
    (void)state;
    /* localhost may resolve to ::1 too, which is refused; 127.0.0.1 is allowed. */
    char url[64];
    snprintf(url, sizeof url, "http://localhost:%d/ok", TARGET.port);
    struct chk_outcome *o = run((struct check_spec){.url = url});
    assert_true(o->result.ok);
    assert_true(o->result.dns_ms >= 0);
    chk_outcome_free(o);
}

static void test_methods_are_sent_as_asked(void **state)
{
    (void)state;
    struct chk_outcome *o = run((struct check_spec){.url = "/method", .keyword = "GET"});
    assert_true(o->result.ok);
    chk_outcome_free(o);
    o = run((struct check_spec){.url = "/method", .method = "DELETE", .keyword = "DELETE"});
    assert_true(o->result.ok);
    chk_outcome_free(o);
    o = run((struct check_spec){.url = "/method", .method = "HEAD"});
    assert_true(o->result.ok);
    assert_int_equal(o->result.status_code, 200);
    chk_outcome_free(o);
}

static void test_malformed_method_is_not_attempted(void **state)
{
    (void)state;
    Sw__Monitors__Check check = SW__MONITORS__CHECK__INIT;
    check.endpoint_id = "e";
    check.url = "http://127.0.0.1/";
    check.method = "GET /x HTTP/1.1\r\nHost";
    check.keyword = "";
    struct chk_job *job = NULL;
    struct chk_probe *probe = NULL;
    assert_int_equal(chk_job_from_check(&check, &job), 0);
    assert_int_equal(chk_probe_new(job, &ALLOW, &probe), SW_EINVAL);
    assert_null(probe);
    struct chk_outcome *o = NULL;
    assert_int_equal(chk_probe_refuse_job(job, "unsupported HTTP method", &o), 0);
    assert_false(o->result.ok);
    assert_string_equal(o->error, "unsupported HTTP method");
    assert_false(o->result.has_total_ms);
    chk_outcome_free(o);
    chk_job_free(job);
}

static void test_environment_proxies_are_ignored(void **state)
{
    (void)state;
    /* A proxy would hide the real target from the guard; this one would fail anyway. */
    setenv("http_proxy", "http://127.0.0.1:9", 1);
    setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
    setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
    struct chk_outcome *o = run((struct check_spec){.url = "/ok"});
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("ALL_PROXY");
    assert_true(o->result.ok);
    chk_outcome_free(o);
}

/* A port that was just free: bound, noted, closed. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static void test_tcp_check_passes_when_the_port_accepts(void **state)
{
    (void)state;
    char url[96];
    /* The target's http://127.0.0.1:<port> as tcp://127.0.0.1:<port>. */
    snprintf(url, sizeof url, "tcp://%s", TARGET.base + strlen("http://"));
    struct chk_outcome *o = run((struct check_spec){.url = url, .kind = "tcp"});
    assert_true(o->result.ok);
    assert_null(o->result.error);
    assert_false(o->result.has_status_code);
    assert_true(o->result.status_ok && o->result.keyword_ok);
    assert_true(o->result.has_connect_ms && o->result.has_total_ms);
    assert_false(o->result.has_ttfb_ms);
    chk_outcome_free(o);
}

static void test_tcp_check_fails_on_a_closed_port_and_a_refused_address(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", closed_port());
    struct chk_outcome *o = run((struct check_spec){.url = url, .kind = "tcp"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "connection refused");
    chk_outcome_free(o);
    /* The address guard applies as to HTTP: nothing is sent to 10.0.0.1. */
    o = run((struct check_spec){.url = "tcp://10.0.0.1:5432", .kind = "tcp"});
    assert_false(o->result.ok);
    assert_string_equal(o->error, "refused: 10.0.0.1 is a private address");
    chk_outcome_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthy_endpoint_is_ok_with_its_phases_timed),
        cmocka_unit_test(test_unexpected_status_fails_and_expected_one_passes),
        cmocka_unit_test(test_keyword_split_across_writes_is_found),
        cmocka_unit_test(test_missing_keyword_fails_with_a_sentence),
        cmocka_unit_test(test_body_cap_stops_reading_without_failing),
        cmocka_unit_test(test_private_target_is_refused_before_connecting),
        cmocka_unit_test(test_redirect_to_a_private_address_is_refused),
        cmocka_unit_test(test_redirect_to_a_loopback_address_outside_the_allow_list_is_refused),
        cmocka_unit_test(test_redirects_are_followed_to_the_final_page),
        cmocka_unit_test(test_redirect_loop_stops_with_too_many_redirects),
        cmocka_unit_test(test_redirect_to_another_protocol_is_refused),
        cmocka_unit_test(test_slow_endpoint_times_out_at_its_limit),
        cmocka_unit_test(test_closed_port_is_connection_refused),
        cmocka_unit_test(test_tcp_check_passes_when_the_port_accepts),
        cmocka_unit_test(test_tcp_check_fails_on_a_closed_port_and_a_refused_address),
        cmocka_unit_test(test_unknown_host_cannot_be_resolved),
        cmocka_unit_test(test_host_names_are_resolved_and_each_address_judged),
        cmocka_unit_test(test_methods_are_sent_as_asked),
        cmocka_unit_test(test_malformed_method_is_not_attempted),
        cmocka_unit_test(test_environment_proxies_are_ignored),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
