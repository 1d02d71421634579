/*
 * Endpoint settings (services/monitors/validate.c): what a client may send,
 * which targets a URL may name, and how a checked change applies to the
 * defaults (POST, PUT) or to stored settings (PATCH). No database, no DNS.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sw_log.h"
#include "sw_status.h"
#include "unit.h"
#include "validate.h"

static const struct mon_tenant FREE = {
    .id = "00000000-0000-4000-8000-000000000001",
    .schema = "t_00000000000040008000000000000001",
    .limited = true,
    .endpoint_limit = 3,
    .min_interval_seconds = 60,
    .retention_days = 7,
};
static const struct mon_tenant PRO = {
    .id = "00000000-0000-4000-8000-000000000002",
    .schema = "t_00000000000040008000000000000002",
    .min_interval_seconds = 30,
    .retention_days = 90,
};

static struct sw_cidr_list NO_ALLOW;

/* The outcome of checking one input. */
struct checked {
    int rc;
    struct sw_reply reply;
    struct mon_change change;
};

static void check(const Sw__Monitors__EndpointInput *in, const struct mon_tenant *tenant,
                  bool url_required, struct checked *out)
{
    sw_reply_init(&out->reply);
    out->rc = mon_change_check(in, tenant, &NO_ALLOW, url_required, &out->change, &out->reply);
}

static bool has_field_error(const struct sw_reply *reply, const char *field)
{
    for (size_t i = 0; i < reply->n_fields; i++)
        if (strcmp(reply->fields[i].field, field) == 0)
            return true;
    return false;
}

/* Checks {url} alone; true when it is accepted. */
static bool url_accepted(const char *url)
{
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.url = (char *)url;
    struct checked c;
    check(&in, &FREE, true, &c);
    bool ok = c.rc == 0;
    if (!ok)
        assert_true(has_field_error(&c.reply, "url"));
    sw_reply_reset(&c.reply);
    return ok;
}

static int setup(void **state)
{
    (void)state;
    sw_log_init("test", SW_LOG_ERROR);
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

static void test_defaults_follow_the_plan(void **state)
{
    (void)state;
    struct mon_settings s;
    mon_settings_defaults(&FREE, &s);
    assert_string_equal(s.method, "GET");
    assert_int_equal(s.interval_seconds, 60);
    assert_int_equal(s.timeout_ms, 10000);
    assert_false(s.has_expected_status);
    assert_string_equal(s.keyword, "");
    assert_int_equal(s.retry_interval_seconds, 10);
    assert_int_equal(s.failure_threshold, 2);
    assert_int_equal(s.success_threshold, 1);
    assert_false(s.paused);
    struct mon_tenant slow = FREE;
    slow.min_interval_seconds = 300;
    mon_settings_defaults(&slow, &s);
    assert_int_equal(s.interval_seconds, 300);
}

static void test_private_loopback_and_reserved_literals_are_refused(void **state)
{
    (void)state;
    static const char *const REFUSED[] = {
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/x",
        "http://127.0.0.2/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        /* Percent-encoded hosts curl decodes but leaves unnormalised (found by fuzz_url). */
        "http://10%2e2.3/",
        "http://0x7f%2e1/",
        "http://127%2e0%2e0%2e1:8080/",
        "http://%31%30.1/",
    };
    for (size_t i = 0; i < ARRAY_LEN(REFUSED); i++)
        if (url_accepted(REFUSED[i]))
            fail_msg("%s was accepted", REFUSED[i]);
    assert_true(url_accepted("http://93.184.216.34/"));
    assert_true(url_accepted("https://[2606:4700::1111]/"));
}

static void test_localhost_names_are_loopback_whatever_the_hosts_file_says(void **state)
{
    (void)state;
    assert_false(url_accepted("http://localhost/"));
    assert_false(url_accepted("http://LocalHost:8080/"));
    assert_false(url_accepted("http://api.localhost/"));
    assert_true(url_accepted("http://localhost.example.com/"));
}

static void test_an_allowed_range_lets_its_literals_through(void **state)
{
    (void)state;
    struct sw_cidr_list allow;
    assert_int_equal(sw_cidr_list_parse("127.0.0.1/32", &allow), 0);
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    struct mon_change change;
    struct sw_reply reply;
    sw_reply_init(&reply);
    in.url = "http://127.0.0.1:8080/ok";
    assert_int_equal(mon_change_check(&in, &FREE, &allow, true, &change, &reply), 0);
    in.url = "http://127.0.0.2/";
    assert_int_equal(mon_change_check(&in, &FREE, &allow, true, &change, &reply), SW_EINVAL);
    /* localhost is ::1 too, which the range does not allow. */
    in.url = "http://localhost/";
    assert_int_equal(mon_change_check(&in, &FREE, &allow, true, &change, &reply), SW_EINVAL);
    sw_reply_reset(&reply);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void test_names_are_accepted_without_resolving_them(void **state)
{
    (void)state;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < 200; i++) {
        char url[128];
        snprintf(url, sizeof url, "https://h%d.invalid-never-resolves.example/health", i);
        assert_true(url_accepted(url));
    }
    /* 200 names in well under the time one DNS timeout would take. */
    assert_true(seconds_since(&start) < 1.0);
}

static void test_only_http_and_https_urls_with_a_host(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "",
        "not a url",
        "ftp://example.com/f",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.com:70/",
        "http://",
        "https://:443/",
        "http://exa mple.com/",
        "http://example.com/\x01",
    };
    for (size_t i = 0; i < ARRAY_LEN(BAD); i++)
        if (url_accepted(BAD[i]))
            fail_msg("\"%s\" was accepted", BAD[i]);
    char long_url[SW_URL_TEXT_MAX + 32];
    int n = snprintf(long_url, sizeof long_url, "https://example.com/");
    memset(long_url + n, 'a', sizeof long_url - (size_t)n - 1);
    long_url[sizeof long_url - 1] = '\0';
    assert_false(url_accepted(long_url));
}

static void test_the_url_is_normalised_and_names_the_endpoint(void **state)
{
    (void)state;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.url = "HTTP://Example.COM";
    struct checked c;
    check(&in, &FREE, true, &c);
    assert_int_equal(c.rc, 0);
    struct mon_settings s;
    mon_settings_defaults(&FREE, &s);
    mon_change_apply(&c.change, &s);
    /* libcurl lower-cases the scheme and adds the path; the host is kept as written. */
    assert_string_equal(s.url, "http://Example.COM/");
    assert_string_equal(s.name, "Example.COM");
    sw_reply_reset(&c.reply);
}

static void test_ranges_follow_the_contract_and_the_plan(void **state)
{
    (void)state;
    static const struct {
        const char *field;
        int value;
        bool ok_free, ok_pro;
    } CASES[] = {
        {"interval_seconds", 59, false, true},       {"interval_seconds", 60, true, true},
        {"interval_seconds", 30, false, true},       {"interval_seconds", 29, false, false},
        {"interval_seconds", 86400, true, true},     {"interval_seconds", 86401, false, false},
        {"timeout_ms", 999, false, false},           {"timeout_ms", 1000, true, true},
        {"timeout_ms", 30000, true, true},           {"timeout_ms", 30001, false, false},
        {"expected_status", 99, false, false},       {"expected_status", 100, true, true},
        {"expected_status", 599, true, true},        {"expected_status", 0, false, false},
        {"retry_interval_seconds", 4, false, false}, {"retry_interval_seconds", 3600, true, true},
        {"failure_threshold", 0, false, false},      {"failure_threshold", 10, true, true},
        {"success_threshold", 11, false, false},     {"success_threshold", 1, true, true},
    };
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
        Sw__Monitors__NullableInt32 status = SW__MONITORS__NULLABLE_INT32__INIT;
        in.url = "https://example.com/";
        const char *f = CASES[i].field;
        int v = CASES[i].value;
        if (strcmp(f, "interval_seconds") == 0)
            in.has_interval_seconds = 1, in.interval_seconds = v;
        else if (strcmp(f, "timeout_ms") == 0)
            in.has_timeout_ms = 1, in.timeout_ms = v;
        else if (strcmp(f, "expected_status") == 0)
            status.has_value = 1, status.value = v, in.expected_status = &status;
        else if (strcmp(f, "retry_interval_seconds") == 0)
            in.has_retry_interval_seconds = 1, in.retry_interval_seconds = v;
        else if (strcmp(f, "failure_threshold") == 0)
            in.has_failure_threshold = 1, in.failure_threshold = v;
        else
            in.has_success_threshold = 1, in.success_threshold = v;
        const struct mon_tenant *tenants[] = {&FREE, &PRO};
        bool expected[] = {CASES[i].ok_free, CASES[i].ok_pro};
        for (int t = 0; t < 2; t++) {
            struct checked c;
            check(&in, tenants[t], true, &c);
            if ((c.rc == 0) != expected[t])
                fail_msg("%s=%d on %s: rc %d", f, v, t ? "pro" : "free", c.rc);
            if (c.rc)
                assert_true(has_field_error(&c.reply, f));
            sw_reply_reset(&c.reply);
        }
    }
}

static void test_every_fault_is_reported_at_once(void **state)
{
    (void)state;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.url = "ftp://x/";
    in.method = "BREW";
    in.has_interval_seconds = 1;
    in.interval_seconds = 1;
    in.has_timeout_ms = 1;
    in.timeout_ms = 1;
    struct checked c;
    check(&in, &FREE, true, &c);
    assert_int_equal(c.rc, SW_EINVAL);
    assert_int_equal(c.reply.status, SW_INVALID_ARGUMENT);
    assert_int_equal(c.reply.n_fields, 4);
    assert_true(has_field_error(&c.reply, "url"));
    assert_true(has_field_error(&c.reply, "method"));
    assert_true(has_field_error(&c.reply, "interval_seconds"));
    assert_true(has_field_error(&c.reply, "timeout_ms"));
    sw_reply_reset(&c.reply);
}

static void test_a_missing_url_is_reported_when_nothing_else_is_wrong(void **state)
{
    (void)state;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    struct checked c;
    check(&in, &FREE, true, &c);
    assert_int_equal(c.rc, SW_EINVAL);
    assert_true(has_field_error(&c.reply, "url"));
    sw_reply_reset(&c.reply);

    in.has_timeout_ms = 1;
    in.timeout_ms = 5;
    check(&in, &FREE, true, &c);
    assert_int_equal(c.reply.n_fields, 1);
    assert_true(has_field_error(&c.reply, "timeout_ms"));
    sw_reply_reset(&c.reply);

    /* PATCH: the stored URL stays. */
    in.has_timeout_ms = 0;
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, 0);
    sw_reply_reset(&c.reply);
}

static void test_methods_are_canonical_and_limited(void **state)
{
    (void)state;
    static const struct {
        const char *given, *stored;
    } CASES[] = {{"get", "GET"},  {"Head", "HEAD"},  {"options", "OPTIONS"},
                 {"TRACE", NULL}, {"CONNECT", NULL}, {"", NULL}};
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
        in.url = "https://example.com/";
        in.method = (char *)CASES[i].given;
        struct checked c;
        check(&in, &FREE, true, &c);
        if (CASES[i].stored) {
            assert_int_equal(c.rc, 0);
            struct mon_settings s;
            mon_settings_defaults(&FREE, &s);
            mon_change_apply(&c.change, &s);
            assert_string_equal(s.method, CASES[i].stored);
        } else {
            assert_true(has_field_error(&c.reply, "method"));
        }
        sw_reply_reset(&c.reply);
    }
}

static void test_text_fields_count_characters_and_refuse_control_characters(void **state)
{
    (void)state;
    char name[MON_NAME_BYTES];
    /* 200 two-byte characters are 200 characters, not 400. */
    name[0] = '\0';
    for (int i = 0; i < MON_NAME_MAX; i++)
        strcat(name, "\xc3\xa9");
    Sw__Monitors__NullableString text = SW__MONITORS__NULLABLE_STRING__INIT;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.url = "https://example.com/";
    in.name = &text;
    text.value = name;
    struct checked c;
    check(&in, &FREE, true, &c);
    assert_int_equal(c.rc, 0);
    sw_reply_reset(&c.reply);

    strcat(name, "x");
    check(&in, &FREE, true, &c);
    assert_true(has_field_error(&c.reply, "name"));
    sw_reply_reset(&c.reply);

    in.name = NULL;
    in.keyword = &text;
    text.value = "tab\there";
    check(&in, &FREE, true, &c);
    assert_true(has_field_error(&c.reply, "keyword"));
    sw_reply_reset(&c.reply);
}

/* Stored settings with every nullable value set. */
static void stored_settings(struct mon_settings *s)
{
    mon_settings_defaults(&FREE, s);
    snprintf(s->url, sizeof s->url, "https://example.com/health");
    snprintf(s->name, sizeof s->name, "Health");
    s->has_expected_status = true;
    s->expected_status = 204;
    snprintf(s->keyword, sizeof s->keyword, "ok");
    s->interval_seconds = 120;
}

static void test_a_patch_changes_only_what_it_names(void **state)
{
    (void)state;
    struct mon_settings s, before;
    stored_settings(&s);
    before = s;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.has_timeout_ms = 1;
    in.timeout_ms = 2000;
    struct checked c;
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, 0);
    mon_change_apply(&c.change, &s);
    assert_int_equal(s.timeout_ms, 2000);
    s.timeout_ms = before.timeout_ms;
    assert_memory_equal(&s, &before, sizeof s);
    sw_reply_reset(&c.reply);
}

static void test_null_clears_a_nullable_field_and_a_value_sets_it(void **state)
{
    (void)state;
    struct mon_settings s;
    stored_settings(&s);
    Sw__Monitors__NullableInt32 status = SW__MONITORS__NULLABLE_INT32__INIT;
    Sw__Monitors__NullableString keyword = SW__MONITORS__NULLABLE_STRING__INIT;
    Sw__Monitors__NullableString name = SW__MONITORS__NULLABLE_STRING__INIT;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.expected_status = &status; /* present without a value: null */
    in.keyword = &keyword;
    in.name = &name;
    struct checked c;
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, 0);
    mon_change_apply(&c.change, &s);
    assert_false(s.has_expected_status);
    assert_string_equal(s.keyword, "");
    /* A null name falls back to the URL (no new URL, so no host to take). */
    assert_string_equal(s.name, "https://example.com/health");
    sw_reply_reset(&c.reply);

    status.has_value = 1;
    status.value = 200;
    keyword.value = "needle";
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, 0);
    mon_change_apply(&c.change, &s);
    assert_true(s.has_expected_status);
    assert_int_equal(s.expected_status, 200);
    assert_string_equal(s.keyword, "needle");
    sw_reply_reset(&c.reply);
}

static void test_paused_is_applied_when_given(void **state)
{
    (void)state;
    struct mon_settings s;
    stored_settings(&s);
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.has_paused = 1;
    in.paused = 1;
    struct checked c;
    check(&in, &FREE, false, &c);
    mon_change_apply(&c.change, &s);
    assert_true(s.paused);
    sw_reply_reset(&c.reply);
}

/* Checks and applies {kind?, url?} onto the defaults; the settings into *s, the reply's rc. */
static int kind_settings(const char *kind, const char *url, struct mon_settings *s,
                         struct sw_reply *reply)
{
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    in.kind = (char *)kind;
    in.url = (char *)url;
    struct mon_change change;
    sw_reply_init(reply);
    mon_settings_defaults(&FREE, s);
    int rc = mon_change_check(&in, &FREE, &NO_ALLOW, true, &change, reply);
    if (rc)
        return rc;
    mon_change_apply(&change, s);
    return mon_settings_check(s, reply);
}

static void test_tcp_urls_need_a_port_and_nothing_after_it(void **state)
{
    (void)state;
    struct mon_settings s;
    struct sw_reply reply;
    assert_int_equal(kind_settings("tcp", "TCP://DB.Example.COM:5432/", &s, &reply), 0);
    assert_string_equal(s.url, "tcp://db.example.com:5432");
    assert_string_equal(s.name, "db.example.com");
    assert_int_equal(kind_settings("tcp", "tcp://[2606:4700::1111]:443", &s, &reply), 0);
    assert_string_equal(s.url, "tcp://[2606:4700::1111]:443");
    static const char *const REFUSED[] = {"tcp://example.com",      "tcp://example.com:80/x",
                                          "tcp://example.com:80?q", "tcp://u@example.com:80",
                                          "tcp://10.0.0.1:5432",    "tcp://localhost:22",
                                          "https://example.com/"};
    for (size_t i = 0; i < ARRAY_LEN(REFUSED); i++) {
        if (kind_settings("tcp", REFUSED[i], &s, &reply) == 0)
            fail_msg("%s was accepted", REFUSED[i]);
        assert_true(has_field_error(&reply, "url"));
        sw_reply_reset(&reply);
    }
}

static void test_dns_names_are_public_host_names(void **state)
{
    (void)state;
    struct mon_settings s;
    struct sw_reply reply;
    assert_int_equal(kind_settings("dns", "dns://_DMARC.Example.com./", &s, &reply), 0);
    assert_string_equal(s.url, "dns://_dmarc.example.com");
    assert_string_equal(s.record_type, "A");
    static const char *const REFUSED[] = {
        "dns://93.184.216.34",
        "dns://localhost",
        "dns://printer.local",
        "dns://db.internal",
        "dns://nas.home.arpa",
        "dns://intranet",
        "dns://a..b.com",
        "dns://bad!.example.com",
        "dns://example.com:53",
        "dns://example.com/x",
        "dns://",
    };
    for (size_t i = 0; i < ARRAY_LEN(REFUSED); i++) {
        if (kind_settings("dns", REFUSED[i], &s, &reply) == 0)
            fail_msg("%s was accepted", REFUSED[i]);
        assert_true(has_field_error(&reply, "url"));
        sw_reply_reset(&reply);
    }
}

static void test_each_kind_keeps_to_its_own_fields(void **state)
{
    (void)state;
    struct mon_settings s;
    struct sw_reply reply;
    /* A URL's scheme must be its kind's. */
    assert_int_equal(kind_settings(NULL, "tcp://example.com:80", &s, &reply), SW_EINVAL);
    assert_true(has_field_error(&reply, "url"));
    sw_reply_reset(&reply);
    assert_int_equal(kind_settings("dns", "https://example.com/", &s, &reply), SW_EINVAL);
    sw_reply_reset(&reply);
    /* A heartbeat has no URL, is named "Heartbeat", and goes down at the first miss. */
    assert_int_equal(kind_settings("heartbeat", NULL, &s, &reply), 0);
    assert_string_equal(s.name, "Heartbeat");
    assert_string_equal(s.url, "");
    assert_int_equal(s.failure_threshold, 1);
    assert_int_equal(s.success_threshold, 1);
    assert_int_equal(kind_settings("heartbeat", "https://example.com/", &s, &reply), SW_EINVAL);
    sw_reply_reset(&reply);
    assert_int_equal(kind_settings("http", NULL, &s, &reply), SW_EINVAL);
    assert_true(has_field_error(&reply, "url"));
    sw_reply_reset(&reply);
    /* Fields of another kind are refused, not ignored. */
    mon_settings_defaults(&FREE, &s);
    snprintf(s.url, sizeof s.url, "https://example.com/");
    snprintf(s.record_type, sizeof s.record_type, "MX");
    s.grace_seconds = 5;
    sw_reply_init(&reply);
    assert_int_equal(mon_settings_check(&s, &reply), SW_EINVAL);
    assert_true(has_field_error(&reply, "record_type"));
    assert_true(has_field_error(&reply, "grace_seconds"));
    sw_reply_reset(&reply);
}

static void test_kind_record_type_and_grace_are_checked(void **state)
{
    (void)state;
    Sw__Monitors__EndpointInput in = SW__MONITORS__ENDPOINT_INPUT__INIT;
    struct checked c;
    in.kind = "smtp";
    in.record_type = "SRV";
    in.has_grace_seconds = 1;
    in.grace_seconds = 86401;
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, SW_EINVAL);
    assert_true(has_field_error(&c.reply, "kind"));
    assert_true(has_field_error(&c.reply, "record_type"));
    assert_true(has_field_error(&c.reply, "grace_seconds"));
    sw_reply_reset(&c.reply);
    in.kind = "HeartBeat";
    in.record_type = "mx";
    in.grace_seconds = 86400;
    check(&in, &FREE, false, &c);
    assert_int_equal(c.rc, 0);
    assert_string_equal(c.change.kind, "heartbeat");
    assert_string_equal(c.change.record_type, "MX");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_follow_the_plan),
        cmocka_unit_test(test_private_loopback_and_reserved_literals_are_refused),
        cmocka_unit_test(test_localhost_names_are_loopback_whatever_the_hosts_file_says),
        cmocka_unit_test(test_an_allowed_range_lets_its_literals_through),
        cmocka_unit_test(test_names_are_accepted_without_resolving_them),
        cmocka_unit_test(test_only_http_and_https_urls_with_a_host),
        cmocka_unit_test(test_the_url_is_normalised_and_names_the_endpoint),
        cmocka_unit_test(test_ranges_follow_the_contract_and_the_plan),
        cmocka_unit_test(test_every_fault_is_reported_at_once),
        cmocka_unit_test(test_a_missing_url_is_reported_when_nothing_else_is_wrong),
        cmocka_unit_test(test_methods_are_canonical_and_limited),
        cmocka_unit_test(test_text_fields_count_characters_and_refuse_control_characters),
        cmocka_unit_test(test_a_patch_changes_only_what_it_names),
        cmocka_unit_test(test_null_clears_a_nullable_field_and_a_value_sets_it),
        cmocka_unit_test(test_paused_is_applied_when_given),
        cmocka_unit_test(test_tcp_urls_need_a_port_and_nothing_after_it),
        cmocka_unit_test(test_dns_names_are_public_host_names),
        cmocka_unit_test(test_each_kind_keeps_to_its_own_fields),
        cmocka_unit_test(test_kind_record_type_and_grace_are_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
