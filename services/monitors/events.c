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
#include "sw_outbox.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_status.h"
#include "sw_time.h"

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

void mon_list_events(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    sw_outbox_list(ctx, "monitors.outbox", request, reply);
}
