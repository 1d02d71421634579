/*
 * The checker's settings (services/checker/settings.c): defaults, values
 * taken from the environment, and malformed values refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "sw_log.h"
#include "sw_status.h"
#include "unit.h"

static const char *const VARS[] = {"SW_CHECKER_ALLOW_CIDRS", "SW_CHECKER_CONCURRENCY",
                                   "SW_CHECKER_BATCH",       "SW_CHECKER_LEASE_SECONDS",
                                   "SW_CHECKER_POLL_MS",     "SW_CHECKER_ID"};

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(VARS); i++)
        unsetenv(VARS[i]);
    return 0;
}

static int load(struct chk_settings *out)
{
    struct sw_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.checker_rpc_url, SW_URL_MAX, "inproc://monitors-checker");
    cfg.rpc_timeout_ms = 1234;
    return chk_settings_load(&cfg, out);
}

static void test_defaults_apply_when_nothing_is_set(void **state)
{
    (void)state;
    struct chk_settings s;
    assert_int_equal(load(&s), 0);
    assert_int_equal(s.allow.n, 0);
    assert_int_equal(s.concurrency, 512);
    assert_int_equal(s.batch, 200);
    assert_int_equal(s.lease_seconds, 60);
    assert_int_equal(s.poll_ms, 250);
    assert_string_equal(s.cfg.checker_rpc_url, "inproc://monitors-checker");
    assert_int_equal(s.rpc_timeout_ms, 1234);
    char suffix[32];
    snprintf(suffix, sizeof suffix, "-%d", (int)getpid());
    size_t len = strlen(s.checker_id);
    assert_true(len > strlen(suffix));
    assert_string_equal(s.checker_id + len - strlen(suffix), suffix);
}

static void test_values_are_taken_from_the_environment(void **state)
{
    (void)state;
    setenv("SW_CHECKER_ALLOW_CIDRS", "127.0.0.1/32, ::1/128", 1);
    setenv("SW_CHECKER_CONCURRENCY", "64", 1);
    setenv("SW_CHECKER_BATCH", "10", 1);
    setenv("SW_CHECKER_LEASE_SECONDS", "4", 1);
    setenv("SW_CHECKER_POLL_MS", "20", 1);
    setenv("SW_CHECKER_ID", "checker-a", 1);
    struct chk_settings s;
    assert_int_equal(load(&s), 0);
    assert_int_equal(s.allow.n, 2);
    assert_int_equal(s.concurrency, 64);
    assert_int_equal(s.batch, 10);
    assert_int_equal(s.lease_seconds, 4);
    assert_int_equal(s.poll_ms, 20);
    assert_string_equal(s.checker_id, "checker-a");
}

static void test_malformed_values_are_refused(void **state)
{
    static const struct {
        const char *name, *value;
    } BAD[] = {
        {"SW_CHECKER_ALLOW_CIDRS", "127.0.0.1/33"},
        {"SW_CHECKER_ALLOW_CIDRS", "localhost"},
        {"SW_CHECKER_CONCURRENCY", "0"},
        {"SW_CHECKER_CONCURRENCY", "many"},
        {"SW_CHECKER_BATCH", "-1"},
        {"SW_CHECKER_LEASE_SECONDS", "0"},
        {"SW_CHECKER_POLL_MS", "5"},
        {"SW_CHECKER_ID", "has space"},
        {"SW_CHECKER_ID", "quote\"d"},
    };
    for (size_t i = 0; i < ARRAY_LEN(BAD); i++) {
        clear_env(state);
        setenv(BAD[i].name, BAD[i].value, 1);
        struct chk_settings s;
        if (load(&s) != SW_EINVAL)
            fail_msg("%s=%s was accepted", BAD[i].name, BAD[i].value);
    }
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults_apply_when_nothing_is_set, clear_env),
        cmocka_unit_test_setup(test_values_are_taken_from_the_environment, clear_env),
        cmocka_unit_test_setup(test_malformed_values_are_refused, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
