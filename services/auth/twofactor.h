/* The second factor of a membership: a TOTP code or one of its recovery codes. */
#ifndef AUTH_TWOFACTOR_H
#define AUTH_TWOFACTOR_H

#include <libpq-fe.h>
#include <stdbool.h>

/*
 * Whether `code` is the membership's current TOTP code (not accepted before)
 * or one of its unspent recovery codes; either is spent when it matches.
 */
int auth_second_factor_check(PGconn *db, const char *user_id, const char *code, bool *ok);

#endif
