#include "sw_outbox.h"

#include <stdio.h>

#include "events.pb-c.h"
#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"

int sw_outbox_add(PGconn *db, const char *table, const char *lock_id, const char *type,
                  const char *tenant_id, const char *endpoint_id, const char *payload_json)
{
    char lock[96], sql[256];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%s)", lock_id);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (type, tenant_id, endpoint_id, payload)"
             " VALUES ($1, $2::uuid, $3::uuid, $4::jsonb)",
             table);
    const char *params[] = {type, tenant_id, endpoint_id, payload_json};
    int rc = sw_pg_exec(db, lock, 0, NULL);
    return rc ? rc : sw_pg_exec(db, sql, 4, params);
}

static void event_from_row(const PGresult *res, int row, void *event)
{
    sw_rows_fill(res, row, &sw__events__event__descriptor, event);
}

void sw_outbox_list(struct sw_rpc_ctx *ctx, const char *table, const void *request,
                    struct sw_reply *reply)
{
    const Sw__Events__ListEventsSinceRequest *req = request;
    if (req->has_limit && (req->limit < 1 || req->limit > SW_OUTBOX_MAX_EVENTS)) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "limit is from 1 to %d.",
                      SW_OUTBOX_MAX_EVENTS);
        return;
    }
    char after[24], limit[16], sql[320];
    snprintf(after, sizeof after, "%lld", (long long)req->after_seq);
    snprintf(limit, sizeof limit, "%d", req->has_limit ? req->limit : SW_OUTBOX_DEFAULT_EVENTS);
    snprintf(sql, sizeof sql,
             "SELECT seq, type, tenant_id, endpoint_id, payload::text AS payload_json,"
             " %s AS created_unix_ms FROM %s WHERE seq > $1 ORDER BY seq LIMIT $2",
             SW_TIME_SQL_MS("created_at"), table);
    const char *params[] = {after, limit};
    Sw__Events__ListEventsSinceReply out = SW__EVENTS__LIST_EVENTS_SINCE_REPLY__INIT;
    sw_rows_query_reply(reply, ctx->db, sql, 2, params, sizeof(Sw__Events__Event), event_from_row,
                        &out.base, &out.n_events, &out.events);
}
