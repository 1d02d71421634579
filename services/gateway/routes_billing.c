/*
 * The "Billing" routes. The webhook is unauthenticated: its body is passed to
 * sw-billing byte for byte with the Stripe-Signature header, and sw-billing
 * verifies it. Everything else carries the caller's verified identity.
 */
#include <stdlib.h>
#include <string.h>

#include "billing.pb-c.h"
#include "gateway.h"
#include "http.h"
#include "sw_time.h"

#define WEBHOOK_MAX_BODY ((size_t)1 << 20)
/*
 * Checkout and portal wait on Stripe (with sw-billing's retries), so they get
 * a longer deadline than SW_RPC_TIMEOUT_MS; sw-billing stops retrying in time
 * to answer within it.
 */
#define STRIPE_CALL_TIMEOUT_MS 30000

/* An instant as the API shows it (ISO-8601 UTC to the second), or null when absent. */
static json_t *time_or_null(protobuf_c_boolean has, int64_t unix_ms)
{
    char iso[SW_TIME_ISO_MAX];
    return has ? json_string(sw_time_iso(unix_ms, iso)) : json_null();
}

static void answer_plans(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Billing__ListPlansReply *out = x->reply;
    json_t *list = json_array();
    for (size_t i = 0; i < out->n_plans; i++) {
        const Sw__Billing__Plan *p = out->plans[i];
        /* Unlimited is null, as in /api/auth/me/. */
        json_t *limit = p->has_endpoint_limit ? json_integer(p->endpoint_limit) : json_null();
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:i, s:i}", "id", p->id,
                                        "name", p->name, "price_cents", p->price_cents, "currency",
                                        p->currency, "interval", p->interval, "endpoint_limit",
                                        limit, "min_interval_seconds", p->min_interval_seconds,
                                        "retention_days", p->retention_days));
    }
    gw_send_json(req, 200, list);
}

void gw_billing_plans(struct gw_request *req)
{
    Sw__Billing__ListPlansRequest msg = SW__BILLING__LIST_PLANS_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_BILLING, "billing.ListPlans", &msg.base,
                   &sw__billing__list_plans_reply__descriptor, 0, answer_plans);
}

static void answer_subscription(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Billing__Subscription *s =
        ((const Sw__Billing__GetSubscriptionReply *)x->reply)->subscription;
    gw_send_json(req, 200,
                 json_pack("{s:s, s:s, s:o, s:b, s:b, s:b}", "plan", s->plan, "status", s->status,
                           "current_period_end",
                           time_or_null(s->has_current_period_end_unix_ms,
                                        s->current_period_end_unix_ms),
                           "cancel_at_period_end", s->cancel_at_period_end, "stripe_configured",
                           s->stripe_configured, "test_mode", s->test_mode));
}

void gw_billing_subscription(struct gw_request *req)
{
    Sw__Billing__GetSubscriptionRequest msg = SW__BILLING__GET_SUBSCRIPTION_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_BILLING, "billing.GetSubscription", &msg.base,
                   &sw__billing__get_subscription_reply__descriptor, 0, answer_subscription);
}

static void answer_checkout(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Billing__CreateCheckoutSessionReply *out = x->reply;
    gw_send_json(req, 200, json_pack("{s:s, s:s}", "url", out->url, "session_id", out->session_id));
}

void gw_billing_checkout(struct gw_request *req)
{
    json_t *doc = NULL;
    if (gw_read_json(req, &doc) != 0 || gw_require_verified_email(req) != 0) {
        json_decref(doc);
        return;
    }
    json_t *errors = json_object();
    const char *plan = "";
    gw_json_string(doc, "plan", &plan, errors);
    json_t *given = json_object_get(doc, "plan");
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        json_decref(doc);
        return;
    }
    json_decref(errors);
    const char *key = gw_header(req, "Idempotency-Key");
    Sw__Billing__CreateCheckoutSessionRequest msg =
        SW__BILLING__CREATE_CHECKOUT_SESSION_REQUEST__INIT;
    /* Absent or null: not given (sw-billing says it is required). */
    msg.plan = given && !json_is_null(given) ? (char *)plan : NULL;
    msg.idempotency_key = key && key[0] && strlen(key) <= 100 ? (char *)key : NULL;
    gw_call_answer(req, SW_SVC_BILLING, "billing.CreateCheckoutSession", &msg.base,
                   &sw__billing__create_checkout_session_reply__descriptor, STRIPE_CALL_TIMEOUT_MS,
                   answer_checkout);
    json_decref(doc);
}

static void answer_portal(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Billing__CreatePortalSessionReply *out = x->reply;
    gw_send_json(req, 200, json_pack("{s:s}", "url", out->url));
}

void gw_billing_portal(struct gw_request *req)
{
    Sw__Billing__CreatePortalSessionRequest msg = SW__BILLING__CREATE_PORTAL_SESSION_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_BILLING, "billing.CreatePortalSession", &msg.base,
                   &sw__billing__create_portal_session_reply__descriptor, STRIPE_CALL_TIMEOUT_MS,
                   answer_portal);
}

static void answer_webhook(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Billing__WebhookReply *out = x->reply;
    gw_send_json(req, 200, json_pack("{s:b, s:b}", "received", 1, "duplicate", out->duplicate));
}

void gw_billing_webhook(struct gw_request *req)
{
    char *body = NULL;
    size_t len = 0;
    if (gw_read_raw(req, WEBHOOK_MAX_BODY, &body, &len) != 0)
        return;
    const char *signature = gw_header(req, "Stripe-Signature");
    Sw__Billing__WebhookRequest msg = SW__BILLING__WEBHOOK_REQUEST__INIT;
    msg.payload.data = (uint8_t *)body;
    msg.payload.len = len;
    msg.signature = (char *)signature;
    gw_call_answer(req, SW_SVC_BILLING, "billing.Webhook", &msg.base,
                   &sw__billing__webhook_reply__descriptor, 0, answer_webhook);
    free(body);
}

static json_t *invoice_json(const void *item)
{
    const Sw__Billing__Invoice *inv = item;
    char created[SW_TIME_ISO_MAX];
    json_t *obj = json_object();
    json_object_set_new(obj, "id", json_string(inv->id));
    json_object_set_new(obj, "number", gw_text_or_null(inv->number));
    json_object_set_new(obj, "status", json_string(inv->status));
    json_object_set_new(obj, "amount_due", json_integer(inv->amount_due));
    json_object_set_new(obj, "amount_paid", json_integer(inv->amount_paid));
    json_object_set_new(obj, "currency", json_string(inv->currency));
    json_object_set_new(obj, "period_start",
                        time_or_null(inv->has_period_start_unix_ms, inv->period_start_unix_ms));
    json_object_set_new(obj, "period_end",
                        time_or_null(inv->has_period_end_unix_ms, inv->period_end_unix_ms));
    json_object_set_new(obj, "hosted_invoice_url", gw_text_or_null(inv->hosted_invoice_url));
    json_object_set_new(obj, "invoice_pdf", gw_text_or_null(inv->invoice_pdf));
    json_object_set_new(obj, "created_at", json_string(sw_time_iso(inv->created_unix_ms, created)));
    return obj;
}

void gw_billing_invoices(struct gw_request *req)
{
    Sw__Billing__ListInvoicesRequest msg = SW__BILLING__LIST_INVOICES_REQUEST__INIT;
    gw_call_page_of(req, SW_SVC_BILLING, "billing.ListInvoices", &msg.base, &msg.page,
                    &msg.page_size, &sw__billing__list_invoices_reply__descriptor,
                    "/api/billing/invoices/", invoice_json);
}
