/*
 * The per-token limit of heartbeat pings (services/gateway/ping_limit.c):
 * a window of one minute per token, tokens counted apart, the window's
 * remaining count and reset.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>

#include "ping_limit.h"
#include "unit.h"

static void test_a_token_gets_its_limit_per_minute(void **state)
{
    (void)state;
    struct gw_ping_limit *l = gw_ping_limit_new(3);
    assert_non_null(l);
    int remaining = 0, reset_s = 0;
    long long t0 = 1000000;
    for (int i = 0; i < 3; i++) {
        assert_true(gw_ping_limit_take(l, "token-a", t0 + i, &remaining, &reset_s));
        assert_int_equal(remaining, 2 - i);
    }
    assert_false(gw_ping_limit_take(l, "token-a", t0 + 10, &remaining, &reset_s));
    assert_int_equal(remaining, 0);
    assert_int_equal(reset_s, 60);
    assert_false(gw_ping_limit_take(l, "token-a", t0 + 30000, &remaining, &reset_s));
    assert_int_equal(reset_s, 30);
    /* Another token is counted on its own. */
    assert_true(gw_ping_limit_take(l, "token-b", t0 + 30000, &remaining, &reset_s));
    /* A new minute, a new window. */
    assert_true(gw_ping_limit_take(l, "token-a", t0 + 60000, &remaining, &reset_s));
    assert_int_equal(remaining, 2);
    gw_ping_limit_free(l);
}

static void test_many_tokens_never_share_a_count(void **state)
{
    (void)state;
    struct gw_ping_limit *l = gw_ping_limit_new(1);
    int remaining = 0, reset_s = 0, admitted = 0;
    char token[32];
    /* Each fresh token is admitted once, whatever slot it lands in. */
    for (int i = 0; i < 1000; i++) {
        snprintf(token, sizeof token, "tok-%d", i);
        admitted += gw_ping_limit_take(l, token, 5000, &remaining, &reset_s);
    }
    assert_int_equal(admitted, 1000);
    assert_int_equal(gw_ping_limit_per_minute(l), 1);
    gw_ping_limit_free(l);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_token_gets_its_limit_per_minute),
        cmocka_unit_test(test_many_tokens_never_share_a_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
