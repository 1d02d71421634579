/*
 * The outbox reader: on its own thread and connection, reads each producer's
 * events after its cursor (ListEventsSince), and for each one, in one
 * transaction, stores the event, its alert and its planned deliveries and
 * moves the cursor. A restart, a dropped wake-up or a producer that is down
 * only delays: the cursor is where the last committed event left it, and an
 * event read twice is stored once (UNIQUE (producer, seq)).
 *
 * What the messages need from other services (the tenant's name, the
 * endpoint as GET returns it) is fetched before the transaction, so no
 * transaction waits on an RPC.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.pb-c.h"
#include "monitors.pb-c.h"
#include "notify.h"
#include "sw_endpoint_json.h"
#include "sw_json_writer.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_ticker.h"

#define BATCH 100

/* What an outbox event becomes: its alert, or nothing (type NULL). */
struct alert_draft {
    const char *type;
    const char *severity;
    char title[320];
    char message[640];
    const char *resolves; /* an alert type this one resolves for the endpoint, or NULL */
};

static const char *member(json_t *payload, const char *key)
{
    const char *v = json_string_value(json_object_get(payload, key));
    return v ? v : "";
}

/* Maps an outbox event to its alert; false for events that alert no one. */
static bool draft_alert(const char *event_type, json_t *payload, struct alert_draft *a)
{
    memset(a, 0, sizeof *a);
    const char *name = member(payload, "name");
    if (strcmp(event_type, "monitor.status_changed") == 0) {
        const char *to = member(payload, "to"), *from = member(payload, "from");
        if (strcmp(to, "down") == 0) {
            *a = (struct alert_draft){.type = "endpoint_down", .severity = "critical"};
            snprintf(a->title, sizeof a->title, "%s is down", name);
            snprintf(a->message, sizeof a->message, "%s", member(payload, "reason"));
        } else if (strcmp(to, "up") == 0 && strcmp(from, "down") == 0) {
            *a = (struct alert_draft){.type = "endpoint_up",
                                      .severity = "info",
                                      .resolves = "endpoint_down"};
            snprintf(a->title, sizeof a->title, "%s is up again", name);
            snprintf(a->message, sizeof a->message, "%s answers normally again.", name);
        }
    } else if (strcmp(event_type, "monitor.certificate_expiring") == 0) {
        *a = (struct alert_draft){.type = "certificate_expiring", .severity = "warning"};
        snprintf(a->title, sizeof a->title, "The certificate of %s expires soon", name);
        snprintf(a->message, sizeof a->message, "The TLS certificate of %s expires on %s.", name,
                 member(payload, "expires_at"));
    } else if (strcmp(event_type, "monitor.plan_limit_reached") == 0) {
        *a = (struct alert_draft){.type = "plan_limit_reached", .severity = "warning"};
        snprintf(a->title, sizeof a->title, "Your plan's endpoint limit is reached");
        snprintf(a->message, sizeof a->message, "%s", member(payload, "message"));
    } else if (strcmp(event_type, "billing.payment_failed") == 0) {
        *a = (struct alert_draft){.type = "payment_failed", .severity = "critical"};
        snprintf(a->title, sizeof a->title, "A payment failed");
        snprintf(a->message, sizeof a->message,
                 "The payment for your subscription failed. Update your payment method to keep "
                 "the Pro plan.");
    } else if (strcmp(event_type, "billing.subscription_canceled") == 0) {
        *a = (struct alert_draft){.type = "subscription_canceled", .severity = "warning"};
        snprintf(a->title, sizeof a->title, "Your subscription was canceled");
        snprintf(a->message, sizeof a->message,
                 "Your Pro subscription has ended; the organisation is on the Free plan.");
    }
    return a->type != NULL;
}

/* What the messages of one event need from other services. */
struct event_context {
    char tenant_name[256];
    char *endpoint_json; /* malloc'd, or NULL */
};

/* A call that got no answer (as opposed to an answer saying no). */
static bool unanswered(int rc) { return rc == SW_EUNAVAIL || rc == -SW_DEADLINE_EXCEEDED; }

/*
 * Fills c; SW_EUNAVAIL when sw-tenants or sw-monitors did not answer, so the
 * event is read again later. A tenant or endpoint that no longer exists is
 * no reason to wait: the message goes out without it.
 */
static int fetch_context(struct notify_service *svc, const Sw__Events__Event *e,
                         struct event_context *c)
{
    memset(c, 0, sizeof *c);
    char schema[80] = "";
    int rc = notify_tenant_info(svc, e->tenant_id, c->tenant_name, sizeof c->tenant_name, schema,
                                sizeof schema);
    if (unanswered(rc))
        return SW_EUNAVAIL;
    if (!e->endpoint_id || !schema[0])
        return 0;
    Sw__Monitors__GetEndpointRequest ereq = SW__MONITORS__GET_ENDPOINT_REQUEST__INIT;
    ereq.id = e->endpoint_id;
    struct sw_rpc_meta meta = {.tenant_id = e->tenant_id,
                               .tenant_schema = schema,
                               .idempotent = true};
    struct sw_rpc_result res;
    rc = sw_rpc_call(svc->peer[SW_SVC_MONITORS], &meta, "monitors.GetEndpoint", &ereq.base,
                     &sw__monitors__endpoint_reply__descriptor, NOTIFY_RPC_TIMEOUT_MS, &res);
    if (rc == 0) {
        struct sw_jw j;
        sw_jw_init(&j);
        sw_endpoint_json(&j, ((Sw__Monitors__EndpointReply *)res.body)->endpoint,
                         svc->settings.app_url);
        size_t len = 0;
        const char *text = sw_jw_text(&j, &len);
        c->endpoint_json = text ? strndup(text, len) : NULL;
        sw_jw_free(&j);
    }
    sw_rpc_result_free(&res);
    return unanswered(rc) ? SW_EUNAVAIL : 0;
}

/* Stores one event with its alert and deliveries, and moves the cursor, in one transaction. */
static int store_event(struct notify_service *svc, PGconn *db, const char *producer,
                       const Sw__Events__Event *e, bool *planned)
{
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
    const char *cursor_params[] = {producer, seq};
    json_t *payload = json_loads(e->payload_json, 0, NULL);
    struct alert_draft a;
    bool alerting = payload && draft_alert(e->type, payload, &a);
    struct event_context c = {{0}, NULL};
    int rc = alerting ? fetch_context(svc, e, &c) : 0;

    PGresult *res = NULL;
    if (rc == 0)
        rc = sw_pg_begin(db);
    if (rc == 0 && alerting) {
        const char *params[] = {producer,        seq,
                                e->tenant_id,    a.type,
                                e->endpoint_id,  e->payload_json,
                                c.endpoint_json, c.tenant_name};
        rc = sw_pg_query(db,
                         "INSERT INTO notify.events (producer, seq, tenant_id, type, endpoint_id,"
                         " payload, endpoint_json, tenant_name)"
                         " VALUES ($1, $2::bigint, $3::uuid, $4, $5::uuid, $6::jsonb, $7, $8)"
                         " ON CONFLICT (producer, seq) DO NOTHING RETURNING id",
                         8, params, &res);
    }
    /* A status page's incident or maintenance: its subscribers' messages (subscribers.c). */
    if (rc == 0 && !alerting && notify_subscriber_event(e->type))
        rc = notify_subscribers_plan(db, &svc->settings, producer, seq, e->tenant_id, e->type,
                                     e->payload_json, planned);
    if (rc == 0 && alerting && PQntuples(res) == 1) {
        const char *event_id = PQgetvalue(res, 0, 0);
        const char *params[] = {event_id, e->tenant_id, a.type,         a.severity,
                                a.title,  a.message,    e->endpoint_id, a.resolves};
        rc = sw_pg_exec(db,
                        "WITH resolved AS (UPDATE notify.alerts SET resolved_at = now()"
                        " WHERE $8::text IS NOT NULL AND tenant_id = $2::uuid"
                        " AND endpoint_id = $7::uuid AND type = $8 AND resolved_at IS NULL)"
                        " INSERT INTO notify.alerts (event_id, tenant_id, type, severity, title,"
                        " message, endpoint_id)"
                        " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::uuid)",
                        8, params);
        if (rc == 0)
            rc = notify_plan_event(db, &svc->settings, event_id);
        *planned = true;
    }
    if (rc == 0)
        rc = sw_pg_exec(db,
                        "INSERT INTO notify.cursors (producer, last_seq) VALUES ($1, $2::bigint)"
                        " ON CONFLICT (producer) DO UPDATE SET last_seq = excluded.last_seq",
                        2, cursor_params);
    rc = sw_pg_end(db, rc);
    if (rc)
        sw_log(SW_LOG_WARN, NULL, e->tenant_id, "event %s #%lld not stored; it will be read again",
               producer, (long long)e->seq);
    PQclear(res);
    free(c.endpoint_json);
    json_decref(payload);
    return rc;
}

/* Reads one producer's new events; true when it may have more. */
static bool read_producer(struct notify_service *svc, struct sw_ticker *ticker,
                          const char *producer, struct sw_rpc_client *client, const char *method,
                          bool *planned)
{
    PGconn *db = sw_ticker_db(ticker);
    const char *params[] = {producer};
    long long cursor = 0;
    if (sw_pg_query_int(db, "SELECT last_seq FROM notify.cursors WHERE producer = $1", 1, params,
                        &cursor) != 0)
        return false;
    Sw__Events__ListEventsSinceRequest req = SW__EVENTS__LIST_EVENTS_SINCE_REQUEST__INIT;
    req.after_seq = cursor;
    req.has_limit = 1;
    req.limit = BATCH;
    struct sw_rpc_result res;
    bool more = false;
    if (sw_rpc_call(client, &(struct sw_rpc_meta){.idempotent = true}, method, &req.base,
                    &sw__events__list_events_since_reply__descriptor, NOTIFY_RPC_TIMEOUT_MS,
                    &res) == 0) {
        const Sw__Events__ListEventsSinceReply *out = (void *)res.body;
        more = out->n_events == BATCH;
        for (size_t i = 0; i < out->n_events && !sw_ticker_stopping(ticker); i++)
            if (store_event(svc, db, producer, out->events[i], planned) != 0) {
                more = false;
                break;
            }
    }
    sw_rpc_result_free(&res);
    return more;
}

static long long ingest_tick(struct sw_ticker *ticker, void *arg)
{
    struct notify_service *svc = arg;
    bool planned = false;
    while (read_producer(svc, ticker, "monitors", svc->peer[SW_SVC_MONITORS],
                         "monitors.ListEventsSince", &planned) &&
           !sw_ticker_stopping(ticker))
        ;
    while (read_producer(svc, ticker, "billing", svc->peer[SW_SVC_BILLING],
                         "billing.ListEventsSince", &planned) &&
           !sw_ticker_stopping(ticker))
        ;
    if (notify_plan_close_windows(sw_ticker_db(ticker), &svc->settings) > 0)
        planned = true;
    if (planned && svc->sender)
        sw_ticker_wake(svc->sender);
    return sw_now_ms() + svc->settings.poll_ms;
}

int notify_ingest_start(struct notify_service *svc)
{
    return sw_ticker_start_db(svc->cfg.database_url, sw_now_ms(), ingest_tick, svc, &svc->ingest);
}
