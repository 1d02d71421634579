/*
 * E-mail verification: auth.VerifyEmail spends a link's token (48 hours,
 * single use) and moves the membership under its e-mail's identity
 * (identity.h); auth.ResendVerification mails a new link to the caller.
 */
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "mailer.h"
#include "one_time.h"
#include "records.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"

void auth_verify_email(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__VerifyEmailRequest *req = request;
    enum auth_token_state state = AUTH_TOKEN_INVALID;
    char user_id[SW_UUID_LEN];
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0 && req->token[0])
        rc = auth_token_spend(ctx->db, AUTH_VERIFY_TABLE, req->token, &state, user_id);
    if (rc == 0 && state == AUTH_TOKEN_OK)
        rc = auth_identity_join(ctx->db, user_id, NULL);
    if (rc == 0 && state == AUTH_TOKEN_OK)
        rc = auth_audit_self(ctx, user_id, "auth.email_verify");
    if (sw_reply_fail_rc(reply, sw_pg_end(ctx->db, rc)) != 0)
        return;
    if (state != AUTH_TOKEN_OK) {
        auth_token_refused(reply, state);
        return;
    }
    Sw__Auth__VerifyEmailReply out = SW__AUTH__VERIFY_EMAIL_REPLY__INIT;
    sw_reply_body(reply, &out.base);
}

void auth_resend_verification(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    const struct auth_service *svc = ctx->service;
    PGresult *me = NULL;
    if (auth_caller(ctx, reply, &me) != 0)
        return;
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    if (sw_pg_bool(me, 0, 3))
        sw_reply_fail(reply, SW_ALREADY_EXISTS, "already_verified",
                      "This e-mail address is already verified.");
    if (sw_reply_ok(reply) && auth_take_rate(ctx, &svc->resend_rule, reply))
        tenant = auth_tenant_or_fail(ctx, ctx->env->tenant_id, &fetched, reply);
    if (sw_reply_ok(reply) && tenant &&
        auth_mail_verification(ctx, PQgetvalue(me, 0, 0), PQgetvalue(me, 0, 1), tenant->name) != 0)
        sw_reply_fail(reply, SW_UNAVAILABLE, "mail_unavailable",
                      "The e-mail could not be sent just now; try again in a minute.");
    if (sw_reply_ok(reply)) {
        Sw__Auth__ResendVerificationReply out = SW__AUTH__RESEND_VERIFICATION_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
    sw_rpc_result_free(&fetched);
    PQclear(me);
}
