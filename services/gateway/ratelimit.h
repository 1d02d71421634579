/*
 * Per-client token buckets for abuse-prone routes (login, registration).
 * A bucket holds `per_minute` tokens and refills continuously; a request
 * that finds it empty is answered 429. The table is fixed-size and guarded
 * by one mutex (it is only consulted on rate-limited routes); when full, the
 * stalest entry is reused. Owned by main() (gw_ratelimit_new/free).
 */
#ifndef GW_RATELIMIT_H
#define GW_RATELIMIT_H

#include <stdbool.h>

struct gw_ratelimit;

struct gw_ratelimit *gw_ratelimit_new(int per_minute);
void gw_ratelimit_free(struct gw_ratelimit *rl);

/* Takes one token from the bucket of (bucket, client); false when empty. */
bool gw_ratelimit_take(struct gw_ratelimit *rl, const char *bucket, const char *client,
                       double now_s);

#endif
