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
#include "sw_audit.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

#define CUSTOMER_MAX 256

static bool may_manage(const Sw__Envelope *env)
{
    return env->role && (strcmp(env->role, "owner") == 0 || strcmp(env->role, "admin") == 0);
}

/*
 * The checks every session request starts with: the caller's tenant, a role
 * that may manage billing, billing configured. NULL after failing the reply.
 */
static const char *session_tenant(struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    const char *tenant_id = sw_reply_caller_tenant(ctx, reply);
    if (!tenant_id)
        return NULL;
    if (!may_manage(ctx->env)) {
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                      "Only the organisation's owner or an admin can manage billing.");
        return NULL;
    }
    /* Each session costs a Stripe call: 10 an hour per user (every attempt counts). */
    struct sw_rate_state rate;
    const char *user = ctx->env->user_id ? ctx->env->user_id : tenant_id;
    if (sw_rate_take(ctx->db, "billing.rate_hits", &svc->settings.sessions, user, &rate) == 0)
        sw_reply_rate(reply, &rate);
    if (!sw_reply_ok(reply))
        return NULL;
    if (!svc->settings.configured) {
        sw_reply_fail(reply, SW_UNAVAILABLE, "billing_not_configured",
                      "Billing is not configured on this server.");
        return NULL;
    }
    return tenant_id;
}

/*
 * POSTs form (freed here) to Stripe within the request's deadline. Returns
 * Stripe's object when it has the string members key and also (unless NULL);
 * otherwise NULL, with the reply failed as stripe_error (Stripe refused) or
 * stripe_unavailable.
 */
static json_t *stripe_request(struct sw_rpc_ctx *ctx, const char *path, struct stripe_form *form,
                              const char *idempotency_key, const char *key, const char *also,
                              struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    const Sw__Envelope *env = ctx->env;
    json_t *obj = NULL;
    struct stripe_error err;
    enum stripe_outcome outcome = stripe_post(&svc->stripe, path, form, idempotency_key,
                                              env->has_deadline_unix_ms ? env->deadline_unix_ms : 0,
                                              env->request_id, &obj, &err);
    stripe_form_free(form);
    if (outcome == STRIPE_OK && json_is_string(json_object_get(obj, key)) &&
        (!also || json_is_string(json_object_get(obj, also))))
        return obj;
    json_decref(obj);
    if (outcome == STRIPE_REFUSED)
        sw_reply_fail(reply, SW_FAILED_PRECONDITION, "stripe_error", "Stripe refused: %s",
                      err.message);
    else
        sw_reply_fail(reply, SW_UNAVAILABLE, "stripe_unavailable",
                      "The payment provider is not answering; try again shortly.");
    return NULL;
}

static const char *member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The tenant's stored Stripe customer, copied into out; SW_ENOTFOUND when none. */
/*
 * The audit row of a session opened at Stripe. What changed is at Stripe, so
 * the row stands alone; a failure to write it is logged, never answered.
 */
static void audit_session(struct sw_rpc_ctx *ctx, const char *tenant_id, const char *action,
                          const char *target_type, const char *session_id)
{
    const struct sw_audit a = {.tenant_id = tenant_id,
                               .action = action,
                               .target_type = target_type,
                               .target_id = session_id};
    if (sw_audit_write(ctx->db, ctx->env, &a) != 0)
        sw_log(SW_LOG_WARN, ctx->env->request_id, tenant_id, "%s: audit row not written", action);
}

static int stored_customer(PGconn *db, const char *tenant_id, char out[CUSTOMER_MAX])
{
    const char *params[] = {tenant_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT stripe_customer_id FROM billing.customers WHERE tenant_id = $1", 1,
                         params, &res);
    if (rc == 0 && PQntuples(res) == 1)
        snprintf(out, CUSTOMER_MAX, "%s", PQgetvalue(res, 0, 0));
    else if (rc == 0)
        rc = SW_ENOTFOUND;
    PQclear(res);
    return rc;
}

/* The organisation's name for the customer record; its id when sw-tenants does not answer. */
static void tenant_name(struct sw_rpc_ctx *ctx, const char *tenant_id, char *out, size_t size)
{
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    struct sw_rpc_result res = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    billing_tenants_get(ctx->service, &meta, tenant_id, &res, &tenant);
    snprintf(out, size, "%s", tenant ? tenant->name : tenant_id);
    sw_rpc_result_free(&res);
}

/* Finds or creates the tenant's Stripe customer (copied into customer). */
static int ensure_customer(struct sw_rpc_ctx *ctx, const char *tenant_id,
                           char customer[CUSTOMER_MAX], struct sw_reply *reply)
{
    int rc = stored_customer(ctx->db, tenant_id, customer);
    if (rc != SW_ENOTFOUND)
        return rc;
    char name[128], idem[96];
    tenant_name(ctx, tenant_id, name, sizeof name);
    snprintf(idem, sizeof idem, "sw-customer-%s", tenant_id);
    struct stripe_form form = {0};
    stripe_form_add(&form, "name", name);
    stripe_form_add(&form, "metadata[tenant_id]", tenant_id);
    json_t *obj = stripe_request(ctx, "/v1/customers", &form, idem, "id", NULL, reply);
    if (!obj)
        return SW_EUNAVAIL;
    const char *params[] = {tenant_id, member(obj, "id")};
    rc = sw_pg_exec(ctx->db,
                    "INSERT INTO billing.customers (tenant_id, stripe_customer_id)"
                    " VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    2, params);
    json_decref(obj);
    /* A concurrent request may have stored its customer first: use what is stored. */
    if (rc == 0)
        rc = stored_customer(ctx->db, tenant_id, customer);
    return rc == SW_ENOTFOUND ? SW_EINTERNAL : rc;
}

/* Refuses a plan the tenant cannot check out (the reply says why). */
static int check_plan(struct sw_rpc_ctx *ctx, const char *tenant_id, const char *plan,
                      struct sw_reply *reply)
{
    if (!plan || !plan[0]) {
        sw_reply_field(reply, "plan", "This field is required.");
        return SW_EINVAL;
    }
    if (strcmp(plan, BILLING_PLAN_PRO) != 0 && strcmp(plan, BILLING_PLAN_FREE) != 0) {
        sw_reply_field(reply, "plan", "Choose one of: pro.");
        return SW_EINVAL;
    }
    PGresult *res = NULL;
    int rc = billing_effective_subscription(ctx->db, tenant_id, &res);
    const char *current = rc == 0 && PQntuples(res) == 1 ? PQgetvalue(res, 0, 0)
                                                         : BILLING_PLAN_FREE;
    if (rc == 0 && strcmp(plan, current) == 0) {
        sw_reply_fail(reply, SW_ALREADY_EXISTS, "already_subscribed",
                      "Your organisation is already on the %s plan.",
                      strcmp(plan, BILLING_PLAN_PRO) == 0 ? "Pro" : "Free");
        rc = SW_EEXISTS;
    } else if (rc == 0 && strcmp(plan, BILLING_PLAN_FREE) == 0) {
        sw_reply_field(reply, "plan",
                       "To move to Free, cancel the subscription in Manage subscription.");
        rc = SW_EINVAL;
    }
    PQclear(res);
    return rc;
}

/* Opens the Checkout session and fills the reply. */
static void start_checkout(struct sw_rpc_ctx *ctx, const char *tenant_id, const char *customer,
                           const char *client_key, struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    const struct billing_settings *s = &svc->settings;
    char success[SW_URL_MAX + 64], cancel[SW_URL_MAX + 32], idem[200], token[48];
    snprintf(success, sizeof success, "%s/billing/success?session_id={CHECKOUT_SESSION_ID}",
             s->frontend_url);
    snprintf(cancel, sizeof cancel, "%s/billing/cancel", s->frontend_url);
    if (!client_key || !client_key[0]) {
        sw_random_token(18, token, sizeof token);
        client_key = token;
    }
    snprintf(idem, sizeof idem, "sw-checkout-%s-%.100s", tenant_id, client_key);
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
    json_t *obj = stripe_request(ctx, "/v1/checkout/sessions", &form, idem, "url", "id", reply);
    if (!obj)
        return;
    Sw__Billing__CreateCheckoutSessionReply out = SW__BILLING__CREATE_CHECKOUT_SESSION_REPLY__INIT;
    out.url = (char *)member(obj, "url");
    out.session_id = (char *)member(obj, "id");
    sw_reply_body(reply, &out.base);
    sw_log(SW_LOG_INFO, ctx->env->request_id, tenant_id, "checkout session %s started",
           out.session_id);
    audit_session(ctx, tenant_id, "billing.checkout_session", "checkout_session", out.session_id);
    json_decref(obj);
}

void billing_create_checkout(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Billing__CreateCheckoutSessionRequest *req = request;
    struct billing_service *svc = ctx->service;
    const char *tenant_id = session_tenant(ctx, reply);
    if (!tenant_id)
        return;
    if (!svc->settings.price_pro[0]) {
        sw_reply_fail(reply, SW_UNAVAILABLE, "billing_not_configured",
                      "The Pro plan has no Stripe price on this server (STRIPE_PRICE_PRO).");
        return;
    }
    char customer[CUSTOMER_MAX];
    int rc = check_plan(ctx, tenant_id, req->plan, reply);
    if (rc == 0)
        rc = ensure_customer(ctx, tenant_id, customer, reply);
    if (rc == 0)
        start_checkout(ctx, tenant_id, customer, req->idempotency_key, reply);
    sw_reply_fail_rc(reply, rc);
}

void billing_create_portal(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    struct billing_service *svc = ctx->service;
    const char *tenant_id = session_tenant(ctx, reply);
    if (!tenant_id)
        return;
    char customer[CUSTOMER_MAX];
    int rc = stored_customer(ctx->db, tenant_id, customer);
    if (rc == SW_ENOTFOUND) {
        sw_reply_fail(reply, SW_NOT_FOUND, "no_customer",
                      "This organisation has no billing account yet; upgrade first.");
        return;
    }
    if (rc) {
        sw_reply_fail_rc(reply, rc);
        return;
    }
    char return_url[SW_URL_MAX + 16], idem[64], token[48];
    snprintf(return_url, sizeof return_url, "%s/billing", svc->settings.frontend_url);
    sw_random_token(18, token, sizeof token);
    snprintf(idem, sizeof idem, "sw-portal-%s", token);
    struct stripe_form form = {0};
    stripe_form_add(&form, "customer", customer);
    stripe_form_add(&form, "return_url", return_url);
    json_t *obj =
        stripe_request(ctx, "/v1/billing_portal/sessions", &form, idem, "url", NULL, reply);
    if (!obj)
        return;
    Sw__Billing__CreatePortalSessionReply out = SW__BILLING__CREATE_PORTAL_SESSION_REPLY__INIT;
    out.url = (char *)member(obj, "url");
    sw_reply_body(reply, &out.base);
    audit_session(ctx, tenant_id, "billing.portal_session", "portal_session", member(obj, "id"));
    json_decref(obj);
}
