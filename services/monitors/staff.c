/*
 * The staff side of sw-monitors (api.md "Staff"): endpoints per tenant for
 * the staff tenant listing, and the totals of the usage report. Both visit
 * tenant schemas inside PostgreSQL (migrations/003_staff_counts.sql), so
 * each is one statement; only a staff caller gets an answer.
 */
#include <stdlib.h>

#include "monitors.h"
#include "staff.pb-c.h"
#include "sw_pg.h"
#include "sw_rows.h"
#include "sw_staff.h"
#include "sw_status.h"

void mon_staff_count_endpoints(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Staff__CountEndpointsRequest *req = request;
    sw_staff_counts_reply(ctx, reply, req->tenant_ids, req->n_tenant_ids,
                          "SELECT tenant_id::text AS key, endpoints AS value"
                          " FROM monitors.staff_endpoint_counts($1::uuid[])");
}

void mon_staff_usage(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT endpoints, checks_last_24h FROM monitors.staff_usage()",
                         0, NULL, &res);
    if (rc == 0) {
        Sw__Staff__MonitorUsageReply out = SW__STAFF__MONITOR_USAGE_REPLY__INIT;
        sw_rows_fill(res, 0, &sw__staff__monitor_usage_reply__descriptor, &out);
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    PQclear(res);
}
