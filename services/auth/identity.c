#include "identity.h"

#include <stdio.h>
#include <string.h>

#include "sw_metrics.h"
#include "sw_pg.h"
#include "sw_status.h"

int auth_hash_password(const char *password, char hash[AUTH_HASH_MAX])
{
    return crypto_pwhash_str_alg(hash, password, strlen(password),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : SW_EINTERNAL;
}

bool auth_password_matches(struct sw_metric *verifications, const char *hash, const char *password)
{
    sw_metric_add(verifications, NULL, 1);
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_identity_join(PGconn *db, const char *user_id, const char *new_hash)
{
    const char *params[] = {user_id, new_hash};
    return sw_pg_exec(
        db,
        "WITH u AS (UPDATE auth.users SET email_verified = true WHERE id = $1"
        " RETURNING email),"
        " own AS (DELETE FROM auth.credentials WHERE user_id = $1"
        " RETURNING password_hash)"
        " INSERT INTO auth.identities AS i (email, password_hash)"
        " SELECT u.email, coalesce($2::text, (SELECT password_hash FROM own)) FROM u"
        " WHERE coalesce($2::text, (SELECT password_hash FROM own)) IS NOT NULL"
        " ON CONFLICT (email) DO UPDATE"
        " SET password_hash = coalesce($2::text, i.password_hash), updated_at = now()",
        2, params);
}

int auth_membership_hash(PGconn *db, const char *user_id, char out[AUTH_HASH_MAX])
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT CASE WHEN u.email_verified THEN i.password_hash"
                          " ELSE c.password_hash END FROM auth.users u"
                          " LEFT JOIN auth.identities i ON i.email = u.email"
                          " LEFT JOIN auth.credentials c ON c.user_id = u.id"
                          " WHERE u.id = $1 AND u.is_active",
                          user_id, &res);
    if (rc == 0 && (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)))
        rc = SW_ENOTFOUND;
    if (rc == 0)
        snprintf(out, AUTH_HASH_MAX, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

int auth_revoke_email_logins(PGconn *db, const char *email, const char *reason)
{
    const char *params[] = {email, reason};
    return sw_pg_exec(db,
                      "UPDATE auth.sessions s SET revoked_at = now(), revoke_reason = $2"
                      " FROM auth.users u WHERE u.id = s.user_id AND u.email = $1"
                      " AND s.revoked_at IS NULL",
                      2, params);
}
