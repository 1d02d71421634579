#include "token_cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192
#define STRIPES 64

struct entry {
    unsigned char digest[crypto_generichash_BYTES];
    bool used;
    struct sw_claims claims;
};

struct gw_token_cache {
    pthread_mutex_t locks[STRIPES];
    struct entry slots[SLOTS];
};

struct gw_token_cache *gw_token_cache_new(void)
{
    struct gw_token_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&cache->locks[i], NULL);
    return cache;
}

void gw_token_cache_free(struct gw_token_cache *cache)
{
    if (!cache)
        return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&cache->locks[i]);
    free(cache);
}

int gw_token_verify(struct gw_token_cache *cache, const struct sw_jwt_key *key, const char *token,
                    long now, struct sw_claims *out)
{
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL, 0);
    uint32_t slot;
    memcpy(&slot, digest, sizeof slot);
    slot %= SLOTS;
    pthread_mutex_t *lock = &cache->locks[slot % STRIPES];
    struct entry *e = &cache->slots[slot];

    pthread_mutex_lock(lock);
    bool hit = e->used && memcmp(e->digest, digest, sizeof digest) == 0 &&
               e->claims.expires_at > now;
    if (hit)
        *out = e->claims;
    pthread_mutex_unlock(lock);
    if (hit)
        return 0;

    int rc = sw_jwt_verify(key, token, "access", now, out);
    if (rc == 0) {
        pthread_mutex_lock(lock);
        memcpy(e->digest, digest, sizeof digest);
        e->claims = *out;
        e->used = true;
        pthread_mutex_unlock(lock);
    }
    return rc;
}
