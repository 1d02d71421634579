/*
 * The whole checker (services/checker/runner.c: loop, exchange, feeder)
 * against an in-process stand-in for sw-monitors on inproc:// and the HTTP
 * target of test_checker_target.h: leased checks run and are reported once
 * each, results survive a sw-monitors outage, a stop lets the check in
 * flight finish and reports it, and a checker started before sw-monitors
 * waits for it. Assertions stay on the test thread; handlers only record.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitors.pb-c.h"
#include "runner.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "test_checker_target.h"
#include "unit.h"

#define MAX_CHECKS 8
#define MAX_RESULTS 32

struct fake_check {
    char endpoint_id[64];
    char url[160];
    char keyword[32];
    int timeout_ms;
};

struct fake_result {
    char endpoint_id[64];
    long long scheduled_unix_ms;
    bool ok;
    int status_code;
    char error[256];
};

/* What the stand-in for sw-monitors hands out and what it was told. */
struct fake_monitors {
    pthread_mutex_t mutex;
    struct fake_check checks[MAX_CHECKS];
    size_t n_checks, handed_out;
    int fail_reports; /* answer UNAVAILABLE to this many reports first */
    int lease_calls, report_calls, largest_lease_asked, lease_seconds_asked;
    char checker_id[64];
    struct fake_result results[MAX_RESULTS];
    size_t n_results;
};

static struct fake_monitors FAKE;
static struct target TARGET;

static void handle_lease(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__LeaseChecksRequest *req = request;
    struct fake_monitors *fake = ctx->service;
    Sw__Monitors__Check checks[MAX_CHECKS];
    Sw__Monitors__Check *ptrs[MAX_CHECKS];
    Sw__Monitors__LeaseChecksReply out = SW__MONITORS__LEASE_CHECKS_REPLY__INIT;
    pthread_mutex_lock(&fake->mutex);
    fake->lease_calls++;
    if (req->max_checks > fake->largest_lease_asked)
        fake->largest_lease_asked = req->max_checks;
    fake->lease_seconds_asked = req->has_lease_seconds ? req->lease_seconds : 0;
    snprintf(fake->checker_id, sizeof fake->checker_id, "%s", req->checker_id);
    while (out.n_checks < (size_t)req->max_checks && fake->handed_out < fake->n_checks) {
        const struct fake_check *c = &fake->checks[fake->handed_out++];
        Sw__Monitors__Check *check = &checks[out.n_checks];
        sw__monitors__check__init(check);
        check->endpoint_id = (char *)c->endpoint_id;
        check->scheduled_unix_ms = 1700000000000LL + (long long)fake->handed_out;
        check->url = (char *)c->url;
        check->method = "GET";
        check->timeout_ms = c->timeout_ms;
        check->keyword = c->keyword[0] ? (char *)c->keyword : NULL;
        check->attempt = 1;
        ptrs[out.n_checks++] = check;
    }
    pthread_mutex_unlock(&fake->mutex);
    out.checks = ptrs;
    out.has_lease_expires_unix_ms = out.n_checks > 0;
    out.lease_expires_unix_ms = sw_now_ms() + 4000;
    sw_reply_body(reply, &out.base);
}

static void handle_report(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__ReportResultsRequest *req = request;
    struct fake_monitors *fake = ctx->service;
    Sw__Monitors__ReportResultsReply out = SW__MONITORS__REPORT_RESULTS_REPLY__INIT;
    bool fail = false;
    pthread_mutex_lock(&fake->mutex);
    fake->report_calls++;
    if (fake->fail_reports > 0) {
        fake->fail_reports--;
        fail = true;
    }
    for (size_t i = 0; !fail && i < req->n_results && fake->n_results < MAX_RESULTS; i++) {
        const Sw__Monitors__Result *r = req->results[i];
        struct fake_result *copy = &fake->results[fake->n_results++];
        snprintf(copy->endpoint_id, sizeof copy->endpoint_id, "%s", r->endpoint_id);
        snprintf(copy->error, sizeof copy->error, "%s", r->error ? r->error : "");
        copy->scheduled_unix_ms = r->scheduled_unix_ms;
        copy->ok = r->ok;
        copy->status_code = r->has_status_code ? r->status_code : 0;
        out.stored++;
    }
    pthread_mutex_unlock(&fake->mutex);
    if (fail)
        sw_reply_fail(reply, SW_UNAVAILABLE, NULL, "down for the test");
    else
        sw_reply_body(reply, &out.base);
}

static const struct sw_rpc_method METHODS[] = {
    {"monitors.LeaseChecks", &sw__monitors__lease_checks_request__descriptor, handle_lease,
     SW_RPC_CHECKER},
    {"monitors.ReportResults", &sw__monitors__report_results_request__descriptor, handle_report,
     SW_RPC_CHECKER},
};

/* ---- helpers --------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    sw_log_init("test", SW_LOG_ERROR);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
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

static int reset_fake(void **state)
{
    (void)state;
    memset(&FAKE, 0, sizeof FAKE);
    return pthread_mutex_init(&FAKE.mutex, NULL);
}

static int destroy_fake(void **state)
{
    (void)state;
    pthread_mutex_destroy(&FAKE.mutex);
    return 0;
}

/* Queues a check of `path` on the target (or a full URL) for the next leases. */
static void add_check(const char *endpoint_id, const char *path, const char *keyword,
                      int timeout_ms)
{
    struct fake_check *c = &FAKE.checks[FAKE.n_checks++];
    snprintf(c->endpoint_id, sizeof c->endpoint_id, "%s", endpoint_id);
    if (path[0] == '/')
        snprintf(c->url, sizeof c->url, "%s%s", TARGET.base, path);
    else
        snprintf(c->url, sizeof c->url, "%s", path);
    snprintf(c->keyword, sizeof c->keyword, "%s", keyword);
    c->timeout_ms = timeout_ms;
}

static void unique_url(char *out, size_t size)
{
    static int counter;
    snprintf(out, size, "inproc://sw-test-checker-%d-%d", (int)getpid(), ++counter);
}

static struct sw_rpc_server *start_monitors(const char *url)
{
    /* sw-monitors' checker listener: the one role the checker dials as. */
    static struct sw_rpc_listener listener;
    listener = (struct sw_rpc_listener){url, SW_RPC_CHECKER, 2};
    struct sw_rpc_server_opts opts = {
        .service = "monitors",
        .listeners = &listener,
        .n_listeners = 1,
        .methods = METHODS,
        .n_methods = ARRAY_LEN(METHODS),
        .service_ctx = &FAKE,
    };
    struct sw_rpc_server *srv = NULL;
    assert_int_equal(sw_rpc_server_start(&opts, &srv), 0);
    return srv;
}

/* Small batches and a short poll, so that a handful of checks takes several calls. */
static void test_settings(const char *url, struct chk_settings *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(sw_cidr_list_parse("127.0.0.1/32", &s->allow), 0);
    s->concurrency = 8;
    s->batch = 2;
    s->lease_seconds = 4;
    s->poll_ms = 20;
    snprintf(s->checker_id, sizeof s->checker_id, "test-checker");
    snprintf(s->cfg.checker_rpc_url, sizeof s->cfg.checker_rpc_url, "%s", url);
    s->rpc_timeout_ms = 500;
}

static size_t results_so_far(void)
{
    pthread_mutex_lock(&FAKE.mutex);
    size_t n = FAKE.n_results;
    pthread_mutex_unlock(&FAKE.mutex);
    return n;
}

static size_t handed_out_so_far(void)
{
    pthread_mutex_lock(&FAKE.mutex);
    size_t n = FAKE.handed_out;
    pthread_mutex_unlock(&FAKE.mutex);
    return n;
}

/* Waits until `count` results arrived; false after timeout_ms. */
static bool wait_results(size_t count, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        if (results_so_far() >= count)
            return true;
        target_sleep_ms(10);
    }
    return false;
}

/* The one result for endpoint_id (fails if there is none or more than one). */
static const struct fake_result *result_for(const char *endpoint_id)
{
    const struct fake_result *found = NULL;
    for (size_t i = 0; i < FAKE.n_results; i++) {
        if (strcmp(FAKE.results[i].endpoint_id, endpoint_id) != 0)
            continue;
        if (found)
            fail_msg("%s was reported twice", endpoint_id);
        found = &FAKE.results[i];
    }
    if (!found)
        fail_msg("no result for %s", endpoint_id);
    return found;
}

/* ---- tests --------------------------------------------------------------- */

static void test_leased_checks_run_and_are_each_reported_once(void **state)
{
    (void)state;
    char url[96];
    unique_url(url, sizeof url);
    add_check("e-ok", "/ok", "", 2000);
    add_check("e-503", "/status/503", "", 2000);
    add_check("e-private", "http://10.0.0.5/", "", 2000);
    add_check("e-keyword", "/split", "needle", 2000);
    add_check("e-redirect", "/to-private", "", 2000);
    struct sw_rpc_server *srv = start_monitors(url);
    struct chk_settings settings;
    test_settings(url, &settings);
    struct chk_runner *runner = NULL;
    assert_int_equal(chk_runner_start(&settings, NULL, NULL, &runner), 0);

    bool all_in = wait_results(5, 10000);
    assert_int_equal(chk_runner_stop(runner, 30000), 0);
    sw_rpc_server_stop(srv);

    assert_true(all_in);
    assert_int_equal(FAKE.n_results, 5);
    assert_true(result_for("e-ok")->ok);
    assert_int_equal(result_for("e-ok")->status_code, 200);
    assert_false(result_for("e-503")->ok);
    assert_string_equal(result_for("e-503")->error, "expected status 2xx or 3xx, got 503");
    assert_string_equal(result_for("e-private")->error, "refused: 10.0.0.5 is a private address");
    assert_true(result_for("e-keyword")->ok);
    assert_string_equal(result_for("e-redirect")->error, "refused: 10.0.0.5 is a private address");
    assert_true(result_for("e-ok")->scheduled_unix_ms > 1700000000000LL);
    /* The lease request carried the settings. */
    assert_true(FAKE.largest_lease_asked >= 1 && FAKE.largest_lease_asked <= 2);
    assert_int_equal(FAKE.lease_seconds_asked, 4);
    assert_string_equal(FAKE.checker_id, "test-checker");
}

static void test_results_are_kept_and_sent_again_while_monitors_fails(void **state)
{
    (void)state;
    char url[96];
    unique_url(url, sizeof url);
    add_check("e-1", "/ok", "", 2000);
    add_check("e-2", "/ok", "hello", 2000);
    add_check("e-3", "/status/500", "", 2000);
    FAKE.fail_reports = 3;
    struct sw_rpc_server *srv = start_monitors(url);
    struct chk_settings settings;
    test_settings(url, &settings);
    struct chk_runner *runner = NULL;
    assert_int_equal(chk_runner_start(&settings, NULL, NULL, &runner), 0);

    bool all_in = wait_results(3, 15000);
    assert_int_equal(chk_runner_stop(runner, 30000), 0);
    sw_rpc_server_stop(srv);

    assert_true(all_in);
    assert_true(FAKE.report_calls >= 4);
    assert_int_equal(FAKE.n_results, 3);
    assert_true(result_for("e-1")->ok);
    assert_true(result_for("e-2")->ok);
    assert_false(result_for("e-3")->ok);
}

static void test_stop_lets_the_check_in_flight_finish_and_reports_it(void **state)
{
    (void)state;
    char url[96];
    unique_url(url, sizeof url);
    add_check("e-slow", "/slow", "", 5000);
    struct sw_rpc_server *srv = start_monitors(url);
    struct chk_settings settings;
    test_settings(url, &settings);
    struct chk_runner *runner = NULL;
    assert_int_equal(chk_runner_start(&settings, NULL, NULL, &runner), 0);
    for (int waited = 0; handed_out_so_far() < 1 && waited < 5000; waited += 5)
        target_sleep_ms(5);
    assert_int_equal(handed_out_so_far(), 1);

    /* The target answers /slow after 1.5 s; the stop must wait for it. */
    assert_int_equal(chk_runner_stop(runner, 30000), 0);
    sw_rpc_server_stop(srv);

    assert_int_equal(FAKE.n_results, 1);
    assert_true(result_for("e-slow")->ok);
    assert_int_equal(result_for("e-slow")->status_code, 200);
}

static void test_stop_abandons_a_check_still_running_past_the_grace(void **state)
{
    (void)state;
    char url[96];
    unique_url(url, sizeof url);
    add_check("e-slow", "/slow", "", 5000);
    struct sw_rpc_server *srv = start_monitors(url);
    struct chk_settings settings;
    test_settings(url, &settings);
    struct chk_runner *runner = NULL;
    assert_int_equal(chk_runner_start(&settings, NULL, NULL, &runner), 0);
    for (int waited = 0; handed_out_so_far() < 1 && waited < 5000; waited += 5)
        target_sleep_ms(5);
    assert_int_equal(handed_out_so_far(), 1);

    /* /slow takes 1.5 s; a grace of 300 ms ends the stop first, without a result. */
    long long started = sw_now_ms();
    assert_int_equal(chk_runner_stop(runner, 300), 0);
    long long took = sw_now_ms() - started;
    sw_rpc_server_stop(srv);

    assert_true(took < 1000);
    assert_int_equal(FAKE.n_results, 0);
}

static void test_checker_started_before_monitors_waits_for_it(void **state)
{
    (void)state;
    char url[96];
    unique_url(url, sizeof url);
    add_check("e-late", "/ok", "", 2000);
    struct chk_settings settings;
    test_settings(url, &settings);
    struct chk_runner *runner = NULL;
    assert_int_equal(chk_runner_start(&settings, NULL, NULL, &runner), 0);
    target_sleep_ms(700);
    struct sw_rpc_server *srv = start_monitors(url);

    bool arrived = wait_results(1, 15000);
    assert_int_equal(chk_runner_stop(runner, 30000), 0);
    sw_rpc_server_stop(srv);

    assert_true(arrived);
    assert_true(result_for("e-late")->ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_leased_checks_run_and_are_each_reported_once,
                                        reset_fake, destroy_fake),
        cmocka_unit_test_setup_teardown(test_results_are_kept_and_sent_again_while_monitors_fails,
                                        reset_fake, destroy_fake),
        cmocka_unit_test_setup_teardown(test_stop_lets_the_check_in_flight_finish_and_reports_it,
                                        reset_fake, destroy_fake),
        cmocka_unit_test_setup_teardown(test_stop_abandons_a_check_still_running_past_the_grace,
                                        reset_fake, destroy_fake),
        cmocka_unit_test_setup_teardown(test_checker_started_before_monitors_waits_for_it,
                                        reset_fake, destroy_fake),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
