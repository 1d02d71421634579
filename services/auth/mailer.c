#include "mailer.h"

#include <stdio.h>

#include "auth.h"
#include "notify.pb-c.h"
#include "one_time.h"
#include "sw_log.h"
#include "tenants_client.h"

int auth_mail_send(struct sw_rpc_ctx *ctx, const char *to, const char *kind, const char *subject,
                   const char *text)
{
    const struct auth_service *svc = ctx->service;
    Sw__Notify__SendMailRequest req = SW__NOTIFY__SEND_MAIL_REQUEST__INIT;
    req.to = (char *)to;
    req.kind = (char *)kind;
    req.subject = (char *)subject;
    req.text = (char *)text;
    struct sw_rpc_result res;
    int rc = auth_peer_call(ctx, svc->notify, "notify.SendMail", &req.base,
                            &sw__notify__send_mail_reply__descriptor, &res);
    if (rc)
        sw_log(SW_LOG_ERROR, ctx->env->request_id, ctx->env->tenant_id,
               "the %s e-mail could not be queued at sw-notify (%d)", kind, rc);
    sw_rpc_result_free(&res);
    return rc;
}

int auth_mail_verification(struct sw_rpc_ctx *ctx, const char *user_id, const char *email,
                           const char *tenant_name)
{
    const struct auth_service *svc = ctx->service;
    char token[AUTH_TOKEN_TEXT];
    int rc = auth_token_issue(ctx->db, AUTH_VERIFY_TABLE, user_id, svc->verify_ttl_s, token);
    if (rc) {
        sw_log(SW_LOG_ERROR, ctx->env->request_id, ctx->env->tenant_id,
               "a verification token could not be stored (%d)", rc);
        return rc;
    }
    char text[2048];
    snprintf(text, sizeof text,
             "Welcome to StatusWatch.\n\n"
             "Please confirm that %s is your e-mail address for the organisation \"%s\":\n\n"
             "%s/verify-email?token=%s\n\n"
             "The link works once and expires in %ld hours. If you did not sign up, ignore"
             " this message.\n",
             email, tenant_name, svc->app_url, token, svc->verify_ttl_s / 3600);
    return auth_mail_send(ctx, email, "verify_email", "Confirm your e-mail address", text);
}
