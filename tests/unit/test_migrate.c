/*
 * sw_migrate_apply() / sw_migrate_pending() against a real PostgreSQL, given
 * by DATABASE_URL (tests/unit/with-pg.sh starts a private cluster). Each test
 * uses its own service name and tables so the tests stay independent.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_log.h"
#include "sw_migrate.h"
#include "sw_pg.h"
#include "unit.h"

static PGconn *db;

static int group_setup(void **state)
{
    (void)state;
    const char *url = getenv("DATABASE_URL");
    if (!url || !*url) {
        fprintf(stderr, "DATABASE_URL is not set: run this test through tests/unit/with-pg.sh\n");
        return -1;
    }
    return sw_pg_connect(url, 10000, &db) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    PQfinish(db);
    db = NULL;
    return 0;
}

/* Runs a query that returns one integer. */
static long long query_int(const char *sql)
{
    PGresult *res = PQexec(db, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        char err[512];
        snprintf(err, sizeof err, "%s", PQresultErrorMessage(res));
        PQclear(res);
        fail_msg("query failed: %s: %s", sql, err);
    }
    long long v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

/* Number of recorded migrations of a service. */
static long long recorded(const char *service)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM public.sw_migrations WHERE service = '%s'",
             service);
    return query_int(sql);
}

static bool is_recorded(const char *service, const char *version)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM public.sw_migrations WHERE service = '%s' AND version = '%s'",
             service, version);
    return query_int(sql) == 1;
}

static bool table_exists(const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT (to_regclass('public.%s') IS NOT NULL)::int", name);
    return query_int(sql) == 1;
}

static void test_migrations_are_applied_in_order_and_recorded(void **state)
{
    (void)state;
    /* Each file depends on the one before it, so any other order fails. */
    const struct sw_migration list[] = {
        {"001_create.sql", "CREATE TABLE mig_order (id int PRIMARY KEY);"},
        {"002_column.sql", "ALTER TABLE mig_order ADD COLUMN name text;"},
        {"003_row.sql", "INSERT INTO mig_order (id, name) VALUES (1, 'first');"
                        "INSERT INTO mig_order (id, name) VALUES (2, 'second');"},
    };
    assert_int_equal(sw_migrate_apply(db, "t_order", list, ARRAY_LEN(list)), 0);
    assert_int_equal(query_int("SELECT count(*) FROM mig_order WHERE name IS NOT NULL"), 2);
    assert_int_equal(recorded("t_order"), 3);
    assert_true(is_recorded("t_order", "001_create.sql"));
    assert_true(is_recorded("t_order", "002_column.sql"));
    assert_true(is_recorded("t_order", "003_row.sql"));
}

static void test_applying_again_is_a_no_op(void **state)
{
    (void)state;
    /* Re-running the insert would add a row (or fail on the primary key). */
    const struct sw_migration list[] = {
        {"001_create.sql", "CREATE TABLE mig_again (n int);"},
        {"002_row.sql", "INSERT INTO mig_again VALUES (1);"},
    };
    assert_int_equal(sw_migrate_apply(db, "t_again", list, ARRAY_LEN(list)), 0);
    assert_int_equal(sw_migrate_apply(db, "t_again", list, ARRAY_LEN(list)), 0);
    assert_int_equal(query_int("SELECT count(*) FROM mig_again"), 1);
    assert_int_equal(recorded("t_again"), 2);
}

static void test_new_migration_is_applied_after_earlier_ones(void **state)
{
    (void)state;
    const struct sw_migration list[] = {
        {"001_create.sql", "CREATE TABLE mig_later (n int);"},
        {"002_row.sql", "INSERT INTO mig_later VALUES (2);"},
    };
    assert_int_equal(sw_migrate_apply(db, "t_later", list, 1), 0);
    assert_int_equal(recorded("t_later"), 1);
    assert_int_equal(sw_migrate_apply(db, "t_later", list, 2), 0);
    assert_int_equal(recorded("t_later"), 2);
    assert_int_equal(query_int("SELECT count(*) FROM mig_later"), 1);
}

static void test_failing_migration_rolls_back_and_returns_an_error(void **state)
{
    (void)state;
    const struct sw_migration list[] = {
        {"001_ok.sql", "CREATE TABLE mig_fail_a (n int);"},
        /* The first statement succeeds, the second fails: neither may remain. */
        {"002_broken.sql", "CREATE TABLE mig_fail_b (n int);"
                           "INSERT INTO mig_fail_missing VALUES (1);"},
        {"003_after.sql", "CREATE TABLE mig_fail_c (n int);"},
    };
    assert_true(sw_migrate_apply(db, "t_fail", list, ARRAY_LEN(list)) < 0);
    assert_true(table_exists("mig_fail_a"));
    assert_true(is_recorded("t_fail", "001_ok.sql"));
    assert_false(table_exists("mig_fail_b"));
    assert_false(is_recorded("t_fail", "002_broken.sql"));
    /* Nothing after the failure runs either. */
    assert_false(table_exists("mig_fail_c"));
    assert_false(is_recorded("t_fail", "003_after.sql"));
    assert_int_equal(PQtransactionStatus(db), PQTRANS_IDLE);
}

static void test_failing_migration_releases_the_lock(void **state)
{
    (void)state;
    const struct sw_migration broken[] = {{"001_broken.sql", "SELECT * FROM mig_lock_missing;"}};
    assert_true(sw_migrate_apply(db, "t_lock", broken, 1) < 0);
    assert_int_equal(query_int("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                               "AND pid = pg_backend_pid()"),
                     0);
}

static void test_fixed_migration_applies_after_a_failure(void **state)
{
    (void)state;
    const struct sw_migration broken[] = {{"001_t.sql", "CREATE TABLE mig_fix (n int, n int);"}};
    const struct sw_migration fixed[] = {{"001_t.sql", "CREATE TABLE mig_fix (n int);"}};
    assert_true(sw_migrate_apply(db, "t_fix", broken, 1) < 0);
    assert_int_equal(sw_migrate_apply(db, "t_fix", fixed, 1), 0);
    assert_true(table_exists("mig_fix"));
    assert_true(is_recorded("t_fix", "001_t.sql"));
}

static void test_services_keep_separate_records(void **state)
{
    (void)state;
    const struct sw_migration a[] = {{"001_init.sql", "CREATE TABLE mig_sep_a (n int);"}};
    const struct sw_migration b[] = {{"001_init.sql", "CREATE TABLE mig_sep_b (n int);"}};
    assert_int_equal(sw_migrate_apply(db, "t_sep_a", a, 1), 0);
    assert_int_equal(sw_migrate_apply(db, "t_sep_b", b, 1), 0);
    assert_true(table_exists("mig_sep_a"));
    assert_true(table_exists("mig_sep_b"));
    assert_int_equal(recorded("t_sep_a"), 1);
    assert_int_equal(recorded("t_sep_b"), 1);
}

static void test_pending_counts_unapplied_migrations(void **state)
{
    (void)state;
    const struct sw_migration list[] = {
        {"001_a.sql", "CREATE TABLE mig_pending_a (n int);"},
        {"002_b.sql", "CREATE TABLE mig_pending_b (n int);"},
        {"003_c.sql", "CREATE TABLE mig_pending_c (n int);"},
    };
    /* Make sure the bookkeeping table exists whatever ran before. */
    assert_int_equal(sw_migrate_apply(db, "t_pending", list, 0), 0);
    int pending = -1;
    assert_int_equal(sw_migrate_pending(db, "t_pending", list, 3, &pending), 0);
    assert_int_equal(pending, 3);
    assert_int_equal(sw_migrate_apply(db, "t_pending", list, 2), 0);
    assert_int_equal(sw_migrate_pending(db, "t_pending", list, 3, &pending), 0);
    assert_int_equal(pending, 1);
    assert_int_equal(sw_migrate_apply(db, "t_pending", list, 3), 0);
    assert_int_equal(sw_migrate_pending(db, "t_pending", list, 3, &pending), 0);
    assert_int_equal(pending, 0);
}

static void test_pending_of_an_empty_list_is_zero(void **state)
{
    (void)state;
    int pending = -1;
    assert_int_equal(sw_migrate_pending(db, "t_empty", NULL, 0, &pending), 0);
    assert_int_equal(pending, 0);
}

struct replica {
    const char *url;
    const struct sw_migration *list;
    size_t n;
    int rc;
};

static void *replica_main(void *arg)
{
    struct replica *r = arg;
    PGconn *conn = NULL;
    r->rc = sw_pg_connect(r->url, 10000, &conn);
    if (r->rc == 0)
        r->rc = sw_migrate_apply(conn, "t_replicas", r->list, r->n);
    PQfinish(conn);
    return NULL;
}

static void test_concurrent_replicas_apply_each_migration_once(void **state)
{
    (void)state;
    /* A non-idempotent migration: applied twice it would insert two rows. */
    const struct sw_migration list[] = {
        {"001_create.sql", "CREATE TABLE mig_replicas (n int);"},
        {"002_row.sql", "INSERT INTO mig_replicas SELECT 1 FROM pg_sleep(0.2);"},
    };
    enum { REPLICAS = 4 };
    pthread_t threads[REPLICAS];
    struct replica replicas[REPLICAS];
    for (int i = 0; i < REPLICAS; i++) {
        replicas[i] = (struct replica){getenv("DATABASE_URL"), list, ARRAY_LEN(list), -1};
        assert_int_equal(pthread_create(&threads[i], NULL, replica_main, &replicas[i]), 0);
    }
    for (int i = 0; i < REPLICAS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < REPLICAS; i++)
        assert_int_equal(replicas[i].rc, 0);
    assert_int_equal(query_int("SELECT count(*) FROM mig_replicas"), 1);
    assert_int_equal(recorded("t_replicas"), 2);
}

int main(void)
{
    sw_log_init("test", SW_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations_are_applied_in_order_and_recorded),
        cmocka_unit_test(test_applying_again_is_a_no_op),
        cmocka_unit_test(test_new_migration_is_applied_after_earlier_ones),
        cmocka_unit_test(test_failing_migration_rolls_back_and_returns_an_error),
        cmocka_unit_test(test_failing_migration_releases_the_lock),
        cmocka_unit_test(test_fixed_migration_applies_after_a_failure),
        cmocka_unit_test(test_services_keep_separate_records),
        cmocka_unit_test(test_pending_counts_unapplied_migrations),
        cmocka_unit_test(test_pending_of_an_empty_list_is_zero),
        cmocka_unit_test(test_concurrent_replicas_apply_each_migration_once),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
