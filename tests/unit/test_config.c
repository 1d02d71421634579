/* Configuration from the environment: defaults, validation and parsing. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sw_config.h"
#include "sw_status.h"
#include "unit.h"

/* Every variable these tests touch; each test starts with none of them set. */
static const char *const VARS[] = {
    "SW_ENV",
    "SW_LOG_LEVEL",
    "SW_VAR_DIR",
    "DATABASE_URL",
    "SW_WORKERS",
    "SW_RPC_TIMEOUT_MS",
    "SW_AUTH_RPC_URL",
    "SW_AUTH_PUB_URL",
    "SW_TENANTS_RPC_URL",
    "SW_TENANTS_PUB_URL",
    "SW_MONITORS_RPC_URL",
    "SW_MONITORS_PUB_URL",
    "SW_BILLING_RPC_URL",
    "SW_BILLING_PUB_URL",
    "SW_NOTIFY_RPC_URL",
    "SW_NOTIFY_PUB_URL",
    "SW_TEST_INT",
    "SW_TEST_BOOL",
    "SW_AUTH_PUBLIC_RPC_URL",
    "SW_MONITORS_CHECKER_RPC_URL",
    "SW_MONITORS_CHECKER_WORKERS",
    "SW_TLS_DIR",
};

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(VARS); i++)
        unsetenv(VARS[i]);
    return 0;
}

static void test_config_defaults_apply_when_nothing_is_set(void **state)
{
    (void)state;
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_false(cfg.production);
    assert_null(cfg.database_url);
    assert_string_equal(cfg.var_dir, "./var");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    assert_int_equal(cfg.workers, cpus < 2 ? 2 : cpus > 64 ? 64 : cpus);
    assert_int_equal(cfg.rpc_timeout_ms, 3000);
    assert_int_equal(cfg.log_level, SW_LOG_INFO);
    assert_string_equal(cfg.rpc_url[SW_SVC_AUTH], "ipc://./var/rpc/auth.ipc");
    assert_string_equal(cfg.pub_url[SW_SVC_AUTH], "ipc://./var/rpc/auth-events.ipc");
    assert_string_equal(cfg.rpc_url[SW_SVC_NOTIFY], "ipc://./var/rpc/notify.ipc");
}

static void test_config_default_urls_follow_var_dir(void **state)
{
    (void)state;
    setenv("SW_VAR_DIR", "/srv/sw", 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_string_equal(cfg.var_dir, "/srv/sw");
    assert_string_equal(cfg.rpc_url[SW_SVC_TENANTS], "ipc:///srv/sw/rpc/tenants.ipc");
    assert_string_equal(cfg.pub_url[SW_SVC_BILLING], "ipc:///srv/sw/rpc/billing-events.ipc");
}

static void test_config_reads_values_from_the_environment(void **state)
{
    (void)state;
    setenv("DATABASE_URL", "postgresql:///statuswatch", 1);
    setenv("SW_WORKERS", "16", 1);
    setenv("SW_RPC_TIMEOUT_MS", "500", 1);
    setenv("SW_LOG_LEVEL", "debug", 1);
    setenv("SW_AUTH_RPC_URL", "tcp://127.0.0.1:7001", 1);
    setenv("SW_TENANTS_RPC_URL", "inproc://tenants", 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_string_equal(cfg.database_url, "postgresql:///statuswatch");
    assert_int_equal(cfg.workers, 16);
    assert_int_equal(cfg.rpc_timeout_ms, 500);
    assert_int_equal(cfg.log_level, SW_LOG_DEBUG);
    assert_string_equal(cfg.rpc_url[SW_SVC_AUTH], "tcp://127.0.0.1:7001");
    assert_string_equal(cfg.rpc_url[SW_SVC_TENANTS], "inproc://tenants");
}

static void test_config_env_production_sets_production(void **state)
{
    (void)state;
    setenv("SW_ENV", "production", 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_true(cfg.production);
}

static void test_config_env_development_is_not_production(void **state)
{
    (void)state;
    setenv("SW_ENV", "development", 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_false(cfg.production);
}

static void test_config_unknown_env_is_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_ENV", "staging", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_ENV", "prod", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_workers_bounds_are_accepted(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_WORKERS", "1", 1);
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_int_equal(cfg.workers, 1);
    setenv("SW_WORKERS", "256", 1);
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_int_equal(cfg.workers, 256);
}

static void test_config_workers_out_of_range_are_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_WORKERS", "0", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_WORKERS", "257", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_WORKERS", "-4", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_workers_not_a_number_is_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_WORKERS", "four", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_WORKERS", "4x", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_rpc_timeout_out_of_range_is_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_RPC_TIMEOUT_MS", "49", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_RPC_TIMEOUT_MS", "60001", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_rpc_url_with_bad_scheme_is_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_MONITORS_RPC_URL", "http://localhost:8080", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_MONITORS_RPC_URL", "/var/run/monitors.ipc", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_pub_url_with_bad_scheme_is_refused(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_NOTIFY_PUB_URL", "udp://127.0.0.1:9", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_too_long_url_is_refused(void **state)
{
    (void)state;
    char url[SW_URL_MAX + 16];
    memcpy(url, "tcp://", 6);
    memset(url + 6, 'a', sizeof url - 7);
    url[sizeof url - 1] = '\0';
    setenv("SW_AUTH_RPC_URL", url, 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
}

static void test_config_listeners_default_to_one_ipc_socket_per_caller_role(void **state)
{
    (void)state;
    setenv("DATABASE_URL", "postgresql:///x", 1);
    setenv("SW_VAR_DIR", "/srv/sw", 1);
    struct sw_config cfg;
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_string_equal(cfg.rpc_url[SW_SVC_AUTH], "ipc:///srv/sw/rpc/auth.ipc");
    assert_string_equal(cfg.public_rpc_url[SW_SVC_AUTH], "ipc:///srv/sw/rpc/auth-public.ipc");
    assert_string_equal(cfg.checker_rpc_url, "ipc:///srv/sw/rpc/monitors-checker.ipc");
    assert_int_equal(cfg.checker_workers, 4);
    assert_string_equal(cfg.tls_dir, "/srv/sw/tls");
}

static void test_config_production_refuses_plain_tcp_but_takes_tls(void **state)
{
    (void)state;
    struct sw_config cfg;
    setenv("SW_ENV", "production", 1);
    setenv("SW_AUTH_PUBLIC_RPC_URL", "tcp://10.0.0.5:7001", 1);
    assert_int_equal(sw_config_load(&cfg), SW_EINVAL);
    setenv("SW_AUTH_PUBLIC_RPC_URL", "tls+tcp://10.0.0.5:7001", 1);
    setenv("SW_TLS_DIR", "/etc/statuswatch/tls", 1);
    assert_int_equal(sw_config_load(&cfg), 0);
    assert_string_equal(cfg.public_rpc_url[SW_SVC_AUTH], "tls+tcp://10.0.0.5:7001");
    assert_string_equal(cfg.tls_dir, "/etc/statuswatch/tls");
    setenv("SW_ENV", "development", 1);
    setenv("SW_AUTH_PUBLIC_RPC_URL", "tcp://10.0.0.5:7001", 1);
    assert_int_equal(sw_config_load(&cfg), 0);
}

static void test_service_names_are_short_lower_case(void **state)
{
    (void)state;
    assert_string_equal(sw_service_name(SW_SVC_AUTH), "auth");
    assert_string_equal(sw_service_name(SW_SVC_TENANTS), "tenants");
    assert_string_equal(sw_service_name(SW_SVC_MONITORS), "monitors");
    assert_string_equal(sw_service_name(SW_SVC_BILLING), "billing");
    assert_string_equal(sw_service_name(SW_SVC_NOTIFY), "notify");
    assert_string_equal(sw_service_name(SW_SVC_COUNT), "unknown");
}

static void test_env_str_empty_value_gives_default(void **state)
{
    (void)state;
    assert_string_equal(sw_env_str("SW_TEST_INT", "def"), "def");
    setenv("SW_TEST_INT", "", 1);
    assert_string_equal(sw_env_str("SW_TEST_INT", "def"), "def");
    setenv("SW_TEST_INT", "value", 1);
    assert_string_equal(sw_env_str("SW_TEST_INT", "def"), "value");
}

static void test_env_int_unset_gives_default(void **state)
{
    (void)state;
    int v = -1;
    assert_int_equal(sw_env_int("SW_TEST_INT", 7, 0, 10, &v), 0);
    assert_int_equal(v, 7);
}

static void test_env_int_empty_gives_default(void **state)
{
    (void)state;
    int v = -1;
    setenv("SW_TEST_INT", "", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 7, 0, 10, &v), 0);
    assert_int_equal(v, 7);
}

static void test_env_int_parses_values_in_range(void **state)
{
    (void)state;
    int v = 0;
    setenv("SW_TEST_INT", "42", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), 0);
    assert_int_equal(v, 42);
    setenv("SW_TEST_INT", "-5", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, -10, 10, &v), 0);
    assert_int_equal(v, -5);
    setenv("SW_TEST_INT", "100", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), 0);
    assert_int_equal(v, 100);
}

static void test_env_int_refuses_out_of_range(void **state)
{
    (void)state;
    int v = 3;
    setenv("SW_TEST_INT", "101", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
    setenv("SW_TEST_INT", "-1", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
    assert_int_equal(v, 3); /* untouched on error */
}

static void test_env_int_refuses_trailing_garbage(void **state)
{
    (void)state;
    int v = 0;
    setenv("SW_TEST_INT", "12abc", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
    setenv("SW_TEST_INT", "1.5", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
    setenv("SW_TEST_INT", "abc", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
}

static void test_env_int_refuses_overflow(void **state)
{
    (void)state;
    int v = 0;
    setenv("SW_TEST_INT", "99999999999999999999999", 1);
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
    setenv("SW_TEST_INT", "4294967297", 1); /* would wrap to 1 as an int */
    assert_int_equal(sw_env_int("SW_TEST_INT", 0, 0, 100, &v), SW_EINVAL);
}

static void test_env_bool_unset_gives_default(void **state)
{
    (void)state;
    bool b = false;
    assert_int_equal(sw_env_bool("SW_TEST_BOOL", true, &b), 0);
    assert_true(b);
    assert_int_equal(sw_env_bool("SW_TEST_BOOL", false, &b), 0);
    assert_false(b);
}

static void test_env_bool_accepts_true_words(void **state)
{
    (void)state;
    const char *words[] = {"1", "true", "yes", "on", "TRUE", "Yes", "On"};
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        bool b = false;
        setenv("SW_TEST_BOOL", words[i], 1);
        assert_int_equal(sw_env_bool("SW_TEST_BOOL", false, &b), 0);
        assert_true(b);
    }
}

static void test_env_bool_accepts_false_words(void **state)
{
    (void)state;
    const char *words[] = {"0", "false", "no", "off", "FALSE", "No", "OFF"};
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        bool b = true;
        setenv("SW_TEST_BOOL", words[i], 1);
        assert_int_equal(sw_env_bool("SW_TEST_BOOL", true, &b), 0);
        assert_false(b);
    }
}

static void test_env_bool_refuses_other_words(void **state)
{
    (void)state;
    const char *words[] = {"maybe", "2", "truee", "y", " true"};
    for (size_t i = 0; i < ARRAY_LEN(words); i++) {
        bool b = false;
        setenv("SW_TEST_BOOL", words[i], 1);
        assert_int_equal(sw_env_bool("SW_TEST_BOOL", false, &b), SW_EINVAL);
    }
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
#define T(fn) cmocka_unit_test_setup(fn, clear_env)
    const struct CMUnitTest tests[] = {
        T(test_config_defaults_apply_when_nothing_is_set),
        T(test_config_default_urls_follow_var_dir),
        T(test_config_listeners_default_to_one_ipc_socket_per_caller_role),
        T(test_config_production_refuses_plain_tcp_but_takes_tls),
        T(test_config_reads_values_from_the_environment),
        T(test_config_env_production_sets_production),
        T(test_config_env_development_is_not_production),
        T(test_config_unknown_env_is_refused),
        T(test_config_workers_bounds_are_accepted),
        T(test_config_workers_out_of_range_are_refused),
        T(test_config_workers_not_a_number_is_refused),
        T(test_config_rpc_timeout_out_of_range_is_refused),
        T(test_config_rpc_url_with_bad_scheme_is_refused),
        T(test_config_pub_url_with_bad_scheme_is_refused),
        T(test_config_too_long_url_is_refused),
        T(test_service_names_are_short_lower_case),
        T(test_env_str_empty_value_gives_default),
        T(test_env_int_unset_gives_default),
        T(test_env_int_empty_gives_default),
        T(test_env_int_parses_values_in_range),
        T(test_env_int_refuses_out_of_range),
        T(test_env_int_refuses_trailing_garbage),
        T(test_env_int_refuses_overflow),
        T(test_env_bool_unset_gives_default),
        T(test_env_bool_accepts_true_words),
        T(test_env_bool_accepts_false_words),
        T(test_env_bool_refuses_other_words),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
