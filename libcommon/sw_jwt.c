#include "sw_jwt.h"

#include <jwt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sw_status.h"

#define TOKEN_MAX_LEN 4096

static int copy_claim(jwt_t *jwt, const char *name, char *dst, size_t size)
{
    const char *value = jwt_get_grant(jwt, name);
    if (!value || strlen(value) >= size)
        return SW_EUNAUTH;
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

/* The string claims every token carries, and where they go in struct sw_claims. */
static const struct {
    const char *name;
    size_t offset;
} STRING_CLAIMS[] = {
    {"sub", offsetof(struct sw_claims, user_id)},    {"tid", offsetof(struct sw_claims, tenant_id)},
    {"tsc", offsetof(struct sw_claims, schema)},     {"role", offsetof(struct sw_claims, role)},
    {"sid", offsetof(struct sw_claims, session_id)}, {"jti", offsetof(struct sw_claims, jti)},
};

int sw_jwt_verify(const struct sw_jwt_key *key, const char *token, const char *expected_type,
                  long now, struct sw_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!token || strlen(token) > TOKEN_MAX_LEN || !key->pem)
        return SW_EUNAUTH;
    jwt_t *jwt = NULL;
    if (jwt_decode(&jwt, token, (const unsigned char *)key->pem, (int)key->pem_len) != 0 || !jwt)
        return SW_EUNAUTH;
    int rc = 0;
    if (jwt_get_alg(jwt) != jwt_str_alg(key->alg))
        rc = SW_EUNAUTH;
    const char *issuer = jwt_get_grant(jwt, "iss");
    if (rc == 0 && (!issuer || strcmp(issuer, SW_JWT_ISSUER) != 0))
        rc = SW_EUNAUTH;
    if (rc == 0)
        rc = copy_claim(jwt, "typ", out->type, sizeof out->type);
    if (rc == 0 && strcmp(out->type, expected_type) != 0)
        rc = SW_EUNAUTH;
    for (size_t i = 0; rc == 0 && i < sizeof STRING_CLAIMS / sizeof STRING_CLAIMS[0]; i++)
        rc = copy_claim(jwt, STRING_CLAIMS[i].name, (char *)out + STRING_CLAIMS[i].offset,
                        SW_CLAIM_MAX);
    const char *email = rc == 0 ? jwt_get_grant(jwt, "email") : NULL;
    if (email && strlen(email) < sizeof out->email)
        memcpy(out->email, email, strlen(email) + 1);
    if (rc == 0) {
        out->issued_at = jwt_get_grant_int(jwt, "iat");
        out->expires_at = jwt_get_grant_int(jwt, "exp");
        if (out->expires_at <= now)
            rc = SW_EUNAUTH;
    }
    jwt_free(jwt);
    return rc;
}
