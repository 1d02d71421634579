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
#include "sw_status.h"
#include "tenants.pb-c.h"

#define MAX_PAGE_SIZE 100
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const Sw__Tenants__PlanLimits *limits_of(const Sw__Tenants__ListPlanLimitsReply *all,
                                                const char *plan)
{
    for (size_t i = 0; i < all->n_plans; i++)
        if (strcmp(all->plans[i]->plan, plan) == 0)
            return all->plans[i];
    return NULL;
}

int billing_list_plans(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                       struct sw_reply *reply)
{
    (void)body;
    struct billing_service *svc = ctx->service;
    struct sw_rpc_meta meta = {.request_id = ctx->env->request_id};
    Sw__Tenants__ListPlanLimitsRequest lreq = SW__TENANTS__LIST_PLAN_LIMITS_REQUEST__INIT;
    struct sw_rpc_result limits = {0};
    int rc = sw_rpc_call(svc->tenants, &meta, "tenants.ListPlanLimits", &lreq.base,
                         &sw__tenants__list_plan_limits_reply__descriptor,
                         svc->cfg.rpc_timeout_ms, &limits);
    if (rc == 0 && limits.reply->status != SW_OK)
        rc = SW_EUNAVAIL;
    if (rc) {
        sw_rpc_result_free(&limits);
        sw_reply_error(reply, SW_UNAVAILABLE, "service_unavailable",
                       "The organisation service is not answering; try again shortly.");
        return 0;
    }
    const Sw__Tenants__ListPlanLimitsReply *all =
        (const Sw__Tenants__ListPlanLimitsReply *)limits.body;
    PGresult *res = NULL;
    rc = sw_pg_query(ctx->db,
                     "SELECT id, name, price_cents, currency, interval FROM billing.plans"
                     " ORDER BY sort",
                     0, NULL, &res);
    size_t n = rc == 0 ? (size_t)PQntuples(res) : 0;
    Sw__Billing__Plan *store = calloc(n ? n : 1, sizeof *store);
    Sw__Billing__Plan **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    if (rc == 0 && (!store || !ptrs))
        rc = SW_EINTERNAL;
    size_t kept = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const Sw__Tenants__PlanLimits *l = limits_of(all, PQgetvalue(res, (int)i, 0));
        if (!l)
            continue; /* a price without limits is not sold */
        Sw__Billing__Plan *p = &store[kept];
        sw__billing__plan__init(p);
        p->id = PQgetvalue(res, (int)i, 0);
        p->name = PQgetvalue(res, (int)i, 1);
        p->price_cents = (int32_t)sw_pg_int(res, (int)i, 2);
        p->currency = PQgetvalue(res, (int)i, 3);
        p->interval = PQgetvalue(res, (int)i, 4);
        p->endpoint_limit = l->endpoint_limit;
        p->min_interval_seconds = l->min_interval_seconds;
        p->retention_days = l->retention_days;
        ptrs[kept++] = p;
    }
    if (rc == 0) {
        Sw__Billing__ListPlansReply out = SW__BILLING__LIST_PLANS_REPLY__INIT;
        out.n_plans = kept;
        out.plans = ptrs;
        rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    sw_rpc_result_free(&limits);
    return rc;
}

int billing_get_subscription(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                             struct sw_reply *reply)
{
    (void)body;
    struct billing_service *svc = ctx->service;
    const char *params[] = {ctx->env->tenant_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db,
                         "SELECT CASE WHEN status IN " BILLING_LIVE_STATUSES
                         " THEN 'pro' ELSE 'free' END, status, " ISO("current_period_end")
                         ", cancel_at_period_end FROM billing.subscriptions"
                         " WHERE tenant_id = $1::uuid" BILLING_EFFECTIVE_ORDER " LIMIT 1",
                         1, params, &res);
    if (rc)
        return rc;
    Sw__Billing__Subscription sub = SW__BILLING__SUBSCRIPTION__INIT;
    sub.plan = "free";
    sub.status = "free";
    sub.current_period_end = "";
    if (PQntuples(res) == 1) {
        sub.plan = PQgetvalue(res, 0, 0);
        sub.status = PQgetvalue(res, 0, 1);
        sub.current_period_end = (char *)sw_pg_text(res, 0, 2);
        sub.cancel_at_period_end = sw_pg_bool(res, 0, 3);
    }
    sub.stripe_configured = svc->settings.configured;
    sub.test_mode = svc->settings.test_mode;
    Sw__Billing__GetSubscriptionReply out = SW__BILLING__GET_SUBSCRIPTION_REPLY__INIT;
    out.subscription = &sub;
    rc = sw_reply_body(reply, &out.base);
    PQclear(res);
    return rc;
}

static void invoice_from_row(const PGresult *res, int row, Sw__Billing__Invoice *inv)
{
    sw__billing__invoice__init(inv);
    inv->id = (char *)sw_pg_text(res, row, 0);
    inv->number = (char *)sw_pg_text(res, row, 1);
    inv->status = (char *)sw_pg_text(res, row, 2);
    inv->amount_due = sw_pg_int(res, row, 3);
    inv->amount_paid = sw_pg_int(res, row, 4);
    inv->currency = (char *)sw_pg_text(res, row, 5);
    inv->period_start = (char *)sw_pg_text(res, row, 6);
    inv->period_end = (char *)sw_pg_text(res, row, 7);
    inv->hosted_invoice_url = (char *)sw_pg_text(res, row, 8);
    inv->invoice_pdf = (char *)sw_pg_text(res, row, 9);
    inv->created_at = (char *)sw_pg_text(res, row, 10);
}

int billing_list_invoices(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                          struct sw_reply *reply)
{
    Sw__Billing__ListInvoicesRequest *req =
        sw__billing__list_invoices_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    int page = req->page > 0 ? req->page : 1;
    int size = req->page_size > 0 && req->page_size <= MAX_PAGE_SIZE ? req->page_size : 20;
    char limit[16], offset[24];
    snprintf(limit, sizeof limit, "%d", size);
    snprintf(offset, sizeof offset, "%lld", (long long)(page - 1) * size);
    const char *params[] = {ctx->env->tenant_id, limit, offset};
    PGresult *res = NULL, *count = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT count(*) FROM billing.invoices WHERE tenant_id = $1::uuid",
                         1, params, &count);
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "SELECT id, number, status, amount_due, amount_paid, currency, "
                         ISO("period_start") ", " ISO("period_end") ", hosted_invoice_url,"
                         " invoice_pdf, " ISO("created_at") " FROM billing.invoices"
                         " WHERE tenant_id = $1::uuid ORDER BY created_at DESC, id DESC"
                         " LIMIT $2::int OFFSET $3::bigint",
                         3, params, &res);
    long long total = rc == 0 ? sw_pg_int(count, 0, 0) : 0;
    if (rc == 0 && page > 1 && PQntuples(res) == 0) {
        sw_reply_error(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
    } else if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        Sw__Billing__Invoice *store = calloc(n ? n : 1, sizeof *store);
        Sw__Billing__Invoice **ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            invoice_from_row(res, (int)i, &store[i]);
            ptrs[i] = &store[i];
        }
        Sw__Billing__ListInvoicesReply out = SW__BILLING__LIST_INVOICES_REPLY__INIT;
        out.count = total;
        out.n_invoices = n;
        out.invoices = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
        free(ptrs);
        free(store);
    }
    PQclear(res);
    PQclear(count);
    sw__billing__list_invoices_request__free_unpacked(req, NULL);
    return rc;
}
