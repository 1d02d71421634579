/*
 * Reading check history: the newest raw results of an endpoint, and its
 * uptime and latency summary from the hourly rollups (at most 720 rows for
 * 30 days, however many checks ran).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "rollup.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"

#define MAX_CHECKS 500

/* Opens the tenant's transaction and checks that endpoint `id` exists there. */
static int open_endpoint(struct sw_rpc_ctx *ctx, const char *id, struct sw_reply *reply)
{
    struct mon_tenant t;
    int rc = mon_tenant_get(ctx->service, ctx->db, ctx->env, &t);
    if (rc == SW_EUNAVAIL) {
        sw_reply_error(reply, SW_UNAVAILABLE, "service_unavailable",
                       "The organisation service is not answering; try again shortly.");
        return rc;
    }
    if (rc == 0 && !sw_uuid_valid(id))
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0) {
        const char *params[] = {id};
        PGresult *res = NULL;
        rc = sw_pg_query(ctx->db, "SELECT 1 FROM endpoints WHERE id = $1", 1, params, &res);
        if (rc == 0 && PQntuples(res) == 0)
            rc = SW_ENOTFOUND;
        PQclear(res);
        if (rc)
            sw_pg_rollback(ctx->db);
    }
    if (rc == SW_ENOTFOUND)
        sw_reply_error(reply, SW_NOT_FOUND, NULL, "Not found.");
    return rc;
}

static void check_from_row(const PGresult *res, int row, Sw__Monitors__CheckResult *c)
{
    sw__monitors__check_result__init(c);
    c->checked_at = (char *)sw_pg_text(res, row, 0);
    c->ok = sw_pg_bool(res, row, 1);
    c->status_code = (int32_t)sw_pg_int(res, row, 2);
    c->latency_ms = (int32_t)sw_pg_int(res, row, 3);
    c->dns_ms = (int32_t)sw_pg_int(res, row, 4);
    c->connect_ms = (int32_t)sw_pg_int(res, row, 5);
    c->tls_ms = (int32_t)sw_pg_int(res, row, 6);
    c->ttfb_ms = (int32_t)sw_pg_int(res, row, 7);
    c->error = (char *)sw_pg_text(res, row, 8);
}

int mon_list_checks(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                    struct sw_reply *reply)
{
    Sw__Monitors__ListChecksRequest *req =
        sw__monitors__list_checks_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    PGresult *res = NULL;
    Sw__Monitors__CheckResult *store = NULL;
    Sw__Monitors__CheckResult **ptrs = NULL;
    int rc = open_endpoint(ctx, req->id, reply);
    if (rc == 0) {
        char limit[16];
        snprintf(limit, sizeof limit, "%d",
                 req->limit < 1 ? 50 : req->limit > MAX_CHECKS ? MAX_CHECKS : req->limit);
        const char *params[] = {req->id, limit};
        rc = sw_pg_query(ctx->db,
                         "SELECT monitors.iso(checked_at), ok, coalesce(status_code, -1),"
                         " coalesce(latency_ms, -1), coalesce(dns_ms, -1),"
                         " coalesce(connect_ms, -1), coalesce(tls_ms, -1), coalesce(ttfb_ms, -1),"
                         " coalesce(error, '')"
                         " FROM check_results WHERE endpoint_id = $1"
                         " ORDER BY checked_at DESC LIMIT $2",
                         2, params, &res);
        sw_pg_rollback(ctx->db);
    }
    if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        store = calloc(n ? n : 1, sizeof *store);
        ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            check_from_row(res, (int)i, &store[i]);
            ptrs[i] = &store[i];
        }
        Sw__Monitors__ListChecksReply out = SW__MONITORS__LIST_CHECKS_REPLY__INIT;
        out.n_checks = n;
        out.checks = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    sw__monitors__list_checks_request__free_unpacked(req, NULL);
    return rc == SW_ENOTFOUND ? 0 : rc;
}

int mon_uptime(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Monitors__UptimeRequest *req =
        sw__monitors__uptime_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    PGresult *sums = NULL, *hist = NULL;
    int rc = open_endpoint(ctx, req->id, reply);
    if (rc == 0) {
        const char *params[] = {req->id};
        rc = sw_pg_query(
            ctx->db,
            "WITH w AS (SELECT hour, checks, ok FROM rollups_hourly WHERE endpoint_id = $1"
            "   AND hour >= date_trunc('hour', now() - interval '30 days'))"
            " SELECT coalesce(round(100.0 * sum(ok) FILTER (WHERE hour >= date_trunc('hour',"
            "   now() - interval '24 hours')) / nullif(sum(checks) FILTER (WHERE hour >="
            "   date_trunc('hour', now() - interval '24 hours')), 0), 3), -1),"
            " coalesce(round(100.0 * sum(ok) FILTER (WHERE hour >= date_trunc('hour',"
            "   now() - interval '7 days')) / nullif(sum(checks) FILTER (WHERE hour >="
            "   date_trunc('hour', now() - interval '7 days')), 0), 3), -1),"
            " coalesce(round(100.0 * sum(ok) / nullif(sum(checks), 0), 3), -1) FROM w",
            1, params, &sums);
        if (rc == 0)
            rc = sw_pg_query(ctx->db,
                             "SELECT latency_hist FROM rollups_hourly WHERE endpoint_id = $1"
                             " AND hour >= date_trunc('hour', now() - interval '24 hours')",
                             1, params, &hist);
        sw_pg_rollback(ctx->db);
    }
    if (rc == 0) {
        long long totals[MON_BUCKETS] = {0};
        for (int i = 0; i < PQntuples(hist); i++)
            mon_hist_add(PQgetvalue(hist, i, 0), totals);
        Sw__Monitors__UptimeReply out = SW__MONITORS__UPTIME_REPLY__INIT;
        out.uptime_24h = strtod(sw_pg_text(sums, 0, 0), NULL);
        out.uptime_7d = strtod(sw_pg_text(sums, 0, 1), NULL);
        out.uptime_30d = strtod(sw_pg_text(sums, 0, 2), NULL);
        out.latency_p50_ms = mon_hist_quantile(totals, 0.50);
        out.latency_p95_ms = mon_hist_quantile(totals, 0.95);
        rc = sw_reply_body(reply, &out.base);
    }
    PQclear(hist);
    PQclear(sums);
    sw__monitors__uptime_request__free_unpacked(req, NULL);
    return rc == SW_ENOTFOUND ? 0 : rc;
}
