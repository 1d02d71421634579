/*
 * The audit log's reader and its retention (api.md "Audit log"). Every
 * service writes its own rows (libcommon/sw_audit.h); sw-auth, which decides
 * who may read them (owners and admins), serves GET /api/audit-log/ and
 * drops rows older than SW_AUDIT_RETENTION_DAYS (365) in an hourly job.
 */
#include <stdio.h>
#include <stdlib.h>

#include "audit.pb-c.h"
#include "auth.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "sw_time.h"

#define RETENTION_EVERY_MS (3600LL * 1000)
#define RETENTION_BATCH "10000"

void auth_list_audit_events(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Audit__ListEventsRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || !auth_caller_manages(ctx, reply))
        return;
    char from[24], to[24];
    snprintf(from, sizeof from, "%lld", (long long)req->from_ms);
    snprintf(to, sizeof to, "%lld", (long long)req->to_ms);
    const char *params[] = {tenant,
                            req->actor,
                            req->action,
                            req->target_type,
                            req->target_id,
                            req->has_from_ms ? from : NULL,
                            req->has_to_ms ? to : NULL};
    Sw__Audit__ListEventsReply out = SW__AUDIT__LIST_EVENTS_REPLY__INIT;
    sw_rows_page_query_reply(
        reply, ctx->db,
        "SELECT id, " SW_TIME_SQL_MS(
            "at") " AS at_ms, actor_type, actor_id, actor_email, action,"
                  " target_type, target_id, ip, user_agent, request_id, before::text AS before,"
                  " after::text AS after, count(*) OVER () FROM audit.events WHERE tenant_id = $1::uuid"
                  " AND ($2::text IS NULL OR actor_id = $2 OR actor_email = lower($2))"
                  " AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR target_type = $4)"
                  " AND ($5::text IS NULL OR target_id = $5)"
                  " AND ($6::int8 IS NULL OR at >= to_timestamp($6::int8 / 1000.0))"
                  " AND ($7::int8 IS NULL OR at < to_timestamp($7::int8 / 1000.0))"
                  " ORDER BY at DESC, id LIMIT $8::int OFFSET $9::int",
        7, params, req->page, req->page_size, &out.base);
}

/* One retention run: old rows go in batches, so a long backlog never holds a long lock. */
static long long prune(struct sw_ticker *ticker, void *arg)
{
    const struct auth_service *svc = arg;
    PGconn *db = sw_ticker_db(ticker);
    char days[16];
    snprintf(days, sizeof days, "%d", svc->audit_retention_days);
    const char *params[] = {days};
    long long removed = 0, total = 0;
    do {
        if (sw_pg_query_int(db,
                            "WITH gone AS (DELETE FROM audit.events WHERE id IN (SELECT id FROM"
                            " audit.events WHERE at < now() - make_interval(days => $1::int)"
                            " LIMIT " RETENTION_BATCH ") RETURNING 1) SELECT count(*) FROM gone",
                            1, params, &removed) != 0)
            break;
        total += removed;
    } while (removed > 0 && !sw_ticker_stopping(ticker));
    if (total > 0)
        sw_log_info("audit log: %lld rows older than %d days removed", total,
                    svc->audit_retention_days);
    return sw_now_ms() + RETENTION_EVERY_MS;
}

int auth_audit_retention_start(struct auth_service *svc, const char *database_url)
{
    return sw_ticker_start_db(database_url, sw_now_ms() + 5000, prune, svc, &svc->audit_pruner);
}
