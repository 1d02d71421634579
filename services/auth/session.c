#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.pb-c.h"
#include "records.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenants_client.h"

void auth_pair_free(struct auth_pair *pair)
{
    free(pair->access);
    free(pair->refresh);
    pair->access = pair->refresh = NULL;
}

/* Records a new refresh token of the session and signs both tokens. */
static int issue_pair(PGconn *db, const struct auth_service *svc, const struct auth_identity *who,
                      long refresh_ttl_s, struct auth_pair *pair)
{
    char refresh_jti[SW_UUID_LEN], access_jti[SW_UUID_LEN], ttl[32];
    sw_uuid_v4(refresh_jti);
    sw_uuid_v4(access_jti);
    snprintf(ttl, sizeof ttl, "%ld", refresh_ttl_s);
    const char *params[] = {refresh_jti, who->session_id, ttl};
    int rc = sw_pg_exec(db,
                        "INSERT INTO auth.refresh_tokens (jti, session_id, expires_at)"
                        " VALUES ($1, $2, now() + make_interval(secs => $3::int))",
                        3, params);
    long now = (long)time(NULL);
    if (rc == 0)
        rc = auth_token_sign(svc, who, "access", access_jti, now, AUTH_ACCESS_TTL_S, &pair->access);
    if (rc == 0)
        rc = auth_token_sign(svc, who, "refresh", refresh_jti, now, refresh_ttl_s, &pair->refresh);
    if (rc)
        auth_pair_free(pair);
    return rc;
}

int auth_session_start(struct sw_rpc_ctx *ctx, const struct auth_identity *who,
                       struct auth_pair *pair)
{
    PGconn *db = ctx->db;
    const struct auth_service *svc = ctx->service;
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
        rc = issue_pair(db, svc, &with_session, AUTH_REFRESH_TTL_S, pair);
    }
    if (rc == 0)
        rc = auth_audit_self(ctx, who->user_id, "auth.login");
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
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "token_not_valid", "%s", message);
}

#define INVALID_OR_EXPIRED "Token is invalid or expired."

/*
 * A presented refresh token, its login and the login's user as they are now,
 * read under a row lock so two concurrent refreshes of one token cannot both
 * succeed. UNKNOWN: no such token (or its user was removed); ENDED: expired,
 * blacklisted, or its login revoked or past its absolute lifetime.
 */
enum token_state { TOKEN_UNKNOWN, TOKEN_FRESH, TOKEN_SPENT, TOKEN_ENDED };

enum {
    COL_SPENT,
    COL_ENDED,
    COL_USER_ID,
    COL_TENANT_ID,
    COL_ROLE,
    COL_ACTIVE,
    COL_SECONDS_LEFT,
    COL_EMAIL
};

struct token_row {
    enum token_state state;
    PGresult *res; /* the row, columns COL_… */
};

static int lock_token(PGconn *db, const struct sw_claims *claims, struct token_row *tok)
{
    tok->state = TOKEN_UNKNOWN;
    tok->res = NULL;
    if (!sw_uuid_valid(claims->jti) || !sw_uuid_valid(claims->session_id))
        return 0;
    const char *params[] = {claims->jti, claims->session_id};
    int rc = sw_pg_query(
        db,
        "SELECT r.spent_at IS NOT NULL,"
        " NOT " AUTH_SESSION_LIVE(
            "s") " OR r.expires_at < now()"
                 " OR EXISTS (SELECT 1 FROM auth.token_blacklist b WHERE b.jti = r.jti),"
                 " u.id, u.tenant_id, u.role, u.is_active, " AUTH_SESSION_SECONDS_LEFT(
                     "s") ", u.email"
                          " FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id"
                          " JOIN auth.users u ON u.id = s.user_id"
                          " WHERE r.jti = $1 AND r.session_id = $2 FOR UPDATE OF r, s",
        2, params, &tok->res);
    if (rc || PQntuples(tok->res) == 0)
        return rc;
    if (sw_pg_bool(tok->res, 0, COL_ENDED))
        tok->state = TOKEN_ENDED;
    else if (sw_pg_bool(tok->res, 0, COL_SPENT))
        tok->state = TOKEN_SPENT;
    else
        tok->state = TOKEN_FRESH;
    return 0;
}

/* Verifies a refresh JWT; on failure the reply says 401. */
static int verify_refresh(const struct auth_service *svc, const char *token,
                          struct sw_claims *claims, struct sw_reply *reply)
{
    int rc = sw_jwt_verify(&svc->public_key, token, "refresh", (long)time(NULL), claims);
    if (rc)
        unauthenticated(reply, INVALID_OR_EXPIRED);
    return rc;
}

/*
 * The tenant as it is now. Only a tenant that no longer exists ends its
 * logins: a suspended account keeps them (api.md: refresh, /me, logout and
 * billing stay open to it, so the customer can pay).
 */
static int current_tenant(struct sw_rpc_ctx *ctx, const char *tenant_id, struct sw_rpc_result *res,
                          const Sw__Tenants__Tenant **tenant, struct sw_reply *reply)
{
    int rc = auth_tenants_get(ctx, tenant_id, res, tenant);
    if (rc == SW_ENOTFOUND)
        unauthenticated(reply, "This organisation no longer exists.");
    else if (rc)
        auth_tenants_forward(reply, res, rc);
    return rc;
}

/* A spent token presented again: someone else may hold the login. End it. */
static int end_reused_login(struct sw_rpc_ctx *ctx, const struct sw_claims *claims,
                            struct sw_reply *reply)
{
    int rc = revoke_session(ctx->db, claims->session_id, "refresh_token_reuse");
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == 0) {
        sw_log(SW_LOG_WARN, ctx->env->request_id, claims->tenant_id,
               "spent refresh token presented again: login %s revoked", claims->session_id);
        unauthenticated(reply, "Token has already been used; this login has been revoked.");
    }
    return rc;
}

/* Spends a fresh token and issues the next pair for the user as it is now. */
static int rotate(PGconn *db, const struct auth_service *svc, const struct sw_claims *claims,
                  const struct token_row *tok, const Sw__Tenants__Tenant *tenant,
                  struct auth_pair *pair, struct sw_reply *reply)
{
    if (!sw_pg_bool(tok->res, 0, COL_ACTIVE) ||
        strcmp(sw_pg_text(tok->res, 0, COL_TENANT_ID), tenant->id) != 0) {
        unauthenticated(reply, "This account is no longer active.");
        return 0;
    }
    long left = (long)sw_pg_int(tok->res, 0, COL_SECONDS_LEFT);
    const char *params[] = {claims->jti};
    int rc =
        sw_pg_exec(db, "UPDATE auth.refresh_tokens SET spent_at = now() WHERE jti = $1", 1, params);
    struct auth_identity who = {
        .user_id = sw_pg_text(tok->res, 0, COL_USER_ID),
        .tenant_id = tenant->id,
        .schema = tenant->schema,
        .role = sw_pg_text(tok->res, 0, COL_ROLE),
        .session_id = claims->session_id,
        .email = sw_pg_text(tok->res, 0, COL_EMAIL),
    };
    if (rc == 0)
        rc = issue_pair(db, svc, &who, left < AUTH_REFRESH_TTL_S ? left : AUTH_REFRESH_TTL_S, pair);
    if (rc == 0)
        rc = sw_pg_commit(db);
    return rc;
}

void auth_refresh(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__RefreshRequest *req = request;
    const struct auth_service *svc = ctx->service;
    struct sw_claims claims;
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    if (verify_refresh(svc, req->refresh, &claims, reply) != 0 ||
        current_tenant(ctx, claims.tenant_id, &fetched, &tenant, reply) != 0) {
        sw_rpc_result_free(&fetched);
        return;
    }

    struct token_row tok = {TOKEN_UNKNOWN, NULL};
    struct auth_pair pair = {0};
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_token(ctx->db, &claims, &tok);
    if (rc == 0 && tok.state == TOKEN_SPENT)
        rc = end_reused_login(ctx, &claims, reply);
    else if (rc == 0 && tok.state != TOKEN_FRESH)
        unauthenticated(reply, INVALID_OR_EXPIRED);
    else if (rc == 0)
        rc = rotate(ctx->db, svc, &claims, &tok, tenant, &pair, reply);
    sw_reply_fail_rc(reply, rc);

    if (sw_reply_ok(reply)) {
        Sw__Auth__RefreshReply out = SW__AUTH__REFRESH_REPLY__INIT;
        out.access = pair.access;
        out.refresh = pair.refresh;
        sw_reply_body(reply, &out.base);
    }
    auth_pair_free(&pair);
    PQclear(tok.res);
    sw_rpc_result_free(&fetched);
}

void auth_logout(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__LogoutRequest *req = request;
    struct sw_claims claims;
    if (verify_refresh(ctx->service, req->refresh, &claims, reply) != 0)
        return;

    struct token_row tok = {TOKEN_UNKNOWN, NULL};
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_token(ctx->db, &claims, &tok);
    /* A spent token ends its login too: whoever holds the newer one loses it. */
    if (rc == 0 && tok.state != TOKEN_FRESH && tok.state != TOKEN_SPENT)
        unauthenticated(reply, INVALID_OR_EXPIRED);
    else if (rc == 0) {
        char expires[32];
        snprintf(expires, sizeof expires, "%ld", claims.expires_at);
        const char *params[] = {claims.jti, expires};
        rc = sw_pg_exec(ctx->db,
                        "INSERT INTO auth.token_blacklist (jti, expires_at, reason)"
                        " VALUES ($1, to_timestamp($2::bigint), 'logout') ON CONFLICT DO NOTHING",
                        2, params);
        if (rc == 0)
            rc = revoke_session(ctx->db, claims.session_id, "logout");
        if (rc == 0)
            rc = auth_audit_self(ctx, claims.user_id, "auth.logout");
        if (rc == 0)
            rc = sw_pg_commit(ctx->db);
    }
    sw_reply_fail_rc(reply, rc);

    if (sw_reply_ok(reply)) {
        Sw__Auth__LogoutReply out = SW__AUTH__LOGOUT_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
    PQclear(tok.res);
}
