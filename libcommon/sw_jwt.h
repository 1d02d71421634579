/*
 * Verification of StatusWatch JWTs (signed by sw-auth with ES256 or RS256).
 * sw_jwt_verify() checks the signature with the public key, that the token's
 * algorithm is the one configured (no "none", no algorithm switching), the
 * issuer, the token type ("access" or "refresh") and expiry, and copies the
 * claims into fixed buffers owned by the caller's struct.
 */
#ifndef SW_JWT_H
#define SW_JWT_H

#include <stddef.h>

#define SW_JWT_ISSUER "statuswatch"
#define SW_CLAIM_MAX 80

struct sw_claims {
    char user_id[SW_CLAIM_MAX];   /* sub */
    char tenant_id[SW_CLAIM_MAX]; /* tid */
    char schema[SW_CLAIM_MAX];    /* tsc */
    char role[SW_CLAIM_MAX];
    char session_id[SW_CLAIM_MAX]; /* sid: one login */
    char jti[SW_CLAIM_MAX];
    char email[256]; /* email: the user's, for the audit log ("" when the token has none) */
    char type[16];   /* typ: access | refresh */
    long issued_at;
    long expires_at;
};

/* A public key ready for verification; the struct owns pem. */
struct sw_jwt_key {
    char *pem;
    size_t pem_len;
    char alg[8];
};

/* SW_EUNAUTH for any invalid, expired or mistyped token. */
int sw_jwt_verify(const struct sw_jwt_key *key, const char *token, const char *expected_type,
                  long now, struct sw_claims *out);

#endif
