/*
 * auth.StaffLogin, auth.StaffCheck and auth.StaffCountMembers (staff.h).
 * A staff login checks one argon2id hash (a throw-away one when the e-mail
 * is unknown, so both cost the same), then the TOTP code once two-factor is
 * set up; failures count against the same per-address and per-e-mail limits
 * as tenant logins (login.h), the e-mail keyed as "staff:<email>".
 */
#include "staff.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "identity.h"
#include "login.h"
#include "records.h"
#include "rules.h"
#include "staff.pb-c.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_staff.h"
#include "sw_status.h"
#include "tokens.h"
#include "totp.h"

/* Columns of the account row a login reads. */
enum { COL_ID, COL_HASH, COL_SECRET, COL_TWO_FACTOR, COL_LAST_STEP };

static void invalid_credentials(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_credentials",
                  "No active account found with the given credentials.");
}

/* The account of the e-mail whose password matches; *row NULL (after equal work) when none. */
static int find_account(PGconn *db, const struct auth_service *svc, const char *email,
                        const char *password, PGresult **row)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT id, password_hash, totp_secret, totp_enabled_at IS NOT NULL,"
                          " coalesce(totp_last_step, -1) FROM auth.staff WHERE email = $1",
                          email, &res);
    bool known = rc == 0 && PQntuples(res) == 1;
    bool match = auth_password_matches(svc->password_verifications,
                                       known ? PQgetvalue(res, 0, COL_HASH) : svc->dummy_hash,
                                       password);
    if (!known || !match) {
        PQclear(res);
        res = NULL;
    }
    *row = res;
    return rc;
}

/* Spends the code's time step: false when it is not the current code, or was used already. */
static int spend_code(PGconn *db, const PGresult *row, const char *code, bool *ok)
{
    *ok = false;
    long long step = auth_totp_match(PQgetvalue(row, 0, COL_SECRET), code, (long long)time(NULL),
                                     sw_pg_int(row, 0, COL_LAST_STEP));
    if (step < 0)
        return 0;
    char step_text[24];
    snprintf(step_text, sizeof step_text, "%lld", step);
    const char *params[] = {PQgetvalue(row, 0, COL_ID), step_text};
    long long n = 0;
    int rc = sw_pg_query_int(db,
                             "WITH x AS (UPDATE auth.staff SET totp_last_step = $2::int8"
                             " WHERE id = $1 AND coalesce(totp_last_step, -1) < $2::int8"
                             " RETURNING 1) SELECT count(*) FROM x",
                             2, params, &n);
    *ok = rc == 0 && n == 1;
    return rc;
}

/* Signs the 15-minute staff token of the account (its e-mail for the audit log) and answers it. */
static void answer_token(struct sw_rpc_ctx *ctx, const char *staff_id, const char *email,
                         struct sw_reply *reply)
{
    char session[SW_UUID_LEN], jti[SW_UUID_LEN];
    sw_uuid_v4(session);
    sw_uuid_v4(jti);
    struct auth_identity who = {.user_id = staff_id,
                                .tenant_id = "",
                                .schema = "",
                                .role = "staff",
                                .session_id = session,
                                .email = email};
    const char *params[] = {staff_id};
    char *access = NULL;
    int rc =
        sw_pg_exec(ctx->db, "UPDATE auth.staff SET last_login_at = now() WHERE id = $1", 1, params);
    if (rc == 0)
        rc = auth_token_sign(ctx->service, &who, "staff", jti, (long)time(NULL), AUTH_STAFF_TTL_S,
                             &access);
    if (sw_reply_fail_rc(reply, rc) == 0) {
        Sw__Staff__LoginReply out = SW__STAFF__LOGIN_REPLY__INIT;
        out.access = access;
        sw_reply_body(reply, &out.base);
    }
    free(access);
}

void auth_staff_login(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Staff__LoginRequest *req = request;
    auth_require_fields(req->email, req->password, reply);
    char email[512], key[520];
    if (sw_reply_ok(reply) && auth_normalize_email(req->email, email, sizeof email) != 0)
        invalid_credentials(reply);
    if (!sw_reply_ok(reply))
        return;
    snprintf(key, sizeof key, "staff:%s", email);
    if (!auth_login_allowed(ctx, key, reply))
        return;

    PGresult *row = NULL;
    int rc = find_account(ctx->db, ctx->service, email, req->password, &row);
    bool two_factor = rc == 0 && row && sw_pg_bool(row, 0, COL_TWO_FACTOR);
    bool has_code = req->code && req->code[0];
    bool code_ok = false;
    if (two_factor && has_code)
        rc = spend_code(ctx->db, row, req->code, &code_ok);
    if (rc == 0 && !row)
        invalid_credentials(reply);
    else if (rc == 0 && two_factor && !has_code)
        sw_reply_fail(reply, SW_UNAUTHENTICATED, "two_factor_required",
                      "Enter the code from your authenticator app.");
    else if (rc == 0 && two_factor && !code_ok)
        sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_code", "The code is not valid.");
    else if (rc == 0)
        answer_token(ctx, PQgetvalue(row, 0, COL_ID), email, reply);
    sw_reply_fail_rc(reply, rc);
    if (reply->status == SW_UNAUTHENTICATED)
        auth_login_count_failure(ctx, key, reply);
    PQclear(row);
    sodium_memzero(email, sizeof email);
    sodium_memzero(key, sizeof key);
}

void auth_staff_check(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    const char *params[] = {ctx->env->user_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT email FROM auth.staff WHERE id = $1", 1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        sw_reply_fail(reply, SW_UNAUTHENTICATED, "token_not_valid",
                      "Given token not valid for any token type.");
    else if (sw_reply_fail_rc(reply, rc) == 0) {
        Sw__Staff__CheckReply out = SW__STAFF__CHECK_REPLY__INIT;
        out.email = PQgetvalue(res, 0, 0);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}

void auth_staff_count_members(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Staff__CountMembersRequest *req = request;
    sw_staff_counts_reply(ctx, reply, req->tenant_ids, req->n_tenant_ids,
                          "SELECT tenant_id::text AS key, count(*) AS value FROM auth.users"
                          " WHERE tenant_id = ANY($1::uuid[]) AND is_active GROUP BY tenant_id");
}
