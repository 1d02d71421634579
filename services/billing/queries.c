/*
 * The read side: the plans with their prices and limits, the caller's
 * subscription, and the caller's invoices (newest first, paged).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "billing.pb-c.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"
#include "tenants.pb-c.h"

int billing_effective_subscription(PGconn *db, const char *tenant_id, PGresult **out)
{
    const char *params[] = {tenant_id};
    return sw_pg_query(
        db,
        "SELECT " BILLING_PLAN_OF("status") ", status, " SW_TIME_SQL_MS(
            "current_period_end") ", cancel_at_period_end"
                                  " FROM billing.subscriptions WHERE tenant_id = $1::uuid" BILLING_EFFECTIVE_ORDER
                                  " LIMIT 1",
        1, params, out);
}

static const Sw__Tenants__PlanLimits *limits_of(const Sw__Tenants__ListPlanLimitsReply *all,
                                                const char *plan)
{
    for (size_t i = 0; i < all->n_plans; i++)
        if (strcmp(all->plans[i]->plan, plan) == 0)
            return all->plans[i];
    return NULL;
}

/* A plan row (id, name, price_cents, currency, interval), limits still to add. */
static void plan_from_row(const PGresult *res, int row, void *msg)
{
    sw_rows_fill(res, row, &sw__billing__plan__descriptor, msg);
}

/*
 * Gives each plan its limits and keeps only the plans that have some (a
 * price without limits is not sold); returns how many are kept.
 */
static size_t add_limits(struct sw_rows *rows, const Sw__Tenants__ListPlanLimitsReply *all)
{
    size_t kept = 0;
    for (size_t i = 0; i < rows->n; i++) {
        Sw__Billing__Plan *p = rows->items[i];
        const Sw__Tenants__PlanLimits *l = limits_of(all, p->id);
        if (!l)
            continue;
        p->has_endpoint_limit = l->has_endpoint_limit;
        p->endpoint_limit = l->endpoint_limit;
        p->min_interval_seconds = l->min_interval_seconds;
        p->retention_days = l->retention_days;
        rows->items[kept++] = p;
    }
    return kept;
}

void billing_list_plans(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    struct billing_service *svc = ctx->service;
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    struct sw_rpc_result limits = {0};
    const Sw__Tenants__ListPlanLimitsReply *all = NULL;
    if (billing_tenants_list_plan_limits(svc, &meta, &limits, &all) != 0) {
        sw_rpc_result_free(&limits);
        sw_reply_fail(reply, SW_UNAVAILABLE, "service_unavailable",
                      "The organisation service is not answering; try again shortly.");
        return;
    }
    PGresult *res = NULL;
    struct sw_rows rows = {0};
    int rc = sw_pg_query(ctx->db,
                         "SELECT id, name, price_cents, currency, interval FROM billing.plans"
                         " ORDER BY sort",
                         0, NULL, &res);
    if (rc == 0)
        rc = sw_rows_collect(res, sizeof(Sw__Billing__Plan), plan_from_row, &rows);
    if (rc == 0) {
        Sw__Billing__ListPlansReply out = SW__BILLING__LIST_PLANS_REPLY__INIT;
        out.n_plans = add_limits(&rows, all);
        out.plans = (Sw__Billing__Plan **)rows.items;
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    sw_rows_free(&rows);
    PQclear(res);
    sw_rpc_result_free(&limits);
}

void billing_get_subscription(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    struct billing_service *svc = ctx->service;
    const char *tenant_id = sw_reply_caller_tenant(ctx, reply);
    if (!tenant_id)
        return;
    PGresult *res = NULL;
    int rc = billing_effective_subscription(ctx->db, tenant_id, &res);
    if (rc == 0) {
        Sw__Billing__Subscription sub = SW__BILLING__SUBSCRIPTION__INIT;
        sub.plan = BILLING_PLAN_FREE;
        sub.status = BILLING_STATUS_NONE;
        if (PQntuples(res) == 1) {
            sub.plan = PQgetvalue(res, 0, 0);
            sub.status = PQgetvalue(res, 0, 1);
            sub.has_current_period_end_unix_ms = !PQgetisnull(res, 0, 2);
            sub.current_period_end_unix_ms = sw_pg_int(res, 0, 2);
            sub.cancel_at_period_end = sw_pg_bool(res, 0, 3);
        }
        sub.stripe_configured = svc->settings.configured;
        sub.test_mode = svc->settings.test_mode;
        Sw__Billing__GetSubscriptionReply out = SW__BILLING__GET_SUBSCRIPTION_REPLY__INIT;
        out.subscription = &sub;
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    PQclear(res);
}

#define PERIOD_START_MS SW_TIME_SQL_MS("period_start")
#define PERIOD_END_MS SW_TIME_SQL_MS("period_end")
#define INVOICE_CREATED_MS SW_TIME_SQL_MS("created_at")

void billing_list_invoices(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Billing__ListInvoicesRequest *req = request;
    const char *tenant_id = sw_reply_caller_tenant(ctx, reply);
    if (!tenant_id)
        return;
    if (req->page < 1 || req->page_size < 1) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "Invalid page or page size.");
        return;
    }
    const char *params[] = {tenant_id};
    Sw__Billing__ListInvoicesReply out = SW__BILLING__LIST_INVOICES_REPLY__INIT;
    /* The total rides on every row (a window over the whole filtered set). */
    sw_rows_page_query_reply(reply, ctx->db,
                             "SELECT id, number, status, amount_due, amount_paid, currency,"
                             " " PERIOD_START_MS " AS period_start_unix_ms,"
                             " " PERIOD_END_MS " AS period_end_unix_ms, hosted_invoice_url,"
                             " invoice_pdf, " INVOICE_CREATED_MS " AS created_unix_ms,"
                             " count(*) OVER () FROM billing.invoices WHERE tenant_id = $1::uuid"
                             " ORDER BY created_at DESC, id DESC LIMIT $2::int OFFSET $3::bigint",
                             1, params, req->page, req->page_size, &out.base);
}
