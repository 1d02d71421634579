/*
 * Checkout and Customer Portal sessions. Only an owner or admin may start
 * either. The tenant's Stripe customer is created once (a deterministic
 * Idempotency-Key makes two concurrent first checkouts share one customer) and
 * reused; see docs/BILLING.md for every parameter sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "billing.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

static bool may_manage(const Sw__Envelope *env)
{
    return strcmp(env->role, "owner") == 0 || strcmp(env->role, "admin") == 0;
}

/* The checks every session request starts with; false after answering the reply. */
static bool allowed(struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    if (!may_manage(ctx->env)) {
        sw_reply_error(reply, SW_PERMISSION_DENIED, "permission_denied",
                       "Only the organisation's owner or an admin can manage billing.");
        return false;
    }
    if (!svc->settings.configured) {
        sw_reply_error(reply, SW_UNAVAILABLE, "billing_not_configured",
                       "Billing is not configured on this server.");
        return false;
    }
    return true;
}

static void stripe_failed(struct sw_reply *reply, enum stripe_outcome outcome,
                          const struct stripe_error *err)
{
    if (outcome == STRIPE_REFUSED)
        sw_reply_error(reply, SW_FAILED_PRECONDITION, "stripe_error", "Stripe refused: %s",
                       err->message);
    else
        sw_reply_error(reply, SW_UNAVAILABLE, "stripe_unavailable",
                       "The payment provider is not answering; try again shortly.");
}

/* The stored Stripe customer of the tenant, copied into out ("" when none). */
static int stored_customer(PGconn *db, const char *tenant_id, char *out, size_t size)
{
    const char *params[] = {tenant_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT stripe_customer_id FROM billing.customers WHERE tenant_id = $1",
                         1, params, &res);
    out[0] = '\0';
    if (rc == 0 && PQntuples(res) == 1)
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* The organisation's name, for the customer record (best effort). */
static void tenant_name(struct billing_service *svc, const Sw__Envelope *env, char *out,
                        size_t size)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = env->tenant_id;
    struct sw_rpc_meta meta = {.request_id = env->request_id};
    struct sw_rpc_result res = {0};
    snprintf(out, size, "%s", env->tenant_id);
    if (sw_rpc_call(svc->tenants, &meta, "tenants.GetTenant", &req.base,
                    &sw__tenants__get_tenant_reply__descriptor, svc->cfg.rpc_timeout_ms,
                    &res) == 0 &&
        res.reply->status == SW_OK)
        snprintf(out, size, "%s", ((Sw__Tenants__GetTenantReply *)res.body)->tenant->name);
    sw_rpc_result_free(&res);
}

/* Finds or creates the tenant's Stripe customer; answers the reply on failure. */
static int ensure_customer(struct sw_rpc_ctx *ctx, struct sw_reply *reply, char *customer,
                           size_t size)
{
    struct billing_service *svc = ctx->service;
    const char *tenant_id = ctx->env->tenant_id;
    int rc = stored_customer(ctx->db, tenant_id, customer, size);
    if (rc || customer[0])
        return rc;
    char name[128], idem[96];
    tenant_name(svc, ctx->env, name, sizeof name);
    snprintf(idem, sizeof idem, "sw-customer-%s", tenant_id);
    struct stripe_form form = {0};
    stripe_form_add(&form, "name", name);
    stripe_form_add(&form, "metadata[tenant_id]", tenant_id);
    json_t *obj = NULL;
    struct stripe_error err;
    enum stripe_outcome outcome = stripe_post(&svc->stripe, "/v1/customers", &form, idem,
                                              ctx->env->deadline_unix_ms, ctx->env->request_id,
                                              &obj, &err);
    stripe_form_free(&form);
    const char *id = json_string_value(json_object_get(obj, "id"));
    if (outcome != STRIPE_OK || !id) {
        json_decref(obj);
        stripe_failed(reply, outcome == STRIPE_OK ? STRIPE_UNAVAILABLE : outcome, &err);
        return SW_EUNAVAIL;
    }
    const char *params[] = {tenant_id, id};
    rc = sw_pg_exec(ctx->db,
                    "INSERT INTO billing.customers (tenant_id, stripe_customer_id)"
                    " VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    2, params);
    json_decref(obj);
    /* A concurrent request may have stored its customer first: use what is stored. */
    if (rc == 0)
        rc = stored_customer(ctx->db, tenant_id, customer, size);
    if (rc == 0 && !customer[0])
        rc = SW_EINTERNAL;
    return rc;
}

/* The tenant's current plan by its effective subscription. */
static int current_plan(PGconn *db, const char *tenant_id, char *plan, size_t size)
{
    const char *params[] = {tenant_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT status IN " BILLING_LIVE_STATUSES " FROM billing.subscriptions"
                         " WHERE tenant_id = $1::uuid" BILLING_EFFECTIVE_ORDER " LIMIT 1",
                         1, params, &res);
    snprintf(plan, size, "%s",
             rc == 0 && PQntuples(res) == 1 && sw_pg_bool(res, 0, 0) ? "pro" : "free");
    PQclear(res);
    return rc;
}

/* Validates the requested plan; answers the reply and returns nonzero when refused. */
static int check_plan(struct sw_rpc_ctx *ctx, const char *plan, struct sw_reply *reply)
{
    if (!plan[0]) {
        sw_reply_field(reply, "plan", "This field is required.");
        return SW_EINVAL;
    }
    if (strcmp(plan, "pro") != 0 && strcmp(plan, "free") != 0) {
        sw_reply_field(reply, "plan", "Choose one of: pro.");
        return SW_EINVAL;
    }
    char current[8];
    int rc = current_plan(ctx->db, ctx->env->tenant_id, current, sizeof current);
    if (rc)
        return rc;
    if (strcmp(plan, current) == 0) {
        sw_reply_error(reply, SW_ALREADY_EXISTS, "already_subscribed",
                       "Your organisation is already on the %s plan.",
                       strcmp(plan, "pro") == 0 ? "Pro" : "Free");
        return SW_EEXISTS;
    }
    if (strcmp(plan, "free") == 0) {
        sw_reply_field(reply, "plan",
                       "To move to Free, cancel the subscription in Manage subscription.");
        return SW_EINVAL;
    }
    return 0;
}

static int start_checkout(struct sw_rpc_ctx *ctx, const char *customer, const char *client_key,
                          struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    const struct billing_settings *s = &svc->settings;
    const char *tenant_id = ctx->env->tenant_id;
    char success[SW_URL_MAX + 64], cancel[SW_URL_MAX + 32], idem[200], token[48];
    snprintf(success, sizeof success, "%s/billing/success?session_id={CHECKOUT_SESSION_ID}",
             s->frontend_url);
    snprintf(cancel, sizeof cancel, "%s/billing/cancel", s->frontend_url);
    if (!client_key[0])
        sw_random_token(18, token, sizeof token);
    snprintf(idem, sizeof idem, "sw-checkout-%s-%.100s", tenant_id,
             client_key[0] ? client_key : token);
    struct stripe_form form = {0};
    stripe_form_add(&form, "mode", "subscription");
    stripe_form_add(&form, "customer", customer);
    stripe_form_add(&form, "client_reference_id", tenant_id);
    stripe_form_add(&form, "metadata[tenant_id]", tenant_id);
    stripe_form_add(&form, "subscription_data[metadata][tenant_id]", tenant_id);
    stripe_form_add(&form, "line_items[0][price]", s->price_pro);
    stripe_form_add(&form, "line_items[0][quantity]", "1");
    stripe_form_add(&form, "success_url", success);
    stripe_form_add(&form, "cancel_url", cancel);
    json_t *obj = NULL;
    struct stripe_error err;
    enum stripe_outcome outcome = stripe_post(&svc->stripe, "/v1/checkout/sessions", &form, idem,
                                              ctx->env->deadline_unix_ms, ctx->env->request_id,
                                              &obj, &err);
    stripe_form_free(&form);
    const char *url = json_string_value(json_object_get(obj, "url"));
    const char *id = json_string_value(json_object_get(obj, "id"));
    int rc = 0;
    if (outcome == STRIPE_OK && url && id) {
        Sw__Billing__CreateCheckoutSessionReply out =
            SW__BILLING__CREATE_CHECKOUT_SESSION_REPLY__INIT;
        out.url = (char *)url;
        out.session_id = (char *)id;
        rc = sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, tenant_id, "checkout session %s started", id);
    } else {
        stripe_failed(reply, outcome == STRIPE_OK ? STRIPE_UNAVAILABLE : outcome, &err);
    }
    json_decref(obj);
    return rc;
}

int billing_create_checkout(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                            struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    Sw__Billing__CreateCheckoutSessionRequest *req =
        sw__billing__create_checkout_session_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    char customer[256];
    int rc = 0;
    if (!allowed(ctx, reply))
        goto out;
    if (!svc->settings.price_pro[0]) {
        sw_reply_error(reply, SW_UNAVAILABLE, "billing_not_configured",
                       "The Pro plan has no Stripe price on this server (STRIPE_PRICE_PRO).");
        goto out;
    }
    if ((rc = check_plan(ctx, req->plan, reply)) != 0)
        goto out;
    if ((rc = ensure_customer(ctx, reply, customer, sizeof customer)) != 0)
        goto out;
    rc = start_checkout(ctx, customer, req->idempotency_key, reply);
out:
    sw__billing__create_checkout_session_request__free_unpacked(req, NULL);
    return reply->status != SW_OK ? 0 : rc;
}

int billing_create_portal(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                          struct sw_reply *reply)
{
    (void)body;
    struct billing_service *svc = ctx->service;
    if (!allowed(ctx, reply))
        return 0;
    char customer[256], return_url[SW_URL_MAX + 16], idem[64], token[48];
    int rc = stored_customer(ctx->db, ctx->env->tenant_id, customer, sizeof customer);
    if (rc)
        return rc;
    if (!customer[0]) {
        sw_reply_error(reply, SW_NOT_FOUND, "no_customer",
                       "This organisation has no billing account yet; upgrade first.");
        return 0;
    }
    snprintf(return_url, sizeof return_url, "%s/billing", svc->settings.frontend_url);
    sw_random_token(18, token, sizeof token);
    snprintf(idem, sizeof idem, "sw-portal-%s", token);
    struct stripe_form form = {0};
    stripe_form_add(&form, "customer", customer);
    stripe_form_add(&form, "return_url", return_url);
    json_t *obj = NULL;
    struct stripe_error err;
    enum stripe_outcome outcome =
        stripe_post(&svc->stripe, "/v1/billing_portal/sessions", &form, idem,
                    ctx->env->deadline_unix_ms, ctx->env->request_id, &obj, &err);
    stripe_form_free(&form);
    const char *url = json_string_value(json_object_get(obj, "url"));
    if (outcome == STRIPE_OK && url) {
        Sw__Billing__CreatePortalSessionReply out = SW__BILLING__CREATE_PORTAL_SESSION_REPLY__INIT;
        out.url = (char *)url;
        rc = sw_reply_body(reply, &out.base);
    } else {
        stripe_failed(reply, outcome == STRIPE_OK ? STRIPE_UNAVAILABLE : outcome, &err);
    }
    json_decref(obj);
    return rc;
}
