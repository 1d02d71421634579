/*
 * One-time tokens of e-mailed links (verification: 48 hours; password reset:
 * 1 hour) and of login challenges: 32 random bytes (libsodium) as base64url,
 * stored only as their BLAKE2b-256 digest, spent on first use.
 */
#ifndef AUTH_ONE_TIME_H
#define AUTH_ONE_TIME_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "sw_random.h"

#define AUTH_TOKEN_TEXT 48  /* base64url of 32 bytes and the NUL */
#define AUTH_DIGEST_TEXT 65 /* hex of 32 bytes and the NUL */

#define AUTH_VERIFY_TABLE "auth.email_verification_tokens"
#define AUTH_RESET_TABLE "auth.password_reset_tokens"

enum auth_token_state { AUTH_TOKEN_OK, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED };

/* The digest under which token is stored. */
void auth_token_digest(const char *token, char out[AUTH_DIGEST_TEXT]);

/* A fresh token into out. */
int auth_token_new(char out[AUTH_TOKEN_TEXT]);

/* Stores a new token of `table` for the user, valid ttl_s seconds; the token into out. */
int auth_token_issue(PGconn *db, const char *table, const char *user_id, long ttl_s,
                     char out[AUTH_TOKEN_TEXT]);

/*
 * Spends token of `table`: *state says whether it was good, unknown or
 * already used (INVALID), or out of time (EXPIRED); user_id is set when OK.
 * Returns 0 or a database error.
 */
int auth_token_spend(PGconn *db, const char *table, const char *token, enum auth_token_state *state,
                     char user_id[SW_UUID_LEN]);

struct sw_reply;
/* Fails the reply 400 invalid_token or token_expired, as the state says. */
void auth_token_refused(struct sw_reply *reply, enum auth_token_state state);

/*
 * The form a link opens: its token and a new password typed twice (policy:
 * the password rules apply too). false after field errors or a missing token.
 */
bool auth_check_link_form(const char *token, const char *password, const char *confirm, bool policy,
                          struct sw_reply *reply);

#endif
