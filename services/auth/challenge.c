/*
 * The second step of a login with two-factor on: auth.Login answered a
 * challenge (5 minutes); auth.LoginTwoFactor takes it with a TOTP or recovery
 * code. A challenge dies when used, when it expires, or at its fifth wrong
 * code; wrong codes also count per client address (20 an hour).
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "login.h"
#include "records.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"
#include "twofactor.h"

#define CHALLENGE_TTL_S "300"
#define CHALLENGE_MAX_FAILURES 5

int auth_challenge_start(PGconn *db, const char *user_id, char out[AUTH_TOKEN_TEXT])
{
    char digest[AUTH_DIGEST_TEXT];
    int rc = auth_token_new(out);
    if (rc)
        return rc;
    auth_token_digest(out, digest);
    const char *params[] = {digest, user_id};
    return sw_pg_exec(db,
                      "INSERT INTO auth.login_challenges (token_hash, user_id, expires_at)"
                      " VALUES ($1, $2, now() + interval '" CHALLENGE_TTL_S " seconds')",
                      2, params);
}

static void invalid_challenge(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_challenge",
                  "This sign-in step has expired; sign in again.");
}

/* The live challenge's membership (AUTH_USER_COLUMNS, tenant_id), locked, into *res. */
static int take_challenge(PGconn *db, const char *digest, PGresult **res)
{
    const char *params[] = {digest};
    return sw_pg_query(db,
                       "SELECT " AUTH_USER_COLUMNS ", u.tenant_id FROM auth.login_challenges c"
                       " JOIN auth.users u ON u.id = c.user_id"
                       " WHERE c.token_hash = $1 AND c.used_at IS NULL AND c.expires_at > now()"
                       " AND c.failures < " AUTH_STR(CHALLENGE_MAX_FAILURES) " AND u.is_active"
                                                                             " FOR UPDATE OF c",
                       1, params, res);
}

/* A wrong code: one failure more on the challenge and on the caller's address. */
static void count_wrong_code(struct sw_rpc_ctx *ctx, const char *digest, struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    const char *params[] = {digest};
    sw_pg_exec(ctx->db,
               "UPDATE auth.login_challenges SET failures = failures + 1 WHERE token_hash = $1", 1,
               params);
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state rate;
    if (sw_rate_record(ctx->db, AUTH_RATE_TABLE, &svc->second_factor_rule, client, &rate) == 0) {
        reply->has_rate = true;
        reply->rate = rate;
    }
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_code", "That code is not valid.");
}

/*
 * Checks the code within one transaction: spends the challenge when it is
 * right, counts a wrong one afterwards (the limiter has its own transaction).
 */
static void check_code(struct sw_rpc_ctx *ctx, const char *digest, const char *code,
                       PGresult **users, struct sw_reply *reply)
{
    bool ok = false, wrong = false;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = take_challenge(ctx->db, digest, users);
    if (rc == 0 && PQntuples(*users) == 0)
        invalid_challenge(reply);
    else if (rc == 0)
        rc = auth_second_factor_check(ctx->db, PQgetvalue(*users, 0, 0), code, &ok);
    const char *params[] = {digest};
    if (rc == 0 && ok)
        rc = sw_pg_exec(ctx->db,
                        "UPDATE auth.login_challenges SET used_at = now() WHERE token_hash = $1", 1,
                        params);
    else if (rc == 0)
        wrong = sw_reply_ok(reply);
    rc = sw_pg_end(ctx->db, rc);
    if (rc == 0 && wrong)
        count_wrong_code(ctx, digest, reply);
    sw_reply_fail_rc(reply, rc);
}

void auth_login_two_factor(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__LoginTwoFactorRequest *req = request;
    const struct auth_service *svc = ctx->service;
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state rate;
    if (sw_rate_peek(ctx->db, AUTH_RATE_TABLE, &svc->second_factor_rule, client, &rate) == 0)
        sw_reply_rate(reply, &rate);
    if (!sw_reply_ok(reply))
        return;
    if (!req->challenge[0] || !req->code[0]) {
        if (!req->challenge[0])
            sw_reply_field(reply, "challenge", "This field is required.");
        if (!req->code[0])
            sw_reply_field(reply, "code", "This field is required.");
        return;
    }
    char digest[AUTH_DIGEST_TEXT];
    auth_token_digest(req->challenge, digest);
    PGresult *users = NULL;
    check_code(ctx, digest, req->code, &users, reply);
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    if (sw_reply_ok(reply))
        tenant = auth_tenant_or_fail(ctx, PQgetvalue(users, 0, AUTH_USER_NCOLS), &fetched, reply);
    if (sw_reply_ok(reply))
        auth_login_finish(ctx, users, 0, tenant, reply);
    sw_rpc_result_free(&fetched);
    PQclear(users);
}
