/*
 * A producer's outbox (<schema>.outbox: seq bigserial, type, tenant_id,
 * endpoint_id, payload jsonb, created_at): events are written in the
 * transaction of the change, their sequence numbers handed out under a
 * transaction-scoped advisory lock (lock_id) so that they commit in order
 * and a consumer reading "seq > cursor" never skips a row that commits
 * late. ListEventsSince (events.proto) serves them; PUB is only a wake-up.
 */
#ifndef SW_OUTBOX_H
#define SW_OUTBOX_H

#include <libpq-fe.h>

#include "sw_rpc.h"

#define SW_OUTBOX_DEFAULT_EVENTS 100
#define SW_OUTBOX_MAX_EVENTS 1000

/* Appends one event (payload a JSON object) to table, in the caller's transaction. */
int sw_outbox_add(PGconn *db, const char *table, const char *lock_id, const char *type,
                  const char *tenant_id, const char *endpoint_id, const char *payload_json);

/* The ListEventsSince handler's body for table ("monitors.outbox"). */
void sw_outbox_list(struct sw_rpc_ctx *ctx, const char *table, const void *request,
                    struct sw_reply *reply);

#endif
