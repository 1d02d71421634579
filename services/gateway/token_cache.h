/*
 * A cache of access tokens the gateway has already verified. Decoding the
 * PEM key and checking an ECDSA signature costs far more than the rest of a
 * request, and a client presents the same token for up to five minutes, so
 * the claims of a verified token are kept under its BLAKE2b digest (a
 * collision-resistant key: a forged token cannot hit another's entry) until
 * the token expires. Fixed size, striped locks; owned by main().
 */
#ifndef GW_TOKEN_CACHE_H
#define GW_TOKEN_CACHE_H

#include <stdbool.h>

#include "sw_jwt.h"

struct gw_token_cache;

struct gw_token_cache *gw_token_cache_new(void);
void gw_token_cache_free(struct gw_token_cache *cache);

/* Verifies `token` as an access token, using and filling the cache. */
int gw_token_verify(struct gw_token_cache *cache, const struct sw_jwt_key *key, const char *token,
                    long now, struct sw_claims *out);

#endif
