/*
 * Two-factor set-up (auth.TwoFactorSetup → Confirm), switching it off
 * (auth.TwoFactorDisable), and checking a code. The secret is stored when
 * set-up starts and counts only once a code from it was confirmed; the
 * recovery codes are stored as BLAKE2b digests of the user id and the code.
 */
#include "twofactor.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "one_time.h"
#include "records.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "totp.h"

#define ISSUER "StatusWatch"

static void invalid_code(struct sw_reply *reply, const char *message)
{
    sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_code", "%s", message);
}

static void already_enabled(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_ALREADY_EXISTS, "already_enabled", "Two-factor is already on.");
}

/* The stored form of a recovery code of the user. */
static void recovery_digest(const char *user_id, const char *clean, char out[AUTH_DIGEST_TEXT])
{
    char both[SW_UUID_LEN + AUTH_RECOVERY_TEXT + 1];
    snprintf(both, sizeof both, "%.36s:%.11s", user_id, clean); /* a UUID and a clean code */
    auth_token_digest(both, out);
}

/* Runs `update` (an UPDATE … RETURNING 1 of the user and `value`); *ok when it changed one row. */
static int spend(PGconn *db, const char *update, const char *user_id, const char *value, bool *ok)
{
    char sql[320];
    snprintf(sql, sizeof sql, "WITH x AS (%s) SELECT count(*) FROM x", update);
    const char *params[] = {user_id, value};
    long long n = 0;
    int rc = sw_pg_query_int(db, sql, 2, params, &n);
    *ok = rc == 0 && n == 1;
    return rc;
}

static int spend_totp(PGconn *db, const char *user_id, const char *secret, long long last,
                      const char *code, bool *ok)
{
    long long step = auth_totp_match(secret, code, (long long)time(NULL), last);
    if (step < 0)
        return 0;
    char step_text[24];
    snprintf(step_text, sizeof step_text, "%lld", step);
    return spend(db,
                 "UPDATE auth.users SET totp_last_step = $2::int8 WHERE id = $1"
                 " AND coalesce(totp_last_step, -1) < $2::int8 RETURNING 1",
                 user_id, step_text, ok);
}

static int spend_recovery(PGconn *db, const char *user_id, const char *code, bool *ok)
{
    char clean[AUTH_RECOVERY_TEXT], digest[AUTH_DIGEST_TEXT];
    if (auth_recovery_code_clean(code, clean) != 0)
        return 0;
    recovery_digest(user_id, clean, digest);
    return spend(db,
                 "UPDATE auth.recovery_codes SET used_at = now() WHERE user_id = $1"
                 " AND code_hash = $2 AND used_at IS NULL RETURNING 1",
                 user_id, digest, ok);
}

int auth_second_factor_check(PGconn *db, const char *user_id, const char *code, bool *ok)
{
    *ok = false;
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT totp_secret, coalesce(totp_last_step, -1) FROM auth.users"
                          " WHERE id = $1 AND totp_enabled_at IS NOT NULL",
                          user_id, &res);
    if (rc == 0 && PQntuples(res) == 1)
        rc = spend_totp(db, user_id, PQgetvalue(res, 0, 0), sw_pg_int(res, 0, 1), code, ok);
    if (rc == 0 && PQntuples(res) == 1 && !*ok)
        rc = spend_recovery(db, user_id, code, ok);
    PQclear(res);
    return rc;
}

/* One statement on the user's two-factor state and its audit row, in one transaction. */
static int change_audited(struct sw_rpc_ctx *ctx, const char *sql, int n, const char *const *params,
                          const char *action)
{
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = sw_pg_exec(ctx->db, sql, n, params);
    if (rc == 0)
        rc = auth_audit_self(ctx, params[0], action);
    return sw_pg_end(ctx->db, rc);
}

void auth_two_factor_setup(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    PGresult *me = NULL;
    if (auth_caller(ctx, reply, &me) != 0)
        return;
    char secret[AUTH_TOTP_SECRET_TEXT], url[512];
    if (sw_pg_bool(me, 0, AUTH_CALLER_TWO_FACTOR))
        already_enabled(reply);
    if (sw_reply_ok(reply) && sw_reply_fail_rc(reply, auth_totp_secret_new(secret)) == 0 &&
        sw_reply_fail_rc(reply, auth_otpauth_url(ISSUER, PQgetvalue(me, 0, 1), secret, url,
                                                 sizeof url)) == 0) {
        const char *params[] = {PQgetvalue(me, 0, 0), secret};
        sw_reply_fail_rc(reply, change_audited(ctx,
                                               "UPDATE auth.users SET totp_secret = $2,"
                                               " totp_last_step = NULL WHERE id = $1",
                                               2, params, "auth.two_factor_setup"));
    }
    if (sw_reply_ok(reply)) {
        Sw__Auth__TwoFactorSetupReply out = SW__AUTH__TWO_FACTOR_SETUP_REPLY__INIT;
        out.secret = secret;
        out.otpauth_url = url;
        sw_reply_body(reply, &out.base);
    }
    sodium_memzero(secret, sizeof secret);
    PQclear(me);
}

/* Turns two-factor on at `step` with fresh recovery codes (one transaction). */
static int enable(struct sw_rpc_ctx *ctx, const char *user_id, long long step,
                  char codes[AUTH_RECOVERY_CODES][AUTH_RECOVERY_TEXT])
{
    PGconn *db = ctx->db;
    char step_text[24];
    snprintf(step_text, sizeof step_text, "%lld", step);
    const char *params[] = {user_id, step_text};
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_exec(db,
                        "UPDATE auth.users SET totp_enabled_at = now(), totp_last_step = $2::int8"
                        " WHERE id = $1",
                        2, params);
    if (rc == 0)
        rc = sw_pg_exec(db, "DELETE FROM auth.recovery_codes WHERE user_id = $1", 1, params);
    for (int i = 0; rc == 0 && i < AUTH_RECOVERY_CODES; i++) {
        char digest[AUTH_DIGEST_TEXT];
        auth_recovery_code_new(codes[i]);
        recovery_digest(user_id, codes[i], digest);
        const char *row[] = {user_id, digest};
        rc = sw_pg_exec(db, "INSERT INTO auth.recovery_codes (user_id, code_hash) VALUES ($1, $2)",
                        2, row);
    }
    if (rc == 0)
        rc = auth_audit_self(ctx, user_id, "auth.two_factor_enable");
    return sw_pg_end(db, rc);
}

void auth_two_factor_confirm(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__TwoFactorConfirmRequest *req = request;
    PGresult *me = NULL;
    if (auth_caller(ctx, reply, &me) != 0)
        return;
    long long step = -1;
    if (sw_pg_bool(me, 0, AUTH_CALLER_TWO_FACTOR))
        already_enabled(reply);
    else if (PQgetisnull(me, 0, AUTH_CALLER_TOTP_SECRET))
        invalid_code(reply, "Start the two-factor set-up first.");
    else if ((step = auth_totp_match(PQgetvalue(me, 0, AUTH_CALLER_TOTP_SECRET), req->code,
                                     (long long)time(NULL), -1)) < 0)
        invalid_code(reply, "That code is not valid; enter the current code of your app.");
    char codes[AUTH_RECOVERY_CODES][AUTH_RECOVERY_TEXT];
    if (sw_reply_ok(reply) &&
        sw_reply_fail_rc(reply, enable(ctx, PQgetvalue(me, 0, 0), step, codes)) == 0) {
        char *list[AUTH_RECOVERY_CODES];
        for (int i = 0; i < AUTH_RECOVERY_CODES; i++)
            list[i] = codes[i];
        Sw__Auth__TwoFactorConfirmReply out = SW__AUTH__TWO_FACTOR_CONFIRM_REPLY__INIT;
        out.n_recovery_codes = AUTH_RECOVERY_CODES;
        out.recovery_codes = list;
        sw_reply_body(reply, &out.base);
        sodium_memzero(codes, sizeof codes);
    }
    PQclear(me);
}

void auth_two_factor_disable(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__TwoFactorDisableRequest *req = request;
    const struct auth_service *svc = ctx->service;
    PGresult *me = NULL;
    if (auth_caller(ctx, reply, &me) != 0)
        return;
    const char *user_id = PQgetvalue(me, 0, 0);
    char hash[AUTH_HASH_MAX];
    bool ok = false;
    if (!sw_pg_bool(me, 0, AUTH_CALLER_TWO_FACTOR))
        invalid_code(reply, "Two-factor is not on.");
    else if (sw_reply_fail_rc(reply, auth_membership_hash(ctx->db, user_id, hash)) == 0 &&
             !auth_password_matches(svc->password_verifications, hash, req->password))
        sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_credentials", "Wrong password.");
    else if (sw_reply_ok(reply) &&
             sw_reply_fail_rc(reply, auth_second_factor_check(ctx->db, user_id, req->code, &ok)) ==
                 0 &&
             !ok)
        invalid_code(reply, "That code is not valid.");
    if (sw_reply_ok(reply)) {
        const char *params[] = {user_id};
        sw_reply_fail_rc(reply, change_audited(ctx,
                                               "WITH gone AS (DELETE FROM auth.recovery_codes"
                                               " WHERE user_id = $1)"
                                               " UPDATE auth.users SET totp_secret = NULL,"
                                               " totp_enabled_at = NULL, totp_last_step = NULL"
                                               " WHERE id = $1",
                                               1, params, "auth.two_factor_disable"));
    }
    if (sw_reply_ok(reply)) {
        Sw__Auth__TwoFactorDisableReply out = SW__AUTH__TWO_FACTOR_DISABLE_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
    sodium_memzero(hash, sizeof hash);
    PQclear(me);
}
