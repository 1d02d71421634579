/* The "Auth and tenants" routes: JSON in, one or two RPCs, JSON out. */
#include <string.h>

#include "auth.pb-c.h"
#include "gateway.h"
#include "http.h"
#include "monitors.pb-c.h"
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
 * Reads the body and the listed string fields; -1 after an error answer (and
 * then nothing is left for the caller to free).
 */
static int read_fields(struct gw_request *req, json_t **doc, const char *const *names,
                       const char **values, size_t n, const char *const *required,
                       size_t n_required)
{
    if (gw_read_json(req, doc) != 0)
        return -1;
    json_t *errors = json_object();
    for (size_t i = 0; i < n; i++)
        gw_json_string(*doc, names[i], &values[i], errors);
    for (size_t i = 0; i < n_required; i++) {
        json_t *v = json_object_get(*doc, required[i]);
        if ((!v || json_is_null(v)) && !json_object_get(errors, required[i]))
            gw_field_error(errors, required[i], "This field is required.");
    }
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        json_decref(*doc);
        *doc = NULL;
        return -1;
    }
    json_decref(errors);
    return 0;
}

void gw_auth_register(struct gw_request *req)
{
    static const char *const names[] = {"organization_name", "email", "password",
                                        "password_confirm"};
    const char *values[4];
    json_t *doc = NULL;
    if (read_fields(req, &doc, names, values, 4, NULL, 0) != 0)
        return;
    Sw__Auth__RegisterRequest msg = SW__AUTH__REGISTER_REQUEST__INIT;
    msg.organization_name = (char *)values[0];
    msg.email = (char *)values[1];
    msg.password = (char *)values[2];
    msg.password_confirm = (char *)values[3];
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.Register", &msg.base,
                &sw__auth__register_reply__descriptor, &res) == 0) {
        const Sw__Auth__RegisterReply *out = (Sw__Auth__RegisterReply *)res.body;
        gw_send_json(req, 201,
                     json_pack("{s:o, s:o}", "tenant", tenant_ref_json(out->tenant), "user",
                               user_json(out->user, false)));
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

void gw_auth_token(struct gw_request *req)
{
    static const char *const names[] = {"email", "password", "tenant_schema"};
    const char *values[3];
    json_t *doc = NULL;
    if (read_fields(req, &doc, names, values, 3, names, 2) != 0)
        return;
    Sw__Auth__LoginRequest msg = SW__AUTH__LOGIN_REQUEST__INIT;
    msg.email = (char *)values[0];
    msg.password = (char *)values[1];
    msg.tenant_schema = (char *)values[2];
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.Login", &msg.base, &sw__auth__login_reply__descriptor,
                &res) == 0) {
        const Sw__Auth__LoginReply *out = (Sw__Auth__LoginReply *)res.body;
        json_t *body;
        if (out->multiple_tenants) {
            json_t *list = json_array();
            for (size_t i = 0; i < out->n_tenants; i++)
                json_array_append_new(list, tenant_ref_json(out->tenants[i]));
            body = json_pack("{s:b, s:o, s:s}", "multiple_tenants", 1, "tenants", list, "message",
                             out->message);
        } else {
            body = json_pack("{s:s, s:s, s:o, s:o}", "access", out->access, "refresh",
                             out->refresh, "user", user_json(out->user, false), "tenant",
                             tenant_ref_json(out->tenant));
        }
        gw_send_json(req, 200, body);
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

/* Reads the required "refresh" member; -1 after an error answer. */
static int read_refresh(struct gw_request *req, json_t **doc, const char **token)
{
    static const char *const names[] = {"refresh"};
    return read_fields(req, doc, names, token, 1, names, 1);
}

void gw_auth_refresh(struct gw_request *req)
{
    json_t *doc = NULL;
    Sw__Auth__RefreshRequest msg = SW__AUTH__REFRESH_REQUEST__INIT;
    if (read_refresh(req, &doc, (const char **)&msg.refresh) != 0)
        return;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.Refresh", &msg.base, &sw__auth__refresh_reply__descriptor,
                &res) == 0) {
        const Sw__Auth__RefreshReply *out = (Sw__Auth__RefreshReply *)res.body;
        gw_send_json(req, 200,
                     json_pack("{s:s, s:s}", "access", out->access, "refresh", out->refresh));
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

void gw_auth_logout(struct gw_request *req)
{
    json_t *doc = NULL;
    Sw__Auth__LogoutRequest msg = SW__AUTH__LOGOUT_REQUEST__INIT;
    if (read_refresh(req, &doc, (const char **)&msg.refresh) != 0)
        return;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.Logout", &msg.base, NULL, &res) == 0) {
        gw_send_json(req, 200, json_pack("{s:s}", "detail", "Logged out."));
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

static json_t *tenant_json(const Sw__Tenants__Tenant *t, int endpoint_count)
{
    json_t *limit = t->endpoint_limit < 0 ? json_null() : json_integer(t->endpoint_limit);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i}", "id", t->id, "name", t->name,
                     "schema", t->schema, "plan", t->plan, "subscription_status",
                     t->subscription_status, "account_status", t->account_status,
                     "endpoint_limit", limit, "endpoint_count", endpoint_count);
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
    const Sw__Monitors__CountEndpointsReply *n = (Sw__Monitors__CountEndpointsReply *)count_res.body;
    gw_send_json(req, 200,
                 json_pack("{s:o, s:o}", "user", user_json(user->user, true), "tenant",
                           tenant_json(tenant->tenant, n->count)));
out:
    sw_rpc_result_free(&count_res);
    sw_rpc_result_free(&tenant_res);
    sw_rpc_result_free(&user_res);
}
