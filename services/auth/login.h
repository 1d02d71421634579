/*
 * The two steps of a login that several handlers share: finishing it (a new
 * session and its first token pair, answered as LoggedIn) and, for a
 * membership with two-factor on, the challenge between the password and the
 * code (challenge.c).
 */
#ifndef AUTH_LOGIN_H
#define AUTH_LOGIN_H

#include <libpq-fe.h>
#include <stdbool.h>

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

/*
 * Failed logins are limited per client address and per e-mail (a success
 * does not count; staff logins use the same rules, their e-mail keyed apart):
 * false, with the reply failed 429, when either budget is spent.
 */
bool auth_login_allowed(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply);
/* Counts a failed login against the address and the e-mail; the reply shows the address's state. */
void auth_login_count_failure(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply);

#endif
