/*
 * Hourly rollups: a row per endpoint and hour bucket (date_trunc('hour',
 * checked_at)) counting checks, successful checks and a latency histogram of
 * the successful ones. A latency is counted in the first bucket whose upper
 * bound is at least the latency; the percentiles of a window are read back
 * as that bucket's upper bound (an upper estimate within about 25 %). The
 * bounds are part of the stored data: change them only with a migration that
 * rebuilds rollups_hourly.
 */
#ifndef MON_ROLLUP_H
#define MON_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>

#define MON_BUCKETS 42

/* The current hour bucket, and the first bucket of the 24 h window (SQL). */
#define MON_HOUR_NOW "date_trunc('hour', now())"
#define MON_WINDOW_24H "date_trunc('hour', now() - interval '24 hours')"

/* 1-based bucket index (as PostgreSQL arrays count) for a latency in ms. */
int mon_bucket_of(int latency_ms);

/* Adds a PostgreSQL int[] text value ("{1,2,…}") into totals. */
void mon_hist_add(const char *text, long long totals[MON_BUCKETS]);

/*
 * The q-quantile (0..1) of a histogram as a bucket bound in ms into *out_ms;
 * false (and *out_ms untouched) when the histogram is empty.
 */
bool mon_hist_quantile(const long long totals[MON_BUCKETS], double q, int *out_ms);

#endif
