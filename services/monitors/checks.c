/*
 * Reading check history: the newest raw results of an endpoint, and its
 * uptime and latency summary from the hourly rollups (at most 720 rows for
 * 30 days, however many checks ran). Each read is one prepared statement
 * that also says whether the endpoint exists in the caller's tenant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "rollup.h"
#include "sw_pg.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"
#include "tenant_sql.h"

#define DEFAULT_CHECKS 50
#define MAX_CHECKS 500

/*
 * The newest results; a row of NULLs when the endpoint exists but has none,
 * nothing when it does not exist.
 */
#define CHECKED_AT_MS SW_TIME_SQL_MS("c.checked_at")
static const char CHECKS_SQL[] =
    "SELECT " CHECKED_AT_MS ", c.ok, c.status_code, c.latency_ms, c.dns_ms, c.connect_ms,"
    " c.tls_ms, c.ttfb_ms, c.error, c.region"
    " FROM {s}.endpoints e LEFT JOIN LATERAL (SELECT * FROM {s}.check_results r"
    "   WHERE r.endpoint_id = e.id ORDER BY r.checked_at DESC LIMIT $2) c ON true"
    " WHERE e.id = $1";

/* Percentages over 24 h, 7 days and 30 days, and the 24 h latency histograms. */
static const char UPTIME_SQL[] =
    "WITH w AS (SELECT hour, checks, ok, latency_hist FROM {s}.rollups_hourly"
    "   WHERE endpoint_id = $1 AND hour >= date_trunc('hour', now() - interval '30 days'))"
    " SELECT round(100.0 * sum(ok) FILTER (WHERE hour >= " MON_WINDOW_24H ")"
    "   / nullif(sum(checks) FILTER (WHERE hour >= " MON_WINDOW_24H "), 0), 3),"
    " round(100.0 * sum(ok) FILTER (WHERE hour >= date_trunc('hour', now() - interval '7 days'))"
    "   / nullif(sum(checks) FILTER (WHERE hour >= date_trunc('hour', now() - interval '7 days')),"
    "   0), 3),"
    " round(100.0 * sum(ok) / nullif(sum(checks), 0), 3),"
    " array_agg(latency_hist) FILTER (WHERE hour >= " MON_WINDOW_24H ")"
    " FROM {s}.endpoints e LEFT JOIN w ON true WHERE e.id = $1 GROUP BY e.id";

static void check_from_row(const PGresult *res, int row, void *check)
{
    Sw__Monitors__CheckResult *c = check;
    sw__monitors__check_result__init(c);
    c->checked_unix_ms = sw_pg_int(res, row, 0);
    c->ok = sw_pg_bool(res, row, 1);
    protobuf_c_boolean *has[] = {&c->has_status_code, &c->has_latency_ms, &c->has_dns_ms,
                                 &c->has_connect_ms,  &c->has_tls_ms,     &c->has_ttfb_ms};
    int32_t *values[] = {&c->status_code, &c->latency_ms, &c->dns_ms,
                         &c->connect_ms,  &c->tls_ms,     &c->ttfb_ms};
    for (int i = 0; i < 6; i++) {
        *has[i] = !PQgetisnull(res, row, 2 + i);
        *values[i] = (int32_t)sw_pg_int(res, row, 2 + i);
    }
    c->error = sw_pg_text_or_null(res, row, 8);
    c->region = sw_pg_text_or_null(res, row, 9);
}

void mon_list_checks(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__ListChecksRequest *req = request;
    if (req->has_limit && (req->limit < 1 || req->limit > MAX_CHECKS)) {
        char msg[64];
        snprintf(msg, sizeof msg, "Enter a whole number from 1 to %d.", MAX_CHECKS);
        sw_reply_field(reply, "limit", msg);
        return;
    }
    char limit[16];
    snprintf(limit, sizeof limit, "%d", req->has_limit ? req->limit : DEFAULT_CHECKS);
    const char *params[] = {req->id, limit};
    PGresult *res = NULL;
    if (mon_caller_read(ctx, reply, true, "mon_checks", CHECKS_SQL, 2, params, &res) != 0)
        return;

    Sw__Monitors__ListChecksReply out = SW__MONITORS__LIST_CHECKS_REPLY__INIT;
    if (PQntuples(res) == 0)
        mon_reply_not_found(reply);
    else if (PQntuples(res) == 1 && PQgetisnull(res, 0, 0)) /* the endpoint has no results */
        sw_reply_body(reply, &out.base);
    else
        sw_rows_reply(reply, 0, res, sizeof(Sw__Monitors__CheckResult), check_from_row, &out.base,
                      &out.n_checks, &out.checks);
    PQclear(res);
}

/* A percentage column, absent when NULL (no checks in that window). */
static void percent(const PGresult *res, int col, protobuf_c_boolean *has, double *value)
{
    *has = !PQgetisnull(res, 0, col);
    *value = *has ? strtod(PQgetvalue(res, 0, col), NULL) : 0;
}

/* Adds up the histograms of a two-dimensional int[] ("{{1,0,…},{…}}"). */
static void add_histograms(const char *text, long long totals[MON_BUCKETS])
{
    for (const char *p = strchr(text, '{'); p && (p = strchr(p + 1, '{')) != NULL;)
        mon_hist_add(p, totals);
}

void mon_uptime(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__UptimeRequest *req = request;
    const char *params[] = {req->id};
    PGresult *res = NULL;
    if (mon_caller_read(ctx, reply, true, "mon_uptime", UPTIME_SQL, 1, params, &res) != 0)
        return;

    if (PQntuples(res) == 0) {
        mon_reply_not_found(reply);
    } else {
        long long totals[MON_BUCKETS] = {0};
        if (!PQgetisnull(res, 0, 3))
            add_histograms(PQgetvalue(res, 0, 3), totals);
        Sw__Monitors__UptimeReply out = SW__MONITORS__UPTIME_REPLY__INIT;
        percent(res, 0, &out.has_uptime_24h, &out.uptime_24h);
        percent(res, 1, &out.has_uptime_7d, &out.uptime_7d);
        percent(res, 2, &out.has_uptime_30d, &out.uptime_30d);
        out.has_latency_p50_ms = mon_hist_quantile(totals, 0.50, &out.latency_p50_ms);
        out.has_latency_p95_ms = mon_hist_quantile(totals, 0.95, &out.latency_p95_ms);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}
