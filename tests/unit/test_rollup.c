/*
 * Rollup latency histograms (services/monitors/rollup.c): which bucket a
 * latency counts in, reading PostgreSQL's int[] text back, and the quantiles
 * read from the summed buckets (the bucket's upper bound).
 */
#include <string.h>

#include "rollup.h"
#include "unit.h"

static void test_a_latency_counts_in_the_first_bucket_that_holds_it(void **state)
{
    (void)state;
    assert_int_equal(mon_bucket_of(0), 1);
    assert_int_equal(mon_bucket_of(1), 1);
    assert_int_equal(mon_bucket_of(2), 2);
    assert_int_equal(mon_bucket_of(7), 7); /* (6, 8] */
    assert_int_equal(mon_bucket_of(8), 7);
    assert_int_equal(mon_bucket_of(9), 8); /* (8, 10] */
    assert_int_equal(mon_bucket_of(1000), 28);
    assert_int_equal(mon_bucket_of(1001), 29);
    assert_int_equal(mon_bucket_of(60000), MON_BUCKETS);
    /* Anything slower still counts, in the last bucket. */
    assert_int_equal(mon_bucket_of(600000), MON_BUCKETS);
}

static void test_buckets_rise_with_latency(void **state)
{
    (void)state;
    int previous = 1;
    for (int ms = 0; ms <= 70000; ms += 7) {
        int b = mon_bucket_of(ms);
        assert_true(b >= previous && b >= 1 && b <= MON_BUCKETS);
        previous = b;
    }
}

static void test_histograms_from_postgres_text_add_up(void **state)
{
    (void)state;
    long long totals[MON_BUCKETS] = {0};
    mon_hist_add("{1,2,3}", totals);
    mon_hist_add("{10,0,0,4}", totals);
    mon_hist_add("{}", totals);
    assert_int_equal(totals[0], 11);
    assert_int_equal(totals[1], 2);
    assert_int_equal(totals[2], 3);
    assert_int_equal(totals[3], 4);
    for (int i = 4; i < MON_BUCKETS; i++)
        assert_int_equal(totals[i], 0);
}

static void test_a_histogram_longer_than_the_buckets_is_cut(void **state)
{
    (void)state;
    char text[4 * MON_BUCKETS + 16] = "{";
    for (int i = 0; i < MON_BUCKETS + 3; i++)
        strcat(text, i ? ",1" : "1");
    strcat(text, "}");
    long long totals[MON_BUCKETS + 3];
    memset(totals, 0, sizeof totals);
    mon_hist_add(text, totals);
    for (int i = 0; i < MON_BUCKETS; i++)
        assert_int_equal(totals[i], 1);
    assert_int_equal(totals[MON_BUCKETS], 0);
}

static void test_an_empty_histogram_has_no_quantile(void **state)
{
    (void)state;
    long long totals[MON_BUCKETS] = {0};
    int ms = 12345;
    assert_false(mon_hist_quantile(totals, 0.5, &ms));
    assert_int_equal(ms, 12345);
}

static void test_one_sample_is_every_quantile(void **state)
{
    (void)state;
    long long totals[MON_BUCKETS] = {0};
    totals[mon_bucket_of(140) - 1] = 1;
    int p0 = 0, p50 = 0, p100 = 0;
    assert_true(mon_hist_quantile(totals, 0.0, &p0));
    assert_true(mon_hist_quantile(totals, 0.5, &p50));
    assert_true(mon_hist_quantile(totals, 1.0, &p100));
    assert_int_equal(p0, 150);
    assert_int_equal(p50, 150);
    assert_int_equal(p100, 150);
}

static void test_quantiles_are_the_bound_of_the_bucket_that_reaches_the_rank(void **state)
{
    (void)state;
    /* 90 checks at 20 ms, 5 at 100 ms, 5 at 2 s. */
    long long totals[MON_BUCKETS] = {0};
    totals[mon_bucket_of(20) - 1] = 90;
    totals[mon_bucket_of(100) - 1] = 5;
    totals[mon_bucket_of(2000) - 1] = 5;
    int p50 = 0, p90 = 0, p95 = 0, p96 = 0;
    assert_true(mon_hist_quantile(totals, 0.50, &p50));
    assert_true(mon_hist_quantile(totals, 0.90, &p90));
    assert_true(mon_hist_quantile(totals, 0.95, &p95));
    assert_true(mon_hist_quantile(totals, 0.96, &p96));
    assert_int_equal(p50, 20);
    assert_int_equal(p90, 20);  /* the 90th of 100 is the last at 20 ms */
    assert_int_equal(p95, 100); /* the 95th is the last at 100 ms */
    assert_int_equal(p96, 2000);
}

static void test_p95_of_twenty_samples_is_the_nineteenth(void **state)
{
    (void)state;
    /* 0.95 × 20 is 19 in decimal but not quite in binary: the rank must still be 19. */
    long long totals[MON_BUCKETS] = {0};
    totals[mon_bucket_of(10) - 1] = 19;
    totals[mon_bucket_of(500) - 1] = 1;
    int p95 = 0;
    assert_true(mon_hist_quantile(totals, 0.95, &p95));
    assert_int_equal(p95, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_latency_counts_in_the_first_bucket_that_holds_it),
        cmocka_unit_test(test_buckets_rise_with_latency),
        cmocka_unit_test(test_histograms_from_postgres_text_add_up),
        cmocka_unit_test(test_a_histogram_longer_than_the_buckets_is_cut),
        cmocka_unit_test(test_an_empty_histogram_has_no_quantile),
        cmocka_unit_test(test_one_sample_is_every_quantile),
        cmocka_unit_test(test_quantiles_are_the_bound_of_the_bucket_that_reaches_the_rank),
        cmocka_unit_test(test_p95_of_twenty_samples_is_the_nineteenth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
