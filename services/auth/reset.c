/*
 * Password reset: auth.PasswordReset mails one link per organisation of the
 * e-mail (1 hour, single use) and answers the same whether or not the
 * e-mail exists; auth.PasswordResetConfirm spends a link's token, sets the
 * new password on the e-mail's identity (the link proved the mailbox, so the
 * membership counts as verified from now on) and ends every login of the
 * e-mail.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "mailer.h"
#include "one_time.h"
#include "records.h"
#include "rules.h"
#include "sw_buf.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"

#define MAIL_MAX ((size_t)64 * 1024)

/* The e-mail's active memberships, oldest first: (id, tenant_id). */
static int memberships(PGconn *db, const char *email, PGresult **res)
{
    const char *params[] = {email};
    return sw_pg_query(db,
                       "SELECT id, tenant_id FROM auth.users WHERE email = $1 AND is_active"
                       " ORDER BY created_at, id LIMIT " AUTH_STR(AUTH_MAX_MEMBERSHIPS_PER_EMAIL),
                       1, params, res);
}

/* The organisation name of tenant_id in the list, or "" if sw-tenants did not name it. */
static const char *tenant_name(const Sw__Tenants__GetTenantsReply *list, const char *tenant_id)
{
    for (size_t i = 0; list && i < list->n_tenants; i++)
        if (strcmp(list->tenants[i]->id, tenant_id) == 0)
            return list->tenants[i]->name;
    return "";
}

/* Issues a token per membership and writes the message naming each organisation. */
static int compose(struct sw_rpc_ctx *ctx, const PGresult *users,
                   const Sw__Tenants__GetTenantsReply *list, struct sw_buf *text)
{
    const struct auth_service *svc = ctx->service;
    int rc = sw_buf_appendf(text,
                            "Someone asked to reset the StatusWatch password of this e-mail"
                            " address. To choose a new one, open the link of the organisation"
                            " you sign in to (each works once, for %ld minutes):\n\n",
                            svc->reset_ttl_s / 60);
    for (int i = 0; rc == 0 && i < PQntuples(users); i++) {
        char token[AUTH_TOKEN_TEXT];
        rc = auth_token_issue(ctx->db, AUTH_RESET_TABLE, PQgetvalue(users, i, 0), svc->reset_ttl_s,
                              token);
        if (rc == 0)
            rc = sw_buf_appendf(text, "%s:\n%s/reset-password?token=%s\n\n",
                                tenant_name(list, PQgetvalue(users, i, 1)), svc->app_url, token);
        sodium_memzero(token, sizeof token);
    }
    if (rc == 0)
        rc = sw_buf_appendf(text, "If you did not ask for this, ignore this message; your"
                                  " password stays as it is.\n");
    return rc;
}

void auth_password_reset(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__PasswordResetRequest *req = request;
    const struct auth_service *svc = ctx->service;
    char email[512];
    if (!req->email[0])
        sw_reply_field(reply, "email", "This field is required.");
    else if (auth_normalize_email(req->email, email, sizeof email) != 0 || auth_rule_email(email))
        sw_reply_field(reply, "email", "Enter a valid email address.");
    if (!sw_reply_ok(reply) || !auth_take_rate(ctx, &svc->reset_rule, reply))
        return;

    PGresult *users = NULL;
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__GetTenantsReply *list = NULL;
    struct sw_buf text;
    sw_buf_init(&text, MAIL_MAX);
    int rc = memberships(ctx->db, email, &users);
    int n = rc == 0 ? PQntuples(users) : 0;
    if (n > 0) {
        char *ids[AUTH_MAX_MEMBERSHIPS_PER_EMAIL];
        for (int i = 0; i < n; i++)
            ids[i] = PQgetvalue(users, i, 1);
        if (auth_tenants_get_many(ctx, ids, (size_t)n, &fetched, &list) != 0)
            list = NULL; /* the links work without the names */
        rc = compose(ctx, users, list, &text);
        if (rc == 0)
            rc = auth_mail_send(ctx, email, "password_reset", "Reset your StatusWatch password",
                                text.data);
    }
    if (rc)
        sw_log(SW_LOG_WARN, ctx->env->request_id, NULL, "a password reset e-mail was not sent (%d)",
               rc);
    /* The same answer whether or not the e-mail exists; trouble is only logged. */
    Sw__Auth__PasswordResetReply out = SW__AUTH__PASSWORD_RESET_REPLY__INIT;
    sw_reply_body(reply, &out.base);
    if (text.data)
        sodium_memzero(text.data, text.len);
    sw_buf_free(&text);
    sw_rpc_result_free(&fetched);
    PQclear(users);
}

/* The new password on the identity and every login of the e-mail ended (one transaction). */
static int apply(struct sw_rpc_ctx *ctx, const char *token, const char *hash,
                 enum auth_token_state *state)
{
    PGconn *db = ctx->db;
    char user_id[SW_UUID_LEN];
    PGresult *res = NULL;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = auth_token_spend(db, AUTH_RESET_TABLE, token, state, user_id);
    if (rc == 0 && *state == AUTH_TOKEN_OK)
        rc = auth_identity_join(db, user_id, hash);
    if (rc == 0 && *state == AUTH_TOKEN_OK) {
        const char *params[] = {user_id};
        rc = sw_pg_query(db, "SELECT email FROM auth.users WHERE id = $1", 1, params, &res);
    }
    if (rc == 0 && *state == AUTH_TOKEN_OK && PQntuples(res) == 1)
        rc = auth_revoke_email_logins(db, PQgetvalue(res, 0, 0), "password_reset");
    if (rc == 0 && *state == AUTH_TOKEN_OK)
        rc = auth_audit_self(ctx, user_id, "auth.password_reset");
    rc = sw_pg_end(db, rc);
    PQclear(res);
    return rc;
}

void auth_password_reset_confirm(struct sw_rpc_ctx *ctx, const void *request,
                                 struct sw_reply *reply)
{
    const Sw__Auth__PasswordResetConfirmRequest *req = request;
    if (!auth_check_link_form(req->token, req->password, req->password_confirm, true, reply))
        return;
    char hash[AUTH_HASH_MAX];
    enum auth_token_state state = AUTH_TOKEN_INVALID;
    if (sw_reply_fail_rc(reply, auth_hash_password(req->password, hash)) == 0 &&
        sw_reply_fail_rc(reply, apply(ctx, req->token, hash, &state)) == 0 &&
        state != AUTH_TOKEN_OK)
        auth_token_refused(reply, state);
    if (sw_reply_ok(reply)) {
        Sw__Auth__PasswordResetConfirmReply out = SW__AUTH__PASSWORD_RESET_CONFIRM_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
    sodium_memzero(hash, sizeof hash);
}
