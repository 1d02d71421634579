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
    Sw__Billing__Plan *p = msg;
    sw__billing__plan__init(p);
    p->id = PQgetvalue(res, row, 0);
    p->name = PQgetvalue(res, row, 1);
    p->price_cents = (int32_t)sw_pg_int(res, row, 2);
    p->currency = PQgetvalue(res, row, 3);
    p->interval = PQgetvalue(res, row, 4);
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

static void invoice_from_row(const PGresult *res, int row, void *msg)
{
    Sw__Billing__Invoice *inv = msg;
    sw__billing__invoice__init(inv);
    inv->id = PQgetvalue(res, row, 0);
    inv->number = sw_pg_text_or_null(res, row, 1);
    inv->status = PQgetvalue(res, row, 2);
    inv->amount_due = sw_pg_int(res, row, 3);
    inv->amount_paid = sw_pg_int(res, row, 4);
    inv->currency = PQgetvalue(res, row, 5);
    inv->has_period_start_unix_ms = !PQgetisnull(res, row, 6);
    inv->period_start_unix_ms = sw_pg_int(res, row, 6);
    inv->has_period_end_unix_ms = !PQgetisnull(res, row, 7);
    inv->period_end_unix_ms = sw_pg_int(res, row, 7);
    inv->hosted_invoice_url = sw_pg_text_or_null(res, row, 8);
    inv->invoice_pdf = sw_pg_text_or_null(res, row, 9);
    inv->created_unix_ms = sw_pg_int(res, row, 10);
}

void billing_list_invoices(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Billing__ListInvoicesRequest *req = request;
    const char *tenant_id = sw_reply_caller_tenant(ctx, reply);
    if (!tenant_id)
        return;
    struct sw_rows_page page;
    if (!sw_rows_page(req->page, req->page_size, &page)) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "Invalid page or page size.");
        return;
    }
    const char *params[] = {tenant_id, page.limit, page.offset};
    PGresult *res = NULL;
    struct sw_rows rows = {0};
    /* The total rides on every row (a window over the whole filtered set). */
    int rc = sw_pg_query(
        ctx->db,
        "SELECT id, number, status, amount_due, amount_paid, currency, " SW_TIME_SQL_MS("period_start") ", " SW_TIME_SQL_MS(
            "period_end") ","
                          " hosted_invoice_url, invoice_pdf, " SW_TIME_SQL_MS(
                              "created_at") ","
                                            " count(*) OVER () FROM billing.invoices WHERE tenant_id = $1::uuid"
                                            " ORDER BY created_at DESC, id DESC LIMIT $2::int OFFSET $3::bigint",
        3, params, &res);
    if (rc == 0 && req->page > 1 && PQntuples(res) == 0)
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
    else if (rc == 0)
        rc = sw_rows_collect(res, sizeof(Sw__Billing__Invoice), invoice_from_row, &rows);
    if (rc == 0 && sw_reply_ok(reply)) {
        Sw__Billing__ListInvoicesReply out = SW__BILLING__LIST_INVOICES_REPLY__INIT;
        out.count = rows.n ? sw_pg_int(res, 0, 11) : 0;
        out.n_invoices = rows.n;
        out.invoices = (Sw__Billing__Invoice **)rows.items;
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    sw_rows_free(&rows);
    PQclear(res);
}
