/*
 * API calls per tenant and minute, for the gateway's tenant guard
 * (services/gateway/tenant_guard.c): SyncUsage adds what each gateway replica
 * admitted since its last sync to the tenant's fixed one-minute window in
 * tenancy.api_usage and answers every tenant's total, its plan's limit and
 * its account status — one statement per batch, whatever its size. The plan
 * limits themselves come from the environment at start-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sw_buf.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "tenants.h"
#include "tenants.pb-c.h"

#define WINDOW_MS 60000

int tenants_usage_store_limits(PGconn *db)
{
    int free_limit = 0, pro_limit = 0;
    if (sw_env_int("SW_RATE_LIMIT_API_PER_MINUTE_FREE", 120, 1, 1000000000, &free_limit) != 0 ||
        sw_env_int("SW_RATE_LIMIT_API_PER_MINUTE_PRO", 1200, 1, 1000000000, &pro_limit) != 0)
        return SW_EINVAL;
    char free_text[16], pro_text[16];
    snprintf(free_text, sizeof free_text, "%d", free_limit);
    snprintf(pro_text, sizeof pro_text, "%d", pro_limit);
    const char *params[] = {free_text, pro_text};
    int rc = sw_pg_exec(db,
                        "UPDATE tenancy.plan_limits SET api_requests_per_minute ="
                        " CASE plan WHEN 'free' THEN $1::int ELSE $2::int END"
                        " WHERE plan IN ('free', 'pro')",
                        2, params);
    if (rc == 0)
        sw_log_info("API calls per minute: free %d, pro %d", free_limit, pro_limit);
    return rc;
}

/* What sw-tenants can count: a UUID, a window's start, a count of 0 or more. */
static bool usage_valid(const Sw__Tenants__UsageDelta *u)
{
    return sw_uuid_valid(u->tenant_id) && u->window_start_unix_ms > 0 &&
           u->window_start_unix_ms % WINDOW_MS == 0 && u->delta >= 0;
}

/*
 * The batch's valid entries as three PostgreSQL array literals (ids,
 * windows, deltas); the ids are UUIDs, so nothing needs quoting. An entry
 * that is not valid is left out, and so answered as no tenant, rather than
 * failing every other tenant's count with it.
 */
static int usage_arrays(const Sw__Tenants__SyncUsageRequest *req, struct sw_buf *ids,
                        struct sw_buf *windows, struct sw_buf *deltas)
{
    int rc = sw_buf_append_str(ids, "{");
    if (rc == 0)
        rc = sw_buf_append_str(windows, "{");
    if (rc == 0)
        rc = sw_buf_append_str(deltas, "{");
    const char *sep = "";
    for (size_t i = 0; rc == 0 && i < req->n_usage; i++) {
        const Sw__Tenants__UsageDelta *u = req->usage[i];
        if (!usage_valid(u))
            continue;
        rc = sw_buf_appendf(ids, "%s%s", sep, u->tenant_id);
        if (rc == 0)
            rc = sw_buf_appendf(windows, "%s%lld", sep, (long long)u->window_start_unix_ms);
        if (rc == 0)
            rc = sw_buf_appendf(deltas, "%s%d", sep, (int)u->delta);
        sep = ",";
    }
    if (rc == 0)
        rc = sw_buf_append_str(ids, "}");
    if (rc == 0)
        rc = sw_buf_append_str(windows, "}");
    if (rc == 0)
        rc = sw_buf_append_str(deltas, "}");
    return rc;
}

static void usage_from_row(const PGresult *res, int row, void *msg)
{
    Sw__Tenants__TenantUsage *u = msg;
    sw__tenants__tenant_usage__init(u);
    u->tenant_id = (char *)sw_pg_text(res, row, 0);
    u->window_start_unix_ms = sw_pg_int(res, row, 1);
    u->total = sw_pg_int(res, row, 2);
    u->limit_per_minute = (int32_t)sw_pg_int(res, row, 3);
    u->account_status = (char *)sw_pg_text(res, row, 4);
}

/*
 * One statement: the batch summed per tenant and window (a tenant named twice
 * counts once), added to its window in the order of the primary key (so two
 * replicas' batches lock rows in the same order), windows older than ten
 * minutes removed, and every tenant that exists answered with its total —
 * the row just written, or the stored one for a delta of 0. The id sent is
 * the id answered, so the caller can match it as it spelled it.
 */
static const char SYNC_USAGE_SQL[] =
    "WITH input AS ("
    " SELECT u.tenant_id::uuid AS id, min(u.tenant_id) AS sent_id, u.window_ms,"
    " sum(u.delta)::bigint AS delta, to_timestamp(u.window_ms / 1000.0) AS window_start"
    " FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(tenant_id, window_ms, delta)"
    " GROUP BY u.tenant_id::uuid, u.window_ms),"
    " counted AS ("
    " INSERT INTO tenancy.api_usage AS a (tenant_id, window_start, calls)"
    " SELECT id, window_start, delta FROM input"
    " WHERE delta > 0 AND window_start >= now() - interval '10 minutes'"
    " ORDER BY id, window_start"
    " ON CONFLICT (tenant_id, window_start) DO UPDATE SET calls = a.calls + EXCLUDED.calls"
    " RETURNING a.tenant_id, a.window_start, a.calls),"
    " pruned AS ("
    " DELETE FROM tenancy.api_usage WHERE window_start < now() - interval '10 minutes')"
    " SELECT i.sent_id, i.window_ms, COALESCE(c.calls, old.calls, 0),"
    " p.api_requests_per_minute, t.account_status"
    " FROM input i"
    " JOIN tenancy.tenants t ON t.id = i.id"
    " JOIN tenancy.plan_limits p ON p.plan = t.plan"
    " LEFT JOIN counted c ON c.tenant_id = i.id AND c.window_start = i.window_start"
    " LEFT JOIN tenancy.api_usage old ON old.tenant_id = i.id AND old.window_start = i.window_start";

void tenants_sync_usage(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Tenants__SyncUsageRequest *req = request;
    if (req->n_usage > TENANTS_USAGE_BATCH_MAX) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "Too many tenants in one batch.");
        return;
    }
    /* 36 characters and a comma per id, at most 20 digits and a comma per number. */
    struct sw_buf ids, windows, deltas;
    sw_buf_init(&ids, req->n_usage * 37 + 3);
    sw_buf_init(&windows, req->n_usage * 21 + 3);
    sw_buf_init(&deltas, req->n_usage * 21 + 3);
    PGresult *res = NULL;
    int rc = usage_arrays(req, &ids, &windows, &deltas);
    if (rc == 0) {
        const char *params[] = {ids.data, windows.data, deltas.data};
        rc = sw_pg_run(ctx->db, "tenants_sync_usage", SYNC_USAGE_SQL, 3, params, &res);
    }
    Sw__Tenants__SyncUsageReply out = SW__TENANTS__SYNC_USAGE_REPLY__INIT;
    sw_rows_reply(reply, rc, res, sizeof(Sw__Tenants__TenantUsage), usage_from_row, &out.base,
                  &out.n_usage, &out.usage);
    PQclear(res);
    sw_buf_free(&deltas);
    sw_buf_free(&windows);
    sw_buf_free(&ids);
}
