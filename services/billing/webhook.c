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
#include "sw_log.h"
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

/* Inserts the event (payload kept as received); *fresh is false when its id was already recorded. */
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

/* Verifies, parses and stores; answers the reply on refusal. */
static int handle(struct sw_rpc_ctx *ctx, const Sw__Billing__WebhookRequest *req,
                  struct sw_reply *reply, bool *duplicate)
{
    struct billing_service *svc = ctx->service;
    const char *request_id = ctx->env->request_id;
    if (!svc->settings.webhook_secret[0]) {
        sw_reply_error(reply, SW_UNAVAILABLE, "billing_not_configured",
                       "Billing is not configured on this server.");
        return 0;
    }
    enum billing_sig_result sig = billing_signature_verify(
        req->signature, req->payload.data, req->payload.len, svc->settings.webhook_secret,
        (long long)time(NULL), TOLERANCE_S);
    if (sig != BILLING_SIG_OK) {
        sw_log(SW_LOG_WARN, request_id, NULL, "webhook refused: %s",
               billing_signature_reason(sig));
        sw_reply_error(reply, SW_INVALID_ARGUMENT, "invalid_signature", "%s",
                       billing_signature_reason(sig));
        return 0;
    }
    json_t *event = json_loadb((const char *)req->payload.data, req->payload.len,
                               JSON_REJECT_DUPLICATES, NULL);
    if (!is_event(event)) {
        json_decref(event);
        sw_reply_error(reply, SW_INVALID_ARGUMENT, "invalid_payload",
                       "The body is not a Stripe event.");
        return 0;
    }
    const char *event_id = json_string_value(json_object_get(event, "id"));
    char tenant_id[37] = "";
    const char *outcome = "";
    bool fresh = false, plan_owed = false;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = record(ctx->db, event, &req->payload, &fresh);
    if (rc == 0 && fresh)
        rc = billing_apply_event(ctx->db, event, tenant_id, &outcome, &plan_owed);
    if (rc == 0 && fresh)
        rc = set_outcome(ctx->db, event_id, outcome, tenant_id);
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc) {
        sw_pg_rollback(ctx->db);
        sw_log(SW_LOG_ERROR, request_id, NULL, "webhook event %s not recorded; Stripe will retry",
               event_id);
        sw_reply_error(reply, SW_UNAVAILABLE, "service_unavailable",
                       "The event could not be recorded; it will be retried.");
        json_decref(event);
        return 0;
    }
    *duplicate = !fresh;
    const char *type = json_string_value(json_object_get(event, "type"));
    sw_log(SW_LOG_INFO, request_id, tenant_id[0] ? tenant_id : NULL, "webhook %s %s: %s",
           type, event_id, fresh ? outcome : "duplicate");
    if (fresh && tenant_id[0] && strcmp(type, "invoice.payment_failed") == 0)
        sw_pub_send(svc->pub, "billing.payment_failed", tenant_id);
    if (plan_owed)
        billing_sync_wake(svc->sync);
    json_decref(event);
    return 0;
}

int billing_webhook(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                    struct sw_reply *reply)
{
    Sw__Billing__WebhookRequest *req =
        sw__billing__webhook_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    bool duplicate = false;
    int rc = handle(ctx, req, reply, &duplicate);
    if (rc == 0 && reply->status == SW_OK) {
        Sw__Billing__WebhookReply out = SW__BILLING__WEBHOOK_REPLY__INIT;
        out.duplicate = duplicate;
        rc = sw_reply_body(reply, &out.base);
    }
    sw__billing__webhook_request__free_unpacked(req, NULL);
    return rc;
}
