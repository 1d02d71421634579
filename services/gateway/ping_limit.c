#include "ping_limit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_MS 60000LL

struct slot {
    uint64_t hash;       /* 0: free */
    long long window_ms; /* when its window started */
    int count;
};

struct gw_ping_limit {
    pthread_mutex_t mu;
    int per_minute;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot slots[GW_PING_SLOTS];
};

struct gw_ping_limit *gw_ping_limit_new(int per_minute)
{
    struct gw_ping_limit *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    pthread_mutex_init(&l->mu, NULL);
    l->per_minute = per_minute;
    crypto_shorthash_keygen(l->key);
    return l;
}

void gw_ping_limit_free(struct gw_ping_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    free(l);
}

int gw_ping_limit_per_minute(const struct gw_ping_limit *l) { return l->per_minute; }

bool gw_ping_limit_take(struct gw_ping_limit *l, const char *token, long long now_ms,
                        int *remaining, int *reset_s)
{
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, (const unsigned char *)token, strlen(token), l->key);
    uint64_t hash = 0;
    memcpy(&hash, out, sizeof hash);
    hash |= 1; /* never 0, the free mark */

    pthread_mutex_lock(&l->mu);
    struct slot *s = &l->slots[hash % GW_PING_SLOTS];
    if (s->hash != hash || now_ms - s->window_ms >= WINDOW_MS || now_ms < s->window_ms) {
        s->hash = hash;
        s->window_ms = now_ms;
        s->count = 0;
    }
    bool admitted = s->count < l->per_minute;
    if (admitted)
        s->count++;
    *remaining = l->per_minute - s->count;
    long long left_ms = s->window_ms + WINDOW_MS - now_ms;
    pthread_mutex_unlock(&l->mu);
    *reset_s = (int)((left_ms + 999) / 1000);
    return admitted;
}
