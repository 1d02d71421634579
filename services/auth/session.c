#include "session.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"

void auth_pair_free(struct auth_pair *pair)
{
    free(pair->access);
    free(pair->refresh);
    pair->access = pair->refresh = NULL;
}

/* Records a new refresh token of the session and signs both tokens. */
static int issue_pair(PGconn *db, const struct auth_service *svc, const struct auth_identity *who,
                      struct auth_pair *pair)
{
    char refresh_jti[SW_UUID_LEN], access_jti[SW_UUID_LEN], ttl[32];
    sw_uuid_v4(refresh_jti);
    sw_uuid_v4(access_jti);
    snprintf(ttl, sizeof ttl, "%ld", svc->refresh_ttl_s);
    const char *params[] = {refresh_jti, who->session_id, ttl};
    int rc = sw_pg_exec(db,
                        "INSERT INTO auth.refresh_tokens (jti, session_id, expires_at)"
                        " VALUES ($1, $2, now() + make_interval(secs => $3::int))",
                        3, params);
    long now = (long)time(NULL);
    if (rc == 0)
        rc = auth_token_sign(svc, who, "access", access_jti, now, svc->access_ttl_s, &pair->access);
    if (rc == 0)
        rc = auth_token_sign(svc, who, "refresh", refresh_jti, now, svc->refresh_ttl_s,
                             &pair->refresh);
    if (rc)
        auth_pair_free(pair);
    return rc;
}

int auth_session_start(PGconn *db, const struct auth_service *svc,
                       const struct auth_identity *who, struct auth_pair *pair)
{
    PGresult *res = NULL;
    const char *params[] = {who->user_id};
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db, "INSERT INTO auth.sessions (user_id) VALUES ($1) RETURNING id", 1,
                         params, &res);
    if (rc == 0)
        rc = sw_pg_exec(db, "UPDATE auth.users SET last_login_at = now() WHERE id = $1", 1, params);
    if (rc == 0) {
        struct auth_identity with_session = *who;
        with_session.session_id = PQgetvalue(res, 0, 0);
        rc = issue_pair(db, svc, &with_session, pair);
    }
    if (rc == 0)
        rc = sw_pg_commit(db);
    if (rc) {
        sw_pg_rollback(db);
        auth_pair_free(pair);
    }
    PQclear(res);
    return rc;
}

static int revoke_session(PGconn *db, const char *session_id, const char *reason)
{
    const char *params[] = {session_id, reason};
    return sw_pg_exec(db,
                      "UPDATE auth.sessions SET revoked_at = now(), revoke_reason = $2"
                      " WHERE id = $1 AND revoked_at IS NULL",
                      2, params);
}

static void unauthenticated(struct sw_reply *reply, const char *message)
{
    sw_reply_error(reply, SW_UNAUTHENTICATED, "token_not_valid", "%s", message);
}

/*
 * The state of a presented refresh token, read under a row lock so two
 * concurrent refreshes of one token cannot both succeed.
 */
enum token_state { TOKEN_UNKNOWN, TOKEN_FRESH, TOKEN_SPENT, TOKEN_REVOKED };

static int lock_token(PGconn *db, const struct sw_claims *claims, enum token_state *state)
{
    const char *params[] = {claims->jti, claims->session_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT r.spent_at IS NOT NULL, s.revoked_at IS NOT NULL,"
                         " EXISTS (SELECT 1 FROM auth.token_blacklist b WHERE b.jti = r.jti),"
                         " r.expires_at < now()"
                         " FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id"
                         " WHERE r.jti = $1 AND r.session_id = $2 FOR UPDATE OF r, s",
                         2, params, &res);
    if (rc == 0) {
        if (PQntuples(res) == 0)
            *state = TOKEN_UNKNOWN;
        else if (sw_pg_bool(res, 0, 1) || sw_pg_bool(res, 0, 2) || sw_pg_bool(res, 0, 3))
            *state = TOKEN_REVOKED;
        else if (sw_pg_bool(res, 0, 0))
            *state = TOKEN_SPENT;
        else
            *state = TOKEN_FRESH;
    }
    PQclear(res);
    return rc;
}

/* Verifies a refresh JWT; on failure the reply says 401. */
static int verify_refresh(const struct auth_service *svc, const char *token,
                          struct sw_claims *claims, struct sw_reply *reply)
{
    int rc = sw_jwt_verify(&svc->public_key, token, "refresh", (long)time(NULL), claims);
    if (rc)
        unauthenticated(reply, "Token is invalid or expired.");
    return rc;
}

int auth_refresh(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    Sw__Auth__RefreshRequest *req = sw__auth__refresh_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct sw_claims claims;
    struct auth_pair pair = {0};
    enum token_state state = TOKEN_UNKNOWN;
    int rc = verify_refresh(svc, req->refresh, &claims, reply);
    if (rc)
        goto out;
    rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_token(ctx->db, &claims, &state);
    if (rc)
        goto out;
    if (state == TOKEN_SPENT) {
        /* Reuse of a rotated token: someone else may hold the login. End it. */
        rc = revoke_session(ctx->db, claims.session_id, "refresh_token_reuse");
        if (rc == 0)
            rc = sw_pg_commit(ctx->db);
        sw_log(SW_LOG_WARN, ctx->env->request_id, claims.tenant_id,
               "spent refresh token presented again: login %s revoked", claims.session_id);
        if (rc == 0)
            unauthenticated(reply, "Token has already been used; this login has been revoked.");
        goto out;
    }
    if (state != TOKEN_FRESH) {
        unauthenticated(reply, "Token is invalid or expired.");
        goto out;
    }
    const char *params[] = {claims.jti};
    rc = sw_pg_exec(ctx->db, "UPDATE auth.refresh_tokens SET spent_at = now() WHERE jti = $1", 1,
                    params);
    struct auth_identity who = {claims.user_id, claims.tenant_id, claims.schema, claims.role,
                                claims.session_id};
    if (rc == 0)
        rc = issue_pair(ctx->db, svc, &who, &pair);
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == 0) {
        Sw__Auth__RefreshReply out = SW__AUTH__REFRESH_REPLY__INIT;
        out.access = pair.access;
        out.refresh = pair.refresh;
        rc = sw_reply_body(reply, &out.base);
    }
out:
    sw_pg_rollback(ctx->db);
    auth_pair_free(&pair);
    sw__auth__refresh_request__free_unpacked(req, NULL);
    return rc;
}

int auth_logout(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    Sw__Auth__LogoutRequest *req = sw__auth__logout_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct sw_claims claims;
    enum token_state state = TOKEN_UNKNOWN;
    int rc = verify_refresh(svc, req->refresh, &claims, reply);
    if (rc == 0)
        rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_token(ctx->db, &claims, &state);
    if (rc == 0 && state != TOKEN_FRESH) {
        unauthenticated(reply, "Token is invalid or expired.");
        goto out;
    }
    char expires[32];
    snprintf(expires, sizeof expires, "%ld", claims.expires_at);
    const char *params[] = {claims.jti, expires};
    if (rc == 0)
        rc = sw_pg_exec(ctx->db,
                        "INSERT INTO auth.token_blacklist (jti, expires_at, reason)"
                        " VALUES ($1, to_timestamp($2::bigint), 'logout') ON CONFLICT DO NOTHING",
                        2, params);
    if (rc == 0)
        rc = revoke_session(ctx->db, claims.session_id, "logout");
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == 0) {
        Sw__Auth__LogoutReply out = SW__AUTH__LOGOUT_REPLY__INIT;
        rc = sw_reply_body(reply, &out.base);
    }
out:
    sw_pg_rollback(ctx->db);
    sw__auth__logout_request__free_unpacked(req, NULL);
    return rc;
}
