/*
 * Who logs in with which password (docs/DECISIONS.md, "Identity and login
 * cost"). A membership (an auth.users row: one e-mail in one tenant) whose
 * e-mail is verified logs in with the password of the e-mail's identity
 * (auth.identities, one per verified e-mail); one that is not verified yet
 * keeps its own (auth.credentials). A login therefore verifies at most two
 * password hashes however many memberships an e-mail has: the identity's,
 * and that of the e-mail's oldest unverified membership (the others do not
 * count at login until they are verified).
 */
#ifndef AUTH_IDENTITY_H
#define AUTH_IDENTITY_H

#include <libpq-fe.h>
#include <sodium.h>
#include <stdbool.h>

/* Memberships one e-mail may hold, across all organisations. */
#define AUTH_MAX_MEMBERSHIPS_PER_EMAIL 50

#define AUTH_HASH_MAX crypto_pwhash_STRBYTES

/* argon2id (libsodium's interactive limits) of password into hash. */
int auth_hash_password(const char *password, char hash[AUTH_HASH_MAX]);

struct sw_metric;

/*
 * One argon2id verification, counted in `verifications` (a counter without
 * labels, sw_auth_password_verifications_total; NULL counts nowhere), so
 * that the bound above can be seen, and tested, from the metrics.
 */
bool auth_password_matches(struct sw_metric *verifications, const char *hash, const char *password);

/*
 * Marks the membership verified and moves it under its e-mail's identity,
 * founding the identity with the membership's own password if there is none.
 * new_hash, when not NULL, becomes the identity's password (a reset). Run it
 * inside the caller's transaction.
 */
int auth_identity_join(PGconn *db, const char *user_id, const char *new_hash);

/* The password hash the active membership logs in with, into out; SW_ENOTFOUND if none. */
int auth_membership_hash(PGconn *db, const char *user_id, char out[AUTH_HASH_MAX]);

/* Ends every login of every membership of the e-mail (reason as recorded). */
int auth_revoke_email_logins(PGconn *db, const char *email, const char *reason);

#endif
