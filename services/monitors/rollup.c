#include "rollup.h"

#include <stdlib.h>

static const int BOUNDS[MON_BUCKETS] = {
    1,    2,    3,    4,    5,    6,    8,    10,   12,   15,    20,    25,    30,    40,
    50,   60,   80,   100,  120,  150,  200,  250,  300,  400,   500,   600,   800,   1000,
    1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 15000, 20000, 30000, 60000,
};

int mon_bucket_of(int latency_ms)
{
    for (int i = 0; i < MON_BUCKETS; i++)
        if (latency_ms <= BOUNDS[i])
            return i + 1;
    return MON_BUCKETS;
}

void mon_hist_add(const char *text, long long totals[MON_BUCKETS])
{
    const char *p = text;
    if (*p == '{')
        p++;
    for (int i = 0; i < MON_BUCKETS && *p && *p != '}'; i++) {
        char *end = NULL;
        totals[i] += strtoll(p, &end, 10);
        if (end == p)
            break;
        p = *end == ',' ? end + 1 : end;
    }
}

bool mon_hist_quantile(const long long totals[MON_BUCKETS], double q, int *out_ms)
{
    long long n = 0;
    for (int i = 0; i < MON_BUCKETS; i++)
        n += totals[i];
    if (n == 0)
        return false;
    /* The smallest bucket holding at least q of all samples. */
    long long rank = (long long)(q * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    long long seen = 0;
    for (int i = 0; i < MON_BUCKETS; i++) {
        seen += totals[i];
        if (seen >= rank) {
            *out_ms = BOUNDS[i];
            return true;
        }
    }
    *out_ms = BOUNDS[MON_BUCKETS - 1];
    return true;
}
