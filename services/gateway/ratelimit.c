#include "ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define SLOTS 8192
#define PROBE 8

struct slot {
    uint64_t key; /* 0: free */
    double tokens;
    double updated_s;
};

struct gw_ratelimit {
    pthread_mutex_t lock;
    double capacity;
    double refill_per_s;
    struct slot slots[SLOTS];
};

struct gw_ratelimit *gw_ratelimit_new(int per_minute)
{
    struct gw_ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    rl->capacity = per_minute;
    rl->refill_per_s = per_minute / 60.0;
    return rl;
}

void gw_ratelimit_free(struct gw_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* FNV-1a over both strings; never 0 (0 marks a free slot). */
static uint64_t key_of(const char *bucket, const char *client)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = bucket; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ULL;
    h = (h ^ 0xFF) * 1099511628211ULL;
    for (const char *p = client; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ULL;
    return h ? h : 1;
}

bool gw_ratelimit_take(struct gw_ratelimit *rl, const char *bucket, const char *client,
                       double now_s)
{
    uint64_t key = key_of(bucket, client);
    pthread_mutex_lock(&rl->lock);
    struct slot *found = NULL, *victim = NULL;
    for (size_t i = 0; i < PROBE && !found; i++) {
        struct slot *s = &rl->slots[(key + i) % SLOTS];
        if (s->key == key)
            found = s;
        else if (!victim || (victim->key != 0 && (s->key == 0 || s->updated_s < victim->updated_s)))
            victim = s; /* prefer a free slot, else the one idle longest */
    }
    if (!found) {
        found = victim;
        found->key = key;
        found->tokens = rl->capacity;
        found->updated_s = now_s;
    }
    found->tokens += (now_s - found->updated_s) * rl->refill_per_s;
    if (found->tokens > rl->capacity)
        found->tokens = rl->capacity;
    found->updated_s = now_s;
    bool allowed = found->tokens >= 1.0;
    if (allowed)
        found->tokens -= 1.0;
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}
