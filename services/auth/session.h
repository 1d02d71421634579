/*
 * Logins ("sessions") and their refresh tokens: issuing the first pair at
 * login, rotating on refresh (a spent token presented again revokes the whole
 * login), blacklisting on logout.
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

/* Creates a login for the user and signs its first token pair. */
int auth_session_start(PGconn *db, const struct auth_service *svc,
                       const struct auth_identity *who, struct auth_pair *pair);

#endif
