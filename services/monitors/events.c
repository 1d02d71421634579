/*
 * Status transitions and the outbox. A transition is written to the tenant's
 * status_changes and to monitors.outbox in the transaction that changed the
 * status; the outbox's sequence numbers are handed out under a transaction
 * lock so that they commit in order and a consumer reading "seq > cursor"
 * never skips a row that commits late. The PUB message is only a wake-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "events.pb-c.h"
#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"

#define CREATED_AT_MS SW_TIME_SQL_MS("created_at")
#define DEFAULT_EVENTS 100
#define MAX_EVENTS 1000

int mon_record_transition(PGconn *db, const char *tenant_id, const char *endpoint_id,
                          const char *from, const char *to, const char *reason)
{
    const char *params[] = {endpoint_id, from, to, reason, tenant_id};
    int rc = sw_pg_exec(db,
                        "INSERT INTO status_changes (endpoint_id, from_status, to_status, reason)"
                        " VALUES ($1, $2, $3, $4)",
                        4, params);
    if (rc == 0)
        rc = sw_pg_exec(db, "SELECT pg_advisory_xact_lock(" MON_LOCK_OUTBOX ")", 0, NULL);
    if (rc == 0)
        rc = sw_pg_exec(db,
                        "INSERT INTO monitors.outbox (type, tenant_id, endpoint_id, payload)"
                        " SELECT 'monitor.status_changed', $5::text::uuid, e.id,"
                        " jsonb_build_object('endpoint_id', e.id, 'tenant_id', $5::text,"
                        " 'name', e.name, 'url', e.url, 'from', $2::text, 'to', $3::text,"
                        " 'reason', $4::text, 'changed_at', monitors.iso(now()))"
                        " FROM endpoints e WHERE e.id = $1::text::uuid",
                        5, params);
    return rc;
}

void mon_publish_status_changed(struct mon_service *svc)
{
    if (svc->pub)
        sw_pub_send(svc->pub, "monitor.status_changed", "");
}

static void event_from_row(const PGresult *res, int row, void *event)
{
    Sw__Events__Event *e = event;
    sw__events__event__init(e);
    e->seq = sw_pg_int(res, row, 0);
    e->type = (char *)sw_pg_text(res, row, 1);
    e->tenant_id = (char *)sw_pg_text(res, row, 2);
    e->endpoint_id = sw_pg_text_or_null(res, row, 3);
    e->payload_json = (char *)sw_pg_text(res, row, 4);
    e->created_unix_ms = sw_pg_int(res, row, 5);
}

void mon_list_events(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Events__ListEventsSinceRequest *req = request;
    if (req->has_limit && (req->limit < 1 || req->limit > MAX_EVENTS)) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "limit is from 1 to %d.", MAX_EVENTS);
        return;
    }
    char after[24], limit[16];
    snprintf(after, sizeof after, "%lld", (long long)req->after_seq);
    snprintf(limit, sizeof limit, "%d", req->has_limit ? req->limit : DEFAULT_EVENTS);
    const char *params[] = {after, limit};

    Sw__Events__ListEventsSinceReply out = SW__EVENTS__LIST_EVENTS_SINCE_REPLY__INIT;
    sw_rows_query_reply(reply, ctx->db,
                        "SELECT seq, type, tenant_id, endpoint_id, payload::text, " CREATED_AT_MS
                        " FROM monitors.outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
                        2, params, sizeof(Sw__Events__Event), event_from_row, &out.base,
                        &out.n_events, &out.events);
}
