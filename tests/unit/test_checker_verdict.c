/*
 * The checker's verdict (services/checker/verdict.c): assertions, the split
 * of curl's cumulative times into phases (absent for a phase that did not
 * happen), and the sentence each kind of failure gets.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "monitors.pb-c.h"
#include "unit.h"
#include "verdict.h"

/* A completed plain-http GET answered 200, as a base for each test. */
static struct chk_observation healthy(void)
{
    struct chk_observation obs = {
        .code = CURLE_OK,
        .http_code = 200,
        .keyword_ok = true,
        .keyword = "",
        .timeout_ms = 1000,
        .connect_timeout_ms = 1000,
        .refusal = "",
        .curl_error = "",
        .namelookup_us = 1000,
        .connect_us = 3000,
        .starttransfer_us = 8000,
        .total_us = 9000,
    };
    return obs;
}

struct judged {
    Sw__Monitors__Result result;
    char error[256];
};

static void judge(const struct chk_observation *obs, struct judged *out)
{
    Sw__Monitors__Result init = SW__MONITORS__RESULT__INIT;
    out->result = init;
    chk_verdict(obs, &out->result, out->error, sizeof out->error);
}

static void test_status_assertion_rules(void **state)
{
    (void)state;
    assert_true(chk_status_ok(0, 200));
    assert_true(chk_status_ok(0, 204));
    assert_true(chk_status_ok(0, 301));
    assert_true(chk_status_ok(0, 399));
    assert_false(chk_status_ok(0, 199));
    assert_false(chk_status_ok(0, 400));
    assert_false(chk_status_ok(0, 503));
    assert_false(chk_status_ok(0, 0));
    assert_true(chk_status_ok(503, 503));
    assert_false(chk_status_ok(201, 200));
    assert_true(chk_status_ok(404, 404));
}

static void test_healthy_http_check_is_ok_with_phases_split(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    struct judged j;
    judge(&obs, &j);
    assert_true(j.result.ok);
    assert_true(j.result.status_ok);
    assert_true(j.result.keyword_ok);
    assert_int_equal(j.result.status_code, 200);
    assert_string_equal(j.error, "");
    assert_null(j.result.error);
    assert_true(j.result.has_dns_ms && j.result.has_connect_ms && j.result.has_ttfb_ms);
    assert_int_equal(j.result.dns_ms, 1);
    assert_int_equal(j.result.connect_ms, 2);
    assert_false(j.result.has_tls_ms);
    assert_int_equal(j.result.ttfb_ms, 5);
    assert_int_equal(j.result.total_ms, 9);
}

static void test_https_check_has_a_tls_phase_and_ttfb_after_it(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.https = true;
    obs.namelookup_us = 2400;
    obs.connect_us = 10600;
    obs.appconnect_us = 30000;
    obs.starttransfer_us = 45000;
    obs.total_us = 47500;
    struct judged j;
    judge(&obs, &j);
    assert_int_equal(j.result.dns_ms, 2);
    assert_int_equal(j.result.connect_ms, 8);
    assert_int_equal(j.result.tls_ms, 19);
    assert_int_equal(j.result.ttfb_ms, 15);
    assert_int_equal(j.result.total_ms, 48);
}

static void test_refused_address_reports_the_guard_and_no_connect(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.code = CURLE_COULDNT_CONNECT;
    obs.http_code = 0;
    obs.refusal = "refused: 10.0.0.5 is a private address";
    obs.connect_us = 0;
    obs.starttransfer_us = 0;
    obs.total_us = 1200;
    struct judged j;
    judge(&obs, &j);
    assert_false(j.result.ok);
    assert_false(j.result.status_ok);
    assert_false(j.result.has_status_code);
    assert_string_equal(j.error, "refused: 10.0.0.5 is a private address");
    assert_int_equal(j.result.dns_ms, 1);
    assert_false(j.result.has_connect_ms);
    assert_false(j.result.has_tls_ms);
    assert_false(j.result.has_ttfb_ms);
    assert_int_equal(j.result.total_ms, 1);
}

static void test_unresolvable_host_has_no_phases(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.code = CURLE_COULDNT_RESOLVE_HOST;
    obs.http_code = 0;
    obs.namelookup_us = 0;
    obs.connect_us = 0;
    obs.starttransfer_us = 0;
    obs.curl_error = "Could not resolve host: nowhere.invalid";
    struct judged j;
    judge(&obs, &j);
    assert_string_equal(j.error, "could not resolve host");
    assert_false(j.result.has_dns_ms);
    assert_false(j.result.has_connect_ms);
    assert_false(j.result.has_ttfb_ms);
}

static void test_timeouts_name_the_limit_and_phase(void **state)
{
    (void)state;
    struct judged j;
    struct chk_observation obs = healthy();
    obs.code = CURLE_OPERATION_TIMEDOUT;
    obs.http_code = 0;
    obs.starttransfer_us = 0;
    obs.total_us = 1000400;
    judge(&obs, &j);
    assert_string_equal(j.error, "timed out after 1000 ms");

    /* The connection phase's own, shorter limit. */
    obs.connect_us = 0;
    obs.timeout_ms = 30000;
    obs.connect_timeout_ms = 10000;
    obs.total_us = 10000900;
    judge(&obs, &j);
    assert_string_equal(j.error, "timed out connecting after 10000 ms");

    obs.namelookup_us = 0;
    obs.timeout_ms = 2000;
    obs.connect_timeout_ms = 2000;
    obs.total_us = 2000100;
    judge(&obs, &j);
    assert_string_equal(j.error, "timed out resolving the host after 2000 ms");
}

static void test_connect_failures_follow_the_system_error(void **state)
{
    (void)state;
    struct judged j;
    struct chk_observation obs = healthy();
    obs.code = CURLE_COULDNT_CONNECT;
    obs.connect_us = 0;
    obs.os_errno = ECONNREFUSED;
    judge(&obs, &j);
    assert_string_equal(j.error, "connection refused");
    obs.os_errno = ENETUNREACH;
    judge(&obs, &j);
    assert_string_equal(j.error, "network unreachable");
    obs.os_errno = 0;
    judge(&obs, &j);
    assert_string_equal(j.error, "could not connect");
}

static void test_fixed_sentences_for_common_failures(void **state)
{
    (void)state;
    static const struct {
        CURLcode code;
        const char *sentence;
    } CASES[] = {
        {CURLE_TOO_MANY_REDIRECTS, "too many redirects"},
        {CURLE_UNSUPPORTED_PROTOCOL, "unsupported protocol: only http and https"},
        {CURLE_URL_MALFORMAT, "malformed URL"},
        {CURLE_GOT_NOTHING, "empty reply from server"},
        {CURLE_WEIRD_SERVER_REPLY, "invalid HTTP response"},
        {CURLE_RECV_ERROR, "connection failed while reading the response"},
    };
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        struct chk_observation obs = healthy();
        obs.code = CASES[i].code;
        obs.curl_error = "something curl said";
        struct judged j;
        judge(&obs, &j);
        assert_false(j.result.ok);
        assert_string_equal(j.error, CASES[i].sentence);
    }
}

static void test_tls_errors_use_curls_buffer_trimmed(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.code = CURLE_PEER_FAILED_VERIFICATION;
    obs.http_code = 0;
    obs.https = true;
    obs.curl_error = "SSL certificate problem: certificate has expired\n";
    struct judged j;
    judge(&obs, &j);
    assert_string_equal(j.error, "SSL certificate problem: certificate has expired");

    obs.code = CURLE_SSL_CONNECT_ERROR;
    obs.curl_error = "";
    judge(&obs, &j);
    assert_string_equal(j.error, curl_easy_strerror(CURLE_SSL_CONNECT_ERROR));
}

static void test_body_cap_is_not_a_failure(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.code = CURLE_WRITE_ERROR;
    obs.body_capped = true;
    struct judged j;
    judge(&obs, &j);
    assert_true(j.result.ok);
    assert_string_equal(j.error, "");

    obs.body_capped = false;
    judge(&obs, &j);
    assert_false(j.result.ok);
    assert_true(j.error[0] != '\0');
}

static void test_wrong_status_is_reported_before_a_missing_keyword(void **state)
{
    (void)state;
    struct chk_observation obs = healthy();
    obs.http_code = 503;
    obs.keyword = "abc";
    obs.keyword_ok = false;
    struct judged j;
    judge(&obs, &j);
    assert_false(j.result.ok);
    assert_false(j.result.status_ok);
    assert_false(j.result.keyword_ok);
    assert_int_equal(j.result.status_code, 503);
    assert_string_equal(j.error, "expected status 2xx or 3xx, got 503");

    obs.expected_status = 200;
    judge(&obs, &j);
    assert_string_equal(j.error, "expected status 200, got 503");

    obs.http_code = 200;
    judge(&obs, &j);
    assert_true(j.result.status_ok);
    assert_string_equal(j.error, "keyword \"abc\" not found");
}

static void test_long_keyword_is_shortened_on_a_character_boundary(void **state)
{
    (void)state;
    char keyword[200];
    /* 62 ASCII bytes, then "é" (two bytes) straddling the 64-byte limit. */
    memset(keyword, 'k', 63);
    memcpy(keyword + 63, "\xC3\xA9tail", 7);
    struct chk_observation obs = healthy();
    obs.keyword = keyword;
    obs.keyword_ok = false;
    struct judged j;
    judge(&obs, &j);
    char expected[256];
    snprintf(expected, sizeof expected, "keyword \"%.63s…\" not found", keyword);
    assert_string_equal(j.error, expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_assertion_rules),
        cmocka_unit_test(test_healthy_http_check_is_ok_with_phases_split),
        cmocka_unit_test(test_https_check_has_a_tls_phase_and_ttfb_after_it),
        cmocka_unit_test(test_refused_address_reports_the_guard_and_no_connect),
        cmocka_unit_test(test_unresolvable_host_has_no_phases),
        cmocka_unit_test(test_timeouts_name_the_limit_and_phase),
        cmocka_unit_test(test_connect_failures_follow_the_system_error),
        cmocka_unit_test(test_fixed_sentences_for_common_failures),
        cmocka_unit_test(test_tls_errors_use_curls_buffer_trimmed),
        cmocka_unit_test(test_body_cap_is_not_a_failure),
        cmocka_unit_test(test_wrong_status_is_reported_before_a_missing_keyword),
        cmocka_unit_test(test_long_keyword_is_shortened_on_a_character_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
