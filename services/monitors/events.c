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

/*
 * Takes the outbox's ordering lock for the rest of the transaction; every
 * write to monitors.outbox comes after it.
 */
static int lock_outbox(PGconn *db)
{
    return sw_pg_exec(db, "SELECT pg_advisory_xact_lock(" MON_LOCK_OUTBOX ")", 0, NULL);
}

/* Runs sql, which writes to monitors.outbox, under the outbox's lock. */
static int outbox_exec(PGconn *db, const char *sql, int n_params, const char *const *params)
{
    int rc = lock_outbox(db);
    return rc ? rc : sw_pg_exec(db, sql, n_params, params);
}

int mon_record_transitions(PGconn *db, const char *tenant_id, const char *ids, const char *froms,
                           const char *tos, const char *reasons)
{
    const char *params[] = {ids, froms, tos, reasons, tenant_id};
    return outbox_exec(
        db,
        "WITH t AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])"
        "   WITH ORDINALITY AS t(endpoint_id, from_status, to_status, reason, n)),"
        " changes AS (INSERT INTO status_changes (endpoint_id, from_status, to_status, reason)"
        "   SELECT endpoint_id, from_status, to_status, reason FROM t ORDER BY n)"
        " INSERT INTO monitors.outbox (type, tenant_id, endpoint_id, payload)"
        " SELECT 'monitor.status_changed', $5::text::uuid, e.id,"
        " jsonb_build_object('endpoint_id', e.id, 'tenant_id', $5::text,"
        " 'name', e.name, 'url', e.url, 'from', t.from_status, 'to', t.to_status,"
        " 'reason', t.reason, 'changed_at', monitors.iso(now()))"
        " FROM t JOIN endpoints e ON e.id = t.endpoint_id ORDER BY t.n",
        5, params);
}

int mon_announce_expiring(PGconn *db, const char *tenant_id, const char *ids_array, int *announced)
{
    const char *params[] = {ids_array, tenant_id};
    long long due = 0;
    int rc = sw_pg_query_int(db,
                             "SELECT count(*) FROM endpoints WHERE id = ANY ($1::uuid[])"
                             " AND tls_expires_at <= now() + " MON_CERT_NOTICE
                             " AND tls_announced_expiry IS DISTINCT FROM tls_expires_at",
                             1, params, &due);
    if (rc || due == 0)
        return rc;
    rc = lock_outbox(db);
    long long n = 0;
    if (rc == 0)
        rc = sw_pg_query_int(
            db,
            "WITH due AS (UPDATE endpoints SET tls_announced_expiry = tls_expires_at"
            " WHERE id = ANY ($1::uuid[]) AND tls_expires_at <= now() + " MON_CERT_NOTICE
            " AND tls_announced_expiry IS DISTINCT FROM tls_expires_at"
            " RETURNING id, name, url, tls_expires_at),"
            " ins AS (INSERT INTO monitors.outbox (type, tenant_id, endpoint_id, payload)"
            " SELECT 'monitor.certificate_expiring', $2::text::uuid, id,"
            " jsonb_build_object('endpoint_id', id, 'tenant_id', $2::text, 'name', name, 'url', url,"
            " 'expires_at', monitors.iso(tls_expires_at)) FROM due RETURNING 1)"
            " SELECT count(*) FROM ins",
            2, params, &n);
    *announced += (int)n;
    return rc;
}

void mon_record_plan_limit(struct mon_service *svc, PGconn *db, const char *tenant_id,
                           const char *message)
{
    const char *params[] = {tenant_id, message};
    sw_pg_rollback(db); /* the refused change's transaction */
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = outbox_exec(db,
                         "INSERT INTO monitors.outbox (type, tenant_id, payload)"
                         " SELECT 'monitor.plan_limit_reached', $1::text::uuid,"
                         " jsonb_build_object('tenant_id', $1::text, 'message', $2::text)"
                         " WHERE NOT EXISTS (SELECT 1 FROM monitors.outbox"
                         " WHERE tenant_id = $1::text::uuid AND type = 'monitor.plan_limit_reached'"
                         " AND created_at > now() - interval '1 day')",
                         2, params);
    if (sw_pg_end(db, rc) == 0)
        mon_publish_status_changed(svc);
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
