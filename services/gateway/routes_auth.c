/* The "Auth and tenants" routes: JSON in, one or a few RPCs, JSON out. */
#include <stdbool.h>
#include <string.h>

#include "auth.pb-c.h"
#include "body.h"
#include "gateway.h"
#include "http.h"
#include "monitors.pb-c.h"
#include "notify.pb-c.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

static json_t *tenant_ref_json(const Sw__Auth__TenantRef *t)
{
    return json_pack("{s:s, s:s, s:s}", "id", t->id, "name", t->name, "schema", t->schema);
}

static json_t *user_json(const Sw__Auth__User *u, bool with_verified)
{
    json_t *obj = json_pack("{s:s, s:s, s:s}", "id", u->id, "email", u->email, "role", u->role);
    if (obj && with_verified)
        json_object_set_new(obj, "email_verified", json_boolean(u->email_verified));
    return obj;
}

/*
 * Reads the body into msg (no fields: the body is not read) and calls
 * `method` with it. Returns 0 with the OK reply in *res (the caller frees
 * it) or -1 after an error answer.
 */
static int call_with_body(struct gw_request *req, const struct body_field *fields, size_t n,
                          const char *method, const ProtobufCMessage *msg,
                          const ProtobufCMessageDescriptor *desc, struct sw_rpc_result *res)
{
    json_t *doc = NULL;
    int rc = n ? gw_read_fields(req, &doc, fields, n) : 0;
    if (rc == 0)
        rc = gw_call(req, SW_SVC_AUTH, method, msg, desc, res);
    json_decref(doc);
    return rc;
}

/* Answers 201 {tenant, user} of a new membership (a registration or an accepted invitation). */
static void send_membership(struct gw_request *req, struct sw_rpc_result *res)
{
    const Sw__Auth__RegisterReply *out = (Sw__Auth__RegisterReply *)res->body;
    gw_send_json(req, 201,
                 json_pack("{s:o, s:o}", "tenant", tenant_ref_json(out->tenant), "user",
                           user_json(out->user, false)));
    sw_rpc_result_free(res);
}

void gw_auth_register(struct gw_request *req)
{
    Sw__Auth__RegisterRequest msg = SW__AUTH__REGISTER_REQUEST__INIT;
    const struct body_field fields[] = {
        {"organization_name", &msg.organization_name, false, false},
        {"email", &msg.email, false, false},
        {"password", &msg.password, false, false},
        {"password_confirm", &msg.password_confirm, false, false},
    };
    struct sw_rpc_result res;
    if (call_with_body(req, fields, N_FIELDS(fields), "auth.Register", &msg.base,
                       &sw__auth__register_reply__descriptor, &res) == 0)
        send_membership(req, &res);
}

void gw_invitations_accept(struct gw_request *req)
{
    Sw__Auth__AcceptInvitationRequest msg = SW__AUTH__ACCEPT_INVITATION_REQUEST__INIT;
    const struct body_field fields[] = {
        {"token", &msg.token, true, false},
        {"password", &msg.password, true, false},
        {"password_confirm", &msg.password_confirm, true, false},
    };
    struct sw_rpc_result res;
    if (call_with_body(req, fields, N_FIELDS(fields), "auth.AcceptInvitation", &msg.base,
                       &sw__auth__register_reply__descriptor, &res) == 0)
        send_membership(req, &res);
}

static json_t *login_json(const Sw__Auth__LoginReply *out)
{
    if (out->outcome_case == SW__AUTH__LOGIN_REPLY__OUTCOME_CHOICE) {
        json_t *list = json_array();
        for (size_t i = 0; i < out->choice->n_tenants; i++)
            json_array_append_new(list, tenant_ref_json(out->choice->tenants[i]));
        return json_pack("{s:b, s:o, s:s}", "multiple_tenants", 1, "tenants", list, "message",
                         out->choice->message);
    }
    if (out->outcome_case == SW__AUTH__LOGIN_REPLY__OUTCOME_TWO_FACTOR)
        return json_pack("{s:b, s:s}", "two_factor_required", 1, "challenge",
                         out->two_factor->challenge);
    if (out->outcome_case != SW__AUTH__LOGIN_REPLY__OUTCOME_LOGGED_IN)
        return NULL;
    const Sw__Auth__LoggedIn *in = out->logged_in;
    return json_pack("{s:s, s:s, s:o, s:o}", "access", in->access, "refresh", in->refresh, "user",
                     user_json(in->user, false), "tenant", tenant_ref_json(in->tenant));
}

/* Answers a login's outcome: tokens, the tenant choice, or the two-factor challenge. */
static void send_login(struct gw_request *req, struct sw_rpc_result *res)
{
    json_t *body = login_json((Sw__Auth__LoginReply *)res->body);
    if (body)
        gw_send_json(req, 200, body);
    else
        gw_send_error(req, 502, "bad_reply", "A service answered with a malformed reply.", NULL);
    sw_rpc_result_free(res);
}

void gw_auth_token(struct gw_request *req)
{
    Sw__Auth__LoginRequest msg = SW__AUTH__LOGIN_REQUEST__INIT;
    const struct body_field fields[] = {
        {"email", &msg.email, true, false},
        {"password", &msg.password, true, false},
        {"tenant_schema", &msg.tenant_schema, false, true}, /* "": none chosen */
    };
    struct sw_rpc_result res;
    if (call_with_body(req, fields, N_FIELDS(fields), "auth.Login", &msg.base,
                       &sw__auth__login_reply__descriptor, &res) == 0)
        send_login(req, &res);
}

void gw_auth_token_2fa(struct gw_request *req)
{
    Sw__Auth__LoginTwoFactorRequest msg = SW__AUTH__LOGIN_TWO_FACTOR_REQUEST__INIT;
    const struct body_field fields[] = {
        {"challenge", &msg.challenge, true, false},
        {"code", &msg.code, true, false},
    };
    struct sw_rpc_result res;
    if (call_with_body(req, fields, N_FIELDS(fields), "auth.LoginTwoFactor", &msg.base,
                       &sw__auth__login_reply__descriptor, &res) == 0)
        send_login(req, &res);
}

/*
 * A body-only identity call answered with `status` and a fixed JSON body
 * (which this function owns) once sw-auth said OK.
 */
static void call_and_answer(struct gw_request *req, const struct body_field *fields, size_t n,
                            const char *method, const ProtobufCMessage *msg, int status,
                            json_t *answer)
{
    struct sw_rpc_result res;
    if (call_with_body(req, fields, n, method, msg, NULL, &res) == 0) {
        gw_send_json(req, status, answer);
        sw_rpc_result_free(&res);
        return;
    }
    json_decref(answer);
}

void gw_auth_verify_email(struct gw_request *req)
{
    Sw__Auth__VerifyEmailRequest msg = SW__AUTH__VERIFY_EMAIL_REQUEST__INIT;
    const struct body_field fields[] = {{"token", &msg.token, true, false}};
    call_and_answer(req, fields, N_FIELDS(fields), "auth.VerifyEmail", &msg.base, 200,
                    json_pack("{s:b}", "email_verified", 1));
}

void gw_auth_verify_resend(struct gw_request *req)
{
    Sw__Auth__ResendVerificationRequest msg = SW__AUTH__RESEND_VERIFICATION_REQUEST__INIT;
    call_and_answer(req, NULL, 0, "auth.ResendVerification", &msg.base, 202,
                    json_pack("{s:s}", "detail", "A new verification e-mail is on its way."));
}

void gw_auth_password_reset(struct gw_request *req)
{
    Sw__Auth__PasswordResetRequest msg = SW__AUTH__PASSWORD_RESET_REQUEST__INIT;
    const struct body_field fields[] = {{"email", &msg.email, true, false}};
    call_and_answer(req, fields, N_FIELDS(fields), "auth.PasswordReset", &msg.base, 202,
                    json_pack("{s:s}", "detail",
                              "If an account uses this e-mail, a reset link is on its way."));
}

void gw_auth_reset_confirm(struct gw_request *req)
{
    Sw__Auth__PasswordResetConfirmRequest msg = SW__AUTH__PASSWORD_RESET_CONFIRM_REQUEST__INIT;
    const struct body_field fields[] = {
        {"token", &msg.token, true, false},
        {"password", &msg.password, true, false},
        {"password_confirm", &msg.password_confirm, true, false},
    };
    call_and_answer(req, fields, N_FIELDS(fields), "auth.PasswordResetConfirm", &msg.base, 200,
                    json_pack("{s:s}", "detail", "Your password was changed; sign in again."));
}

void gw_auth_2fa_setup(struct gw_request *req)
{
    Sw__Auth__TwoFactorSetupRequest msg = SW__AUTH__TWO_FACTOR_SETUP_REQUEST__INIT;
    struct sw_rpc_result res;
    if (call_with_body(req, NULL, 0, "auth.TwoFactorSetup", &msg.base,
                       &sw__auth__two_factor_setup_reply__descriptor, &res) != 0)
        return;
    const Sw__Auth__TwoFactorSetupReply *out = (Sw__Auth__TwoFactorSetupReply *)res.body;
    gw_send_json(req, 200,
                 json_pack("{s:s, s:s}", "secret", out->secret, "otpauth_url", out->otpauth_url));
    sw_rpc_result_free(&res);
}

void gw_auth_2fa_confirm(struct gw_request *req)
{
    Sw__Auth__TwoFactorConfirmRequest msg = SW__AUTH__TWO_FACTOR_CONFIRM_REQUEST__INIT;
    const struct body_field fields[] = {{"code", &msg.code, true, false}};
    struct sw_rpc_result res;
    if (call_with_body(req, fields, N_FIELDS(fields), "auth.TwoFactorConfirm", &msg.base,
                       &sw__auth__two_factor_confirm_reply__descriptor, &res) != 0)
        return;
    const Sw__Auth__TwoFactorConfirmReply *out = (Sw__Auth__TwoFactorConfirmReply *)res.body;
    json_t *codes = json_array();
    for (size_t i = 0; i < out->n_recovery_codes; i++)
        json_array_append_new(codes, json_string(out->recovery_codes[i]));
    gw_send_json(req, 200, json_pack("{s:o}", "recovery_codes", codes));
    sw_rpc_result_free(&res);
}

void gw_auth_2fa_disable(struct gw_request *req)
{
    Sw__Auth__TwoFactorDisableRequest msg = SW__AUTH__TWO_FACTOR_DISABLE_REQUEST__INIT;
    const struct body_field fields[] = {
        {"password", &msg.password, true, false},
        {"code", &msg.code, true, false},
    };
    call_and_answer(req, fields, N_FIELDS(fields), "auth.TwoFactorDisable", &msg.base, 200,
                    json_pack("{s:s}", "detail", "Two-factor is off."));
}

int gw_require_verified_email(struct gw_request *req)
{
    if (strcmp(req->claims.role, "member") == 0)
        return 0; /* the owning service refuses the role first: permission_denied */
    Sw__Auth__MeRequest me = SW__AUTH__ME_REQUEST__INIT;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.Me", &me.base, &sw__auth__me_reply__descriptor, &res) != 0)
        return -1;
    const Sw__Auth__MeReply *out = (Sw__Auth__MeReply *)res.body;
    bool verified = out->user->email_verified;
    sw_rpc_result_free(&res);
    if (verified)
        return 0;
    gw_send_error(req, 403, "email_not_verified",
                  "Confirm your e-mail address first; the link is in your inbox.", NULL);
    return -1;
}

void gw_auth_refresh(struct gw_request *req)
{
    Sw__Auth__RefreshRequest msg = SW__AUTH__REFRESH_REQUEST__INIT;
    const struct body_field fields[] = {{"refresh", &msg.refresh, true, false}};
    struct sw_rpc_result res;
    if (call_with_body(req, fields, 1, "auth.Refresh", &msg.base,
                       &sw__auth__refresh_reply__descriptor, &res) != 0)
        return;
    const Sw__Auth__RefreshReply *out = (Sw__Auth__RefreshReply *)res.body;
    gw_send_json(req, 200, json_pack("{s:s, s:s}", "access", out->access, "refresh", out->refresh));
    sw_rpc_result_free(&res);
}

void gw_auth_logout(struct gw_request *req)
{
    Sw__Auth__LogoutRequest msg = SW__AUTH__LOGOUT_REQUEST__INIT;
    const struct body_field fields[] = {{"refresh", &msg.refresh, true, false}};
    struct sw_rpc_result res;
    if (call_with_body(req, fields, 1, "auth.Logout", &msg.base, NULL, &res) != 0)
        return;
    gw_send_json(req, 200, json_pack("{s:s}", "detail", "Logged out."));
    sw_rpc_result_free(&res);
}

static json_t *tenant_json(const Sw__Tenants__Tenant *t, int endpoint_count)
{
    json_t *limit = t->has_endpoint_limit ? json_integer(t->endpoint_limit) : json_null();
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i}", "id", t->id, "name", t->name,
                     "schema", t->schema, "plan", t->plan, "subscription_status",
                     t->subscription_status, "account_status", t->account_status, "endpoint_limit",
                     limit, "endpoint_count", endpoint_count);
}

/*
 * The caller's unread alerts; null, rather than failing the whole answer,
 * while sw-notify does not answer.
 */
static json_t *unread_alerts(struct gw_request *req)
{
    Sw__Notify__CountUnreadRequest msg = SW__NOTIFY__COUNT_UNREAD_REQUEST__INIT;
    struct sw_rpc_meta meta = {
        .request_id = req->request_id,
        .tenant_id = req->claims.tenant_id,
        .user_id = req->claims.user_id,
        .role = req->claims.role,
    };
    struct sw_rpc_result res;
    json_t *out = json_null();
    if (sw_rpc_call(req->gw->rpc[SW_SVC_NOTIFY], &meta, "notify.CountUnread", &msg.base,
                    &sw__notify__count_unread_reply__descriptor, req->gw->cfg.rpc_timeout_ms,
                    &res) == 0) {
        json_decref(out);
        out = json_integer(((Sw__Notify__CountUnreadReply *)res.body)->unread);
    }
    sw_rpc_result_free(&res);
    return out;
}

void gw_auth_me(struct gw_request *req)
{
    Sw__Auth__MeRequest me = SW__AUTH__ME_REQUEST__INIT;
    Sw__Tenants__GetTenantRequest get = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    Sw__Monitors__CountEndpointsRequest count = SW__MONITORS__COUNT_ENDPOINTS_REQUEST__INIT;
    struct sw_rpc_result user_res = {0}, tenant_res = {0}, count_res = {0};
    get.id = req->claims.tenant_id;
    if (gw_call(req, SW_SVC_AUTH, "auth.Me", &me.base, &sw__auth__me_reply__descriptor,
                &user_res) != 0 ||
        gw_call(req, SW_SVC_TENANTS, "tenants.GetTenant", &get.base,
                &sw__tenants__get_tenant_reply__descriptor, &tenant_res) != 0 ||
        gw_call(req, SW_SVC_MONITORS, "monitors.CountEndpoints", &count.base,
                &sw__monitors__count_endpoints_reply__descriptor, &count_res) != 0)
        goto out;
    const Sw__Auth__MeReply *user = (Sw__Auth__MeReply *)user_res.body;
    const Sw__Tenants__GetTenantReply *tenant = (Sw__Tenants__GetTenantReply *)tenant_res.body;
    const Sw__Monitors__CountEndpointsReply *n =
        (Sw__Monitors__CountEndpointsReply *)count_res.body;
    json_t *me_user = user_json(user->user, true);
    json_object_set_new(me_user, "two_factor_enabled", json_boolean(user->two_factor_enabled));
    gw_send_json(req, 200,
                 json_pack("{s:o, s:o, s:o}", "user", me_user, "tenant",
                           tenant_json(tenant->tenant, n->count), "unread_alerts",
                           unread_alerts(req)));
out:
    sw_rpc_result_free(&count_res);
    sw_rpc_result_free(&tenant_res);
    sw_rpc_result_free(&user_res);
}
