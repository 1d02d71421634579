/*
 * Signing of access (5 minutes) and refresh (7 days) JWTs with the service's
 * private key. Verification lives in libcommon/sw_jwt.c (shared with the
 * gateway). Returned token strings are owned by the caller (free()).
 */
#ifndef AUTH_TOKENS_H
#define AUTH_TOKENS_H

#include "auth.h"

/* Who a token speaks for: the sub, tid, tsc, role, sid and email claims. */
struct auth_identity {
    const char *user_id, *tenant_id, *schema, *role, *session_id;
    const char *email; /* for the audit log's actor; may be NULL */
};

/* Signs a token of `type` ("access" or "refresh") with the given jti. */
int auth_token_sign(const struct auth_service *svc, const struct auth_identity *who,
                    const char *type, const char *jti, long now, long ttl_s, char **out);

#endif
