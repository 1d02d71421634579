/*
 * Status transitions and the outbox. A transition is written to the tenant's
 * status_changes and to monitors.outbox in the transaction that changed the
 * status; the outbox's sequence numbers are handed out under a transaction
 * lock so that they commit in order and a consumer reading "seq > cursor"
 * never skips a row that commits late. The PUB message is only a wake-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_status.h"

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
        rc = sw_pg_exec(db, "SELECT pg_advisory_xact_lock(727100004)", 0, NULL);
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

static void event_from_row(const PGresult *res, int row, Sw__Monitors__Event *e)
{
    sw__monitors__event__init(e);
    e->seq = sw_pg_int(res, row, 0);
    e->type = (char *)sw_pg_text(res, row, 1);
    e->tenant_id = (char *)sw_pg_text(res, row, 2);
    e->endpoint_id = (char *)sw_pg_text(res, row, 3);
    e->payload_json = (char *)sw_pg_text(res, row, 4);
    e->created_at = (char *)sw_pg_text(res, row, 5);
}

int mon_list_events(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                    struct sw_reply *reply)
{
    Sw__Monitors__ListEventsSinceRequest *req =
        sw__monitors__list_events_since_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    char after[24], limit[16];
    snprintf(after, sizeof after, "%lld", (long long)req->after_seq);
    snprintf(limit, sizeof limit, "%d",
             req->limit < 1 ? 100 : req->limit > MAX_EVENTS ? MAX_EVENTS : req->limit);
    const char *params[] = {after, limit};
    PGresult *res = NULL;
    Sw__Monitors__Event *store = NULL;
    Sw__Monitors__Event **ptrs = NULL;
    int rc = sw_pg_query(ctx->db,
                         "SELECT seq, type, tenant_id, endpoint_id, payload::text,"
                         " monitors.iso(created_at) FROM monitors.outbox WHERE seq > $1"
                         " ORDER BY seq LIMIT $2",
                         2, params, &res);
    if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        store = calloc(n ? n : 1, sizeof *store);
        ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            event_from_row(res, (int)i, &store[i]);
            ptrs[i] = &store[i];
        }
        Sw__Monitors__ListEventsSinceReply out = SW__MONITORS__LIST_EVENTS_SINCE_REPLY__INIT;
        out.n_events = n;
        out.events = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    sw__monitors__list_events_since_request__free_unpacked(req, NULL);
    return rc;
}
