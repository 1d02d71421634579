/*
 * Latency buckets of the hourly rollups. A successful check's latency is
 * counted in the first bucket whose upper bound is at least the latency; the
 * percentiles of a window are read back as that bucket's upper bound (an
 * upper estimate within about 25 %). The bounds are part of the stored data:
 * change them only with a migration that rebuilds rollups_hourly.
 */
#ifndef MON_ROLLUP_H
#define MON_ROLLUP_H

#include <stddef.h>

#define MON_BUCKETS 42

/* 1-based bucket index (as PostgreSQL arrays count) for a latency in ms. */
int mon_bucket_of(int latency_ms);

/* Adds a PostgreSQL int[] text value ("{1,2,…}") into totals. */
void mon_hist_add(const char *text, long long totals[MON_BUCKETS]);

/* The q-quantile (0..1) of a histogram as a bucket bound in ms; -1 when empty. */
int mon_hist_quantile(const long long totals[MON_BUCKETS], double q);

#endif
