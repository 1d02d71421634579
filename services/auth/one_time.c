#include "one_time.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "records.h"
#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_status.h"

#define TOKEN_BYTES 32

void auth_token_digest(const char *token, char out[AUTH_DIGEST_TEXT])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, AUTH_DIGEST_TEXT, digest, sizeof digest);
}

int auth_token_new(char out[AUTH_TOKEN_TEXT])
{
    return sw_random_token(TOKEN_BYTES, out, AUTH_TOKEN_TEXT);
}

int auth_token_issue(PGconn *db, const char *table, const char *user_id, long ttl_s,
                     char out[AUTH_TOKEN_TEXT])
{
    char digest[AUTH_DIGEST_TEXT], ttl[24], sql[256];
    int rc = auth_token_new(out);
    if (rc)
        return rc;
    auth_token_digest(out, digest);
    snprintf(ttl, sizeof ttl, "%ld", ttl_s);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (token_hash, user_id, expires_at)"
             " VALUES ($1, $2, now() + make_interval(secs => $3::int8))",
             table);
    const char *params[] = {digest, user_id, ttl};
    return sw_pg_exec(db, sql, 3, params);
}

int auth_token_spend(PGconn *db, const char *table, const char *token, enum auth_token_state *state,
                     char user_id[SW_UUID_LEN])
{
    char digest[AUTH_DIGEST_TEXT], sql[512];
    auth_token_digest(token, digest);
    const char *params[] = {digest};
    /* Spends a live token, or tells why not (absent: unknown). */
    snprintf(sql, sizeof sql,
             "WITH spent AS (UPDATE %s SET used_at = now() WHERE token_hash = $1"
             " AND used_at IS NULL AND expires_at > now() RETURNING user_id)"
             " SELECT user_id::text, 'ok' FROM spent UNION ALL"
             " SELECT NULL, CASE WHEN used_at IS NULL THEN 'expired' ELSE 'used' END"
             " FROM %s WHERE token_hash = $1 AND NOT EXISTS (SELECT 1 FROM spent)",
             table, table);
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, 1, params, &res);
    *state = AUTH_TOKEN_INVALID;
    if (rc == 0 && PQntuples(res) > 0) {
        const char *why = PQgetvalue(res, 0, 1);
        if (strcmp(why, "ok") == 0) {
            *state = AUTH_TOKEN_OK;
            snprintf(user_id, SW_UUID_LEN, "%s", PQgetvalue(res, 0, 0));
        } else if (strcmp(why, "expired") == 0) {
            *state = AUTH_TOKEN_EXPIRED;
        }
    }
    PQclear(res);
    return rc;
}

void auth_token_refused(struct sw_reply *reply, enum auth_token_state state)
{
    if (state == AUTH_TOKEN_EXPIRED)
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "token_expired",
                      "This link has expired; ask for a new one.");
    else
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_token",
                      "This link is not valid or was already used.");
}

bool auth_check_link_form(const char *token, const char *password, const char *confirm, bool policy,
                          struct sw_reply *reply)
{
    auth_check_new_password(password, confirm, policy, reply);
    if (!token[0])
        auth_token_refused(reply, AUTH_TOKEN_INVALID);
    return sw_reply_ok(reply);
}
