/*
 * POST /api/billing/webhook/: the gateway hands over the raw body and the
 * Stripe-Signature header. A verified event is recorded under its id and
 * applied in one transaction before the answer; a replay of a recorded id
 * changes nothing. If the transaction cannot commit the answer is 503, so
 * Stripe delivers the event again. After the commit the sync thread is woken
 * to push the tenant's plan (and retries a push that fails).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing.h"
#include "billing.pb-c.h"
#include "signature.h"
#include "sw_audit.h"
#include "sw_log.h"
#include "sw_outbox.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_status.h"

#define TOLERANCE_S 300

/* A verified body must be a Stripe event: {id, type, created, data: {object: {}}}. */
static bool is_event(json_t *doc)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    const char *type = json_string_value(json_object_get(doc, "type"));
    return id && id[0] && strlen(id) < 255 && type && type[0] &&
           json_is_integer(json_object_get(doc, "created")) &&
           json_is_object(json_object_get(json_object_get(doc, "data"), "object"));
}

/* Inserts the event (payload kept as received); *fresh is false when its id was already recorded.
 */
static int record(PGconn *db, json_t *event, const ProtobufCBinaryData *payload, bool *fresh)
{
    /* A parsed JSON text holds no NUL byte, so it can travel as a C string. */
    char *text = malloc(payload->len + 1);
    if (!text)
        return SW_EINTERNAL;
    memcpy(text, payload->data, payload->len);
    text[payload->len] = '\0';
    char created[24];
    snprintf(created, sizeof created, "%lld",
             (long long)json_integer_value(json_object_get(event, "created")));
    const char *params[] = {json_string_value(json_object_get(event, "id")),
                            json_string_value(json_object_get(event, "type")), created,
                            json_is_true(json_object_get(event, "livemode")) ? "true" : "false",
                            text};
    PGresult *res = NULL;
    int rc = sw_pg_query(
        db,
        "INSERT INTO billing.webhook_events (id, type, created, livemode, payload, outcome)"
        " VALUES ($1, $2, $3, $4, $5, 'received') ON CONFLICT (id) DO NOTHING RETURNING id",
        5, params, &res);
    *fresh = rc == 0 && PQntuples(res) == 1;
    PQclear(res);
    free(text);
    return rc;
}

static int set_outcome(PGconn *db, const char *id, const char *outcome, const char *tenant_id)
{
    const char *params[] = {id, outcome, tenant_id[0] ? tenant_id : NULL};
    return sw_pg_exec(db,
                      "UPDATE billing.webhook_events SET outcome = $2, tenant_id = $3::uuid"
                      " WHERE id = $1",
                      3, params);
}

/* The verified body as a Stripe event; NULL after failing the reply. */
static json_t *verified_event(struct sw_rpc_ctx *ctx, const Sw__Billing__WebhookRequest *req,
                              struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    if (!svc->settings.webhook_secret[0]) {
        sw_reply_fail(reply, SW_UNAVAILABLE, "billing_not_configured",
                      "Billing is not configured on this server.");
        return NULL;
    }
    enum billing_sig_result sig =
        billing_signature_verify(req->signature, req->payload.data, req->payload.len,
                                 svc->settings.webhook_secret, (long long)time(NULL), TOLERANCE_S);
    if (sig != BILLING_SIG_OK) {
        sw_log(SW_LOG_WARN, ctx->env->request_id, NULL, "webhook refused: %s",
               billing_signature_reason(sig));
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_signature", "%s",
                      billing_signature_reason(sig));
        return NULL;
    }
    json_t *event =
        json_loadb((const char *)req->payload.data, req->payload.len, JSON_REJECT_DUPLICATES, NULL);
    if (!is_event(event)) {
        json_decref(event);
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_payload",
                      "The body is not a Stripe event.");
        return NULL;
    }
    return event;
}

/* What recording one event found. */
struct recorded {
    bool fresh;              /* its id was new: it was applied */
    char tenant_id[37];      /* the tenant it concerns; "" when none was found */
    const char *outcome;     /* static text, for the log and the event row */
    bool plan_owed;          /* the tenant's desired plan changed */
    const char *outbox_type; /* the event written to billing.outbox, or NULL */
};

/* The outbox event a Stripe event gives other services, or NULL. */
static const char *outbox_type_of(json_t *event)
{
    const char *type = json_string_value(json_object_get(event, "type"));
    if (type && strcmp(type, "invoice.payment_failed") == 0)
        return "billing.payment_failed";
    if (type && strcmp(type, "customer.subscription.deleted") == 0)
        return "billing.subscription_canceled";
    return NULL;
}

/* The audit row of an applied event: Stripe acted on the tenant. */
static int audit_event(PGconn *db, const Sw__Envelope *env, json_t *event, const struct recorded *r)
{
    json_t *doc = json_pack("{s:s?, s:s}", "type",
                            json_string_value(json_object_get(event, "type")), "outcome",
                            r->outcome);
    char *after = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    const struct sw_audit a = {.tenant_id = r->tenant_id,
                               .actor_type = "stripe",
                               .action = "billing.webhook_event",
                               .target_type = "stripe_event",
                               .target_id = json_string_value(json_object_get(event, "id")),
                               .after = after};
    int rc = sw_audit_write(db, env, &a);
    free(after);
    return rc;
}

/* Records the event and, when it is new, applies it (and audits it), in one transaction. */
static int record_and_apply(PGconn *db, const Sw__Envelope *env, json_t *event,
                            const ProtobufCBinaryData *payload, struct recorded *r)
{
    const char *event_id = json_string_value(json_object_get(event, "id"));
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = record(db, event, payload, &r->fresh);
    if (rc == 0 && r->fresh)
        rc = billing_apply_event(db, event, r->tenant_id, &r->outcome, &r->plan_owed);
    if (rc == 0 && r->fresh)
        rc = set_outcome(db, event_id, r->outcome, r->tenant_id);
    r->outbox_type = r->fresh && r->tenant_id[0] ? outbox_type_of(event) : NULL;
    if (rc == 0 && r->outbox_type)
        rc = sw_outbox_add(db, "billing.outbox", BILLING_LOCK_OUTBOX, r->outbox_type, r->tenant_id,
                           NULL, "{}");
    if (rc == 0 && r->fresh && r->tenant_id[0])
        rc = audit_event(db, env, event, r);
    return sw_pg_end(db, rc);
}

void billing_webhook(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Billing__WebhookRequest *req = request;
    struct billing_service *svc = ctx->service;
    const char *request_id = ctx->env->request_id;
    json_t *event = verified_event(ctx, req, reply);
    if (!event)
        return;
    const char *event_id = json_string_value(json_object_get(event, "id"));
    const char *type = json_string_value(json_object_get(event, "type"));
    struct recorded r = {.outcome = "duplicate"};
    if (record_and_apply(ctx->db, ctx->env, event, &req->payload, &r) != 0) {
        sw_log(SW_LOG_ERROR, request_id, NULL, "webhook event %s not recorded; Stripe will retry",
               event_id);
        sw_reply_fail(reply, SW_UNAVAILABLE, "service_unavailable",
                      "The event could not be recorded; it will be retried.");
        json_decref(event);
        return;
    }
    const char *tenant_id = r.tenant_id[0] ? r.tenant_id : NULL;
    sw_log(SW_LOG_INFO, request_id, tenant_id, "webhook %s %s: %s", type, event_id, r.outcome);
    if (r.outbox_type)
        sw_pub_send(svc->pub, r.outbox_type, tenant_id);
    if (r.plan_owed)
        billing_sync_wake(svc->sync);
    Sw__Billing__WebhookReply out = SW__BILLING__WEBHOOK_REPLY__INIT;
    out.duplicate = !r.fresh;
    sw_reply_body(reply, &out.base);
    json_decref(event);
}

void billing_list_events(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    sw_outbox_list(ctx, "billing.outbox", request, reply);
}
