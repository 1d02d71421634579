/*
 * The metrics registry: the exact exposition text of counters, gauges and
 * histograms (escaping, cumulative buckets, +Inf), refused names, the series
 * cap, concurrent updates, and collectors. When promtool is installed, the
 * rendered page must also pass `promtool check metrics`.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sw_metrics.h"
#include "unit.h"

static char *render(struct sw_metrics *m)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(sw_metrics_render(m, &text, &len), 0);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    return text;
}

static void test_counter_text_with_labels_in_creation_order(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct sw_metric *c =
        sw_metrics_counter(m, "sw_rpc_requests_total", "RPC calls.", "method,status");
    assert_non_null(c);
    sw_metric_add(c, (const char *[]){"auth.Login", "OK"}, 1);
    sw_metric_add(c, (const char *[]){"auth.Login", "UNAUTHENTICATED"}, 2);
    sw_metric_add(c, (const char *[]){"auth.Login", "OK"}, 1);
    sw_metric_add(c, (const char *[]){"auth.Login", "OK"}, -5); /* a counter never goes down */
    char *text = render(m);
    assert_string_equal(
        text, "# HELP sw_rpc_requests_total RPC calls.\n"
              "# TYPE sw_rpc_requests_total counter\n"
              "sw_rpc_requests_total{method=\"auth.Login\",status=\"OK\"} 2\n"
              "sw_rpc_requests_total{method=\"auth.Login\",status=\"UNAUTHENTICATED\"} 2\n");
    assert_true(sw_metric_value(c, (const char *[]){"auth.Login", "OK"}) == 2);
    assert_true(sw_metric_value(c, (const char *[]){"auth.Login", "NOT_FOUND"}) == 0);
    free(text);
    sw_metrics_free(m);
}

static void test_label_values_and_help_are_escaped(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct sw_metric *g = sw_metrics_gauge(m, "sw_odd", "a \\ back\nslash", "v");
    sw_metric_set(g, (const char *[]){"q\"uote\\d\nline"}, 1.5);
    sw_metric_set(g, (const char *[]){NULL}, -2);
    char *text = render(m);
    assert_string_equal(text, "# HELP sw_odd a \\\\ back\\nslash\n"
                              "# TYPE sw_odd gauge\n"
                              "sw_odd{v=\"q\\\"uote\\\\d\\nline\"} 1.5\n"
                              "sw_odd{v=\"\"} -2\n");
    free(text);
    sw_metrics_free(m);
}

static void test_histogram_buckets_are_cumulative_with_inf(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    static const double bounds[] = {0.1, 1, 10};
    struct sw_metric *h = sw_metrics_histogram(m, "sw_lag_seconds", "Lag.", NULL, bounds, 3);
    assert_non_null(h);
    sw_metric_observe(h, NULL, 0.05);
    sw_metric_observe(h, NULL, 0.1); /* on a bound: that bucket (le) */
    sw_metric_observe(h, NULL, 5);
    sw_metric_observe(h, NULL, 50);
    sw_metric_add(h, NULL, 1); /* not a histogram operation: ignored */
    char *text = render(m);
    assert_string_equal(text, "# HELP sw_lag_seconds Lag.\n"
                              "# TYPE sw_lag_seconds histogram\n"
                              "sw_lag_seconds_bucket{le=\"0.1\"} 2\n"
                              "sw_lag_seconds_bucket{le=\"1\"} 2\n"
                              "sw_lag_seconds_bucket{le=\"10\"} 3\n"
                              "sw_lag_seconds_bucket{le=\"+Inf\"} 4\n"
                              "sw_lag_seconds_sum 55.15\n"
                              "sw_lag_seconds_count 4\n");
    free(text);
    sw_metrics_free(m);
}

static void test_histogram_with_labels_and_default_buckets(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct sw_metric *h =
        sw_metrics_histogram(m, "sw_rpc_request_duration_seconds", "Time.", "method", NULL, 0);
    sw_metric_observe(h, (const char *[]){"a.B"}, 0.003);
    char *text = render(m);
    assert_non_null(
        strstr(text, "sw_rpc_request_duration_seconds_bucket{method=\"a.B\",le=\"0.0025\"} 0\n"
                     "sw_rpc_request_duration_seconds_bucket{method=\"a.B\",le=\"0.005\"} 1\n"));
    assert_non_null(strstr(text,
                           "{method=\"a.B\",le=\"10\"} 1\n"
                           "sw_rpc_request_duration_seconds_bucket{method=\"a.B\",le=\"+Inf\"} 1\n"
                           "sw_rpc_request_duration_seconds_sum{method=\"a.B\"} 0.003\n"
                           "sw_rpc_request_duration_seconds_count{method=\"a.B\"} 1\n"));
    free(text);
    sw_metrics_free(m);
}

static void test_a_family_without_series_has_only_its_header(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    sw_metrics_counter(m, "sw_a_total", "A.", NULL);
    struct sw_metric *b = sw_metrics_gauge(m, "sw_b", "B.", NULL);
    sw_metric_set(b, NULL, 12345678901234.0);
    char *text = render(m);
    assert_string_equal(text, "# HELP sw_a_total A.\n# TYPE sw_a_total counter\n"
                              "# HELP sw_b B.\n# TYPE sw_b gauge\nsw_b 12345678901234\n");
    free(text);
    sw_metrics_free(m);
}

static void test_bad_names_duplicates_and_null_are_refused(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    assert_null(sw_metrics_counter(m, "9lives_total", "x", NULL));
    assert_null(sw_metrics_counter(m, "has space_total", "x", NULL));
    assert_null(sw_metrics_counter(m, "ok_total", "x", "bad-label"));
    assert_null(sw_metrics_counter(m, "ok_total", "x", "__reserved"));
    assert_null(sw_metrics_counter(m, "ok_total", "x", "a,b,c,d,e"));
    assert_null(sw_metrics_histogram(m, "h", "x", "le", NULL, 0));
    static const double unsorted[] = {1, 0.5};
    assert_null(sw_metrics_histogram(m, "h", "x", NULL, unsorted, 2));
    assert_non_null(sw_metrics_counter(m, "ok_total", "x", "a,b,c,d"));
    assert_null(sw_metrics_gauge(m, "ok_total", "again", NULL));
    assert_null(sw_metrics_counter(NULL, "ok_total", "x", NULL));
    /* Updates of a NULL family are no-ops. */
    sw_metric_add(NULL, NULL, 1);
    sw_metric_set(NULL, NULL, 1);
    sw_metric_observe(NULL, NULL, 1);
    sw_metrics_free(m);
}

static void test_series_beyond_the_cap_are_dropped(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct sw_metric *c = sw_metrics_counter(m, "sw_many_total", "Many.", "id");
    char id[32];
    for (int i = 0; i < SW_METRICS_MAX_SERIES + 10; i++) {
        snprintf(id, sizeof id, "%d", i);
        sw_metric_add(c, (const char *[]){id}, 1);
    }
    assert_true(sw_metric_value(c, (const char *[]){"0"}) == 1);
    snprintf(id, sizeof id, "%d", SW_METRICS_MAX_SERIES);
    assert_true(sw_metric_value(c, (const char *[]){id}) == 0);
    /* An existing series still counts. */
    sw_metric_add(c, (const char *[]){"7"}, 1);
    assert_true(sw_metric_value(c, (const char *[]){"7"}) == 2);
    sw_metrics_free(m);
}

#define THREADS 4
#define ADDS 20000

static void *adder(void *arg)
{
    struct sw_metric *c = arg;
    for (int i = 0; i < ADDS; i++)
        sw_metric_add(c, (const char *[]){i % 2 ? "odd" : "even"}, 1);
    return NULL;
}

static void test_concurrent_updates_are_all_counted(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct sw_metric *c = sw_metrics_counter(m, "sw_adds_total", "Adds.", "kind");
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, adder, c), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_true(sw_metric_value(c, (const char *[]){"odd"}) == (double)THREADS * ADDS / 2);
    assert_true(sw_metric_value(c, (const char *[]){"even"}) == (double)THREADS * ADDS / 2);
    sw_metrics_free(m);
}

struct depth {
    struct sw_metric *gauge;
    int calls;
};

static void collect_depth(void *arg, PGconn *db)
{
    struct depth *d = arg;
    assert_null(db);
    d->calls++;
    sw_metric_set(d->gauge, (const char *[]){"pending"}, 40 + d->calls);
}

static void test_collectors_set_gauges_before_rendering(void **state)
{
    (void)state;
    struct sw_metrics *m = sw_metrics_new();
    struct depth d = {sw_metrics_gauge(m, "sw_queue_depth", "Depth.", "status"), 0};
    assert_int_equal(sw_metrics_on_scrape(m, collect_depth, &d), 0);
    sw_metrics_collect(m, NULL);
    sw_metrics_collect(m, NULL);
    assert_int_equal(d.calls, 2);
    char *text = render(m);
    assert_non_null(strstr(text, "sw_queue_depth{status=\"pending\"} 42\n"));
    free(text);
    sw_metrics_free(m);
}

/* The whole page of every kind through promtool, when it is installed. */
static void test_promtool_accepts_the_page(void **state)
{
    (void)state;
    if (access("/usr/bin/promtool", X_OK) != 0) {
        skip();
        return;
    }
    struct sw_metrics *m = sw_metrics_new();
    sw_metric_add(sw_metrics_counter(m, "sw_rpc_requests_total", "Calls.", "method,status"),
                  (const char *[]){"a.B", "OK"}, 3);
    sw_metric_observe(sw_metrics_histogram(m, "sw_rpc_request_duration_seconds", "Time.", "method",
                                           NULL, 0),
                      (const char *[]){"a.B"}, 0.2);
    sw_metric_set(sw_metrics_gauge(m, "sw_notify_queue_depth", "Depth \"q\".", "status"),
                  (const char *[]){"we\"ird\\"}, 7);
    sw_metrics_counter(m, "sw_empty_total", "Nothing yet.", NULL);
    char *text = render(m);
    char path[] = "/tmp/sw-metrics-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    pid_t pid = fork();
    if (pid == 0) { /* promtool reads the page on its standard input */
        dup2(fd, STDIN_FILENO);
        execl("/usr/bin/promtool", "promtool", "check", "metrics", (char *)NULL);
        _exit(127);
    }
    close(fd);
    int rc = -1;
    assert_true(pid > 0 && waitpid(pid, &rc, 0) == pid);
    unlink(path);
    free(text);
    sw_metrics_free(m);
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_text_with_labels_in_creation_order),
        cmocka_unit_test(test_label_values_and_help_are_escaped),
        cmocka_unit_test(test_histogram_buckets_are_cumulative_with_inf),
        cmocka_unit_test(test_histogram_with_labels_and_default_buckets),
        cmocka_unit_test(test_a_family_without_series_has_only_its_header),
        cmocka_unit_test(test_bad_names_duplicates_and_null_are_refused),
        cmocka_unit_test(test_series_beyond_the_cap_are_dropped),
        cmocka_unit_test(test_concurrent_updates_are_all_counted),
        cmocka_unit_test(test_collectors_set_gauges_before_rendering),
        cmocka_unit_test(test_promtool_accepts_the_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
