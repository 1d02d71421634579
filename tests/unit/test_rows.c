/*
 * Result rows → messages by column name (libcommon/sw_rows.c, sw_rows_fill):
 * results are built with libpq's PQmakeEmptyPGresult, so no server is needed.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <string.h>

#include "monitors.pb-c.h"
#include "notify.pb-c.h"
#include "sw_rows.h"
#include "unit.h"

/* A one-row result with the columns `names` and the values `values` (NULL: SQL NULL). */
static PGresult *one_row(const char *const *names, const char *const *values, int n)
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    assert_non_null(res);
    PGresAttDesc attrs[32];
    assert_true(n <= 32);
    memset(attrs, 0, sizeof attrs);
    for (int i = 0; i < n; i++) {
        attrs[i].name = (char *)names[i];
        attrs[i].format = 0;
        attrs[i].typlen = -1;
        attrs[i].atttypmod = -1;
    }
    assert_int_equal(PQsetResultAttrs(res, n, attrs), 1);
    for (int i = 0; i < n; i++)
        assert_int_equal(PQsetvalue(res, 0, i, (char *)values[i],
                                    values[i] ? (int)strlen(values[i]) : -1),
                         1);
    return res;
}

static void test_fill_sets_the_fields_named_like_the_columns(void **state)
{
    (void)state;
    const char *names[] = {"id",           "type",
                           "severity",     "title",
                           "message",      "endpoint_id",
                           "related_json", "created_unix_ms",
                           "read_unix_ms", "resolved_unix_ms"};
    const char *values[] = {"a1", "endpoint_down", "critical",      "Down",          "It is down",
                            "e1", "{\"x\":1}",     "1700000000123", "1700000000456", "-5"};
    PGresult *res = one_row(names, values, 10);
    Sw__Notify__Alert a;
    sw_rows_fill(res, 0, &sw__notify__alert__descriptor, &a);
    assert_string_equal(a.id, "a1");
    assert_string_equal(a.type, "endpoint_down");
    assert_string_equal(a.severity, "critical");
    assert_string_equal(a.title, "Down");
    assert_string_equal(a.message, "It is down");
    assert_string_equal(a.endpoint_id, "e1");
    assert_string_equal(a.related_json, "{\"x\":1}");
    assert_int_equal(a.created_unix_ms, 1700000000123LL);
    assert_true(a.has_read_unix_ms);
    assert_int_equal(a.read_unix_ms, 1700000000456LL);
    assert_true(a.has_resolved_unix_ms);
    assert_int_equal(a.resolved_unix_ms, -5);
    PQclear(res);
}

static void test_fill_leaves_null_optional_fields_absent_and_required_strings_empty(void **state)
{
    (void)state;
    const char *names[] = {"id", "type", "endpoint_id", "related_json", "read_unix_ms"};
    const char *values[] = {"a1", NULL, NULL, NULL, NULL};
    PGresult *res = one_row(names, values, 5);
    Sw__Notify__Alert a;
    sw_rows_fill(res, 0, &sw__notify__alert__descriptor, &a);
    assert_string_equal(a.type, "");
    assert_null(a.endpoint_id);
    assert_null(a.related_json);
    assert_false(a.has_read_unix_ms);
    assert_int_equal(a.read_unix_ms, 0);
    PQclear(res);
}

static void test_fill_reads_int32_bool_and_double_columns(void **state)
{
    (void)state;
    const char *names[] = {"interval_seconds", "expected_status", "uptime_24h",
                           "paused",           "paused_by_plan",  "last_latency_ms"};
    const char *values[] = {"60", "204", "99.125", "t", "f", NULL};
    PGresult *res = one_row(names, values, 6);
    Sw__Monitors__Endpoint e;
    sw_rows_fill(res, 0, &sw__monitors__endpoint__descriptor, &e);
    assert_int_equal(e.interval_seconds, 60);
    assert_true(e.has_expected_status);
    assert_int_equal(e.expected_status, 204);
    assert_true(e.has_uptime_24h);
    assert_true(e.uptime_24h > 99.124 && e.uptime_24h < 99.126);
    assert_true(e.paused);
    assert_false(e.paused_by_plan);
    assert_false(e.has_last_latency_ms);
    PQclear(res);
}

static void test_fill_passes_over_columns_that_name_no_field(void **state)
{
    (void)state;
    const char *names[] = {"id", "count", "events", "lease_until_ms"};
    const char *values[] = {"c1", "42", "endpoint_down,endpoint_up", "7"};
    PGresult *res = one_row(names, values, 4);
    Sw__Notify__Channel c;
    sw_rows_fill(res, 0, &sw__notify__channel__descriptor, &c);
    assert_string_equal(c.id, "c1");
    assert_int_equal(c.n_events, 0); /* a repeated field is the caller's */
    assert_null(c.events);
    PQclear(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_sets_the_fields_named_like_the_columns),
        cmocka_unit_test(test_fill_leaves_null_optional_fields_absent_and_required_strings_empty),
        cmocka_unit_test(test_fill_reads_int32_bool_and_double_columns),
        cmocka_unit_test(test_fill_passes_over_columns_that_name_no_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
