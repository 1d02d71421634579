/*
 * Logins ("sessions") and their refresh tokens: issuing the first pair at
 * login, rotating on refresh (a spent token presented again revokes the whole
 * login; the new pair is built from the user, role and tenant as they are
 * now), ending a login on logout. A login lives at most AUTH_LOGIN_MAX_AGE_S.
 */
#ifndef AUTH_SESSION_H
#define AUTH_SESSION_H

#include "auth.h"
#include "tokens.h"

struct auth_pair {
    char *access;  /* owned */
    char *refresh; /* owned */
};

void auth_pair_free(struct auth_pair *pair);

/* Creates a login for the user, signs its first token pair and audits it (one transaction). */
int auth_session_start(struct sw_rpc_ctx *ctx, const struct auth_identity *who,
                       struct auth_pair *pair);

#endif
