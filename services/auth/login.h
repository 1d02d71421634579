/*
 * The two steps of a login that several handlers share: finishing it (a new
 * session and its first token pair, answered as LoggedIn) and, for a
 * membership with two-factor on, the challenge between the password and the
 * code (challenge.c).
 */
#ifndef AUTH_LOGIN_H
#define AUTH_LOGIN_H

#include <libpq-fe.h>

#include "one_time.h"
#include "sw_rpc.h"
#include "tenants.pb-c.h"

/*
 * Starts the login of the membership at `row` of `users` (AUTH_USER_COLUMNS
 * first) into tenant and answers LoggedIn.
 */
void auth_login_finish(struct sw_rpc_ctx *ctx, const PGresult *users, int row,
                       const Sw__Tenants__Tenant *tenant, struct sw_reply *reply);

/* Stores a 5-minute challenge for the membership; its token into out. */
int auth_challenge_start(PGconn *db, const char *user_id, char out[AUTH_TOKEN_TEXT]);

#endif
