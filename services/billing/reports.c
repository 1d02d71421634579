/*
 * The staff reports of sw-billing (api.md "Staff"), both over a range of
 * calendar months in UTC ("YYYY-MM", both ends included; the last 12 when
 * not given, at most 120):
 *
 * - revenue: paid invoices by the month they were issued, in the currency the
 *   plans are sold in, by plan and by method (a bank transfer is its one paid
 *   invoice, so it counts once); MRR is what the live subscriptions bring in
 *   a month now — the plan's price for Stripe's (active or past due), the
 *   covering payment spread over its months for a bank transfer.
 * - churn: from billing.subscription_history (every status a subscription
 *   held): started = became live (trialing, active, past due) from not live
 *   or new, canceled = stopped being live, churn_rate = canceled / (live at
 *   the month's start + started), 0 when both are 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing.h"
#include "staff.pb-c.h"
#include "sw_pg.h"
#include "sw_status.h"

#define MONTHS_MAX 120
#define METHODS 2

/* Months from..to as the first day of each ("YYYY-MM-01"), for SQL parameters. */
struct month_range {
    int n;
    int first; /* year * 12 + month - 1 of the first month */
    char from[16], to[16];
};

/* "YYYY-MM" as year * 12 + month - 1; -1 when it is not one. */
static int parse_month(const char *text)
{
    if (strlen(text) != 7 || text[4] != '-')
        return -1;
    int year = 0, month = 0;
    for (int i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (text[i] < '0' || text[i] > '9')
            return -1;
        if (i < 4)
            year = year * 10 + (text[i] - '0');
        else
            month = month * 10 + (text[i] - '0');
    }
    if (year < 1970 || month < 1 || month > 12)
        return -1;
    return year * 12 + month - 1;
}

/* "YYYY-MM" of a month index (year * 12 + month - 1, years 1970–9999) into out (8 bytes). */
static void month_name(int index, char *out, size_t size)
{
    unsigned year = (unsigned)(index / 12) % 10000u, month = (unsigned)(index % 12) + 1u;
    snprintf(out, size, "%04u-%02u", year, month % 100u);
}

static bool given(const char *text) { return text && text[0]; }

/* The request's range, or the last 12 months; false with the reply failed 400. */
static bool month_range(const Sw__Staff__ReportRangeRequest *req, struct month_range *r,
                        struct sw_reply *reply)
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    int current = (utc.tm_year + 1900) * 12 + utc.tm_mon;
    int from = given(req->from) ? parse_month(req->from) : -1;
    int to = given(req->to) ? parse_month(req->to) : current;
    if (given(req->from) && from < 0)
        sw_reply_field(reply, "from", "Enter a month as YYYY-MM.");
    if (given(req->to) && to < 0)
        sw_reply_field(reply, "to", "Enter a month as YYYY-MM.");
    if (!sw_reply_ok(reply))
        return false;
    if (!given(req->from))
        from = to - 11;
    if (from > to)
        sw_reply_field(reply, "from", "The range must not end before it starts.");
    else if (to - from + 1 > MONTHS_MAX)
        sw_reply_field(reply, "to", "A report covers at most 120 months.");
    if (!sw_reply_ok(reply))
        return false;
    r->n = to - from + 1;
    r->first = from;
    char name[12];
    month_name(from, name, sizeof name);
    snprintf(r->from, sizeof r->from, "%s-01", name);
    month_name(to, name, sizeof name);
    snprintf(r->to, sizeof r->to, "%s-01", name);
    return true;
}

/* The month's index in the range of a "YYYY-MM" the database answered; -1 outside it. */
static int month_index(const struct month_range *r, const char *text)
{
    int m = parse_month(text);
    return m >= r->first && m < r->first + r->n ? m - r->first : -1;
}

/* ---- revenue ----------------------------------------------------------------- */

static const char *const METHOD_NAMES[METHODS] = {"stripe", "bank_transfer"};

/* Paid invoices per month, plan and method within the range, in currency $3. */
static const char REVENUE_SQL[] =
    "SELECT to_char(date_trunc('month', i.created_at AT TIME ZONE 'UTC'), 'YYYY-MM'),"
    " coalesce(pl.id, '" BILLING_PLAN_PRO "'),"
    " CASE WHEN p.id IS NULL THEN 'stripe' ELSE 'bank_transfer' END, sum(i.amount_paid)::int8"
    " FROM billing.invoices i"
    " LEFT JOIN billing.payments p ON p.invoice_id = i.id"
    " LEFT JOIN billing.subscriptions s ON s.id = i.subscription_id"
    " LEFT JOIN billing.plans pl ON pl.stripe_price_id = s.price_id"
    " WHERE i.status = 'paid' AND i.currency = $3"
    " AND i.created_at >= ($1::timestamp AT TIME ZONE 'UTC')"
    " AND i.created_at < (($2::timestamp + interval '1 month') AT TIME ZONE 'UTC')"
    " GROUP BY 1, 2, 3";

/* What the live subscriptions bring in a month now, in currency $1. */
static const char MRR_SQL[] =
    "SELECT coalesce(sum(CASE WHEN s.v_source = " BILLING_SOURCE_BANK_TRANSFER
    " THEN (SELECT round(p.amount_cents::numeric / p.period_months) FROM billing.payments p"
    " WHERE p.tenant_id = s.tenant_id AND p.currency = $1 AND p.period_start <= now()"
    " AND p.period_end > now() ORDER BY p.period_start DESC LIMIT 1)"
    " ELSE coalesce(pl.price_cents, pro.price_cents) END), 0)::int8"
    " FROM billing.subscriptions s"
    " LEFT JOIN billing.plans pl ON pl.stripe_price_id = s.price_id AND pl.price_cents > 0"
    " CROSS JOIN (SELECT price_cents FROM billing.plans WHERE id = '" BILLING_PLAN_PRO "') pro"
    " WHERE s.status IN ('active', 'past_due')";

/* The report as it is built: n months of plans + METHODS tallies each. */
struct revenue {
    size_t n_plans;
    char (*names)[8];
    Sw__Staff__RevenueMonth *months, **month_ptrs;
    Sw__Staff__Tally *tallies, **tally_ptrs;
};

static void revenue_free(struct revenue *rv)
{
    free(rv->names);
    free(rv->months);
    free(rv->month_ptrs);
    free(rv->tallies);
    free(rv->tally_ptrs);
}

/* The name of tally k of a month: the plans', then the methods'. */
static char *tally_key(const PGresult *plans, size_t n_plans, size_t k)
{
    if (k < n_plans)
        return PQgetvalue(plans, (int)k, 0);
    return k - n_plans < METHODS ? (char *)METHOD_NAMES[k - n_plans] : "";
}

/* Zeroed months of the range, each with every plan of `plans` and every method. */
static int revenue_init(struct revenue *rv, const struct month_range *r, const PGresult *plans)
{
    size_t n = (size_t)r->n, per = (size_t)PQntuples(plans) + METHODS;
    rv->n_plans = (size_t)PQntuples(plans);
    rv->names = calloc(n, sizeof *rv->names);
    rv->months = calloc(n, sizeof *rv->months);
    rv->month_ptrs = calloc(n, sizeof *rv->month_ptrs);
    rv->tallies = calloc(n * per, sizeof *rv->tallies);
    rv->tally_ptrs = calloc(n * per, sizeof *rv->tally_ptrs);
    if (!rv->names || !rv->months || !rv->month_ptrs || !rv->tallies || !rv->tally_ptrs)
        return SW_ENOMEM;
    for (size_t m = 0; m < n; m++) {
        Sw__Staff__RevenueMonth *month = &rv->months[m];
        sw__staff__revenue_month__init(month);
        month_name(r->first + (int)m, rv->names[m], sizeof rv->names[m]);
        month->month = rv->names[m];
        Sw__Staff__Tally **ptrs = &rv->tally_ptrs[m * per];
        for (size_t k = 0; k < per; k++) {
            Sw__Staff__Tally *t = &rv->tallies[m * per + k];
            sw__staff__tally__init(t);
            t->key = tally_key(plans, rv->n_plans, k);
            ptrs[k] = t;
        }
        month->by_plan = ptrs;
        month->n_by_plan = rv->n_plans;
        month->by_method = ptrs + rv->n_plans;
        month->n_by_method = METHODS;
        rv->month_ptrs[m] = month;
    }
    return 0;
}

/* Adds one row of REVENUE_SQL (month, plan, method, cents) to its month. */
static void revenue_add(struct revenue *rv, const struct month_range *r, const PGresult *res,
                        int row)
{
    int m = month_index(r, PQgetvalue(res, row, 0));
    if (m < 0)
        return;
    Sw__Staff__RevenueMonth *month = &rv->months[m];
    long long cents = sw_pg_int(res, row, 3);
    month->revenue_cents += cents;
    for (size_t k = 0; k < month->n_by_plan; k++)
        if (strcmp(month->by_plan[k]->key, PQgetvalue(res, row, 1)) == 0)
            month->by_plan[k]->value += cents;
    for (size_t k = 0; k < month->n_by_method; k++)
        if (strcmp(month->by_method[k]->key, PQgetvalue(res, row, 2)) == 0)
            month->by_method[k]->value += cents;
}

void billing_staff_revenue(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    struct month_range r;
    if (!sw_reply_caller_staff(ctx, reply) || !month_range(request, &r, reply))
        return;
    PGresult *plans = NULL, *rows = NULL;
    long long mrr = 0;
    struct revenue rv = {0};
    int rc = sw_pg_query(ctx->db,
                         "SELECT id, (SELECT lower(currency) FROM billing.plans"
                         " WHERE id = '" BILLING_PLAN_PRO "') FROM billing.plans ORDER BY sort",
                         0, NULL, &plans);
    if (rc == 0 && PQntuples(plans) == 0)
        rc = SW_EINTERNAL;
    const char *currency = rc == 0 ? PQgetvalue(plans, 0, 1) : "";
    const char *params[] = {r.from, r.to, currency};
    if (rc == 0)
        rc = sw_pg_query(ctx->db, REVENUE_SQL, 3, params, &rows);
    if (rc == 0)
        rc = sw_pg_query_int(ctx->db, MRR_SQL, 1, &params[2], &mrr);
    if (rc == 0)
        rc = revenue_init(&rv, &r, plans);
    if (rc == 0) {
        for (int i = 0; i < PQntuples(rows); i++)
            revenue_add(&rv, &r, rows, i);
        Sw__Staff__RevenueReply out = SW__STAFF__REVENUE_REPLY__INIT;
        out.currency = (char *)currency;
        out.mrr_cents = mrr;
        out.months = rv.month_ptrs;
        out.n_months = (size_t)r.n;
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    revenue_free(&rv);
    PQclear(rows);
    PQclear(plans);
}

/* ---- churn ------------------------------------------------------------------- */

#define LIVE "('trialing', 'active', 'past_due')"

/* Per month of the range: started, canceled, and live at its start. */
static const char CHURN_SQL[] =
    "WITH h AS (SELECT subscription_id, id, at, status IN " LIVE " AS live,"
    " coalesce(lag(status IN " LIVE ") OVER w, false) AS was_live"
    " FROM billing.subscription_history"
    " WINDOW w AS (PARTITION BY subscription_id ORDER BY at, id)),"
    " months AS (SELECT m, m AT TIME ZONE 'UTC' AS starts, (m + interval '1 month') AT TIME ZONE"
    " 'UTC' AS ends FROM generate_series($1::timestamp, $2::timestamp, interval '1 month') AS m)"
    " SELECT to_char(months.m, 'YYYY-MM'),"
    " (SELECT count(*) FROM h WHERE h.live AND NOT h.was_live AND h.at >= starts AND h.at < ends),"
    " (SELECT count(*) FROM h WHERE NOT h.live AND h.was_live AND h.at >= starts AND h.at < ends),"
    " (SELECT count(*) FROM (SELECT DISTINCT ON (subscription_id) live FROM h"
    " WHERE h.at < starts ORDER BY subscription_id, at DESC, id DESC) last WHERE last.live)"
    " FROM months ORDER BY months.m";

void billing_staff_churn(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    struct month_range r;
    if (!sw_reply_caller_staff(ctx, reply) || !month_range(request, &r, reply))
        return;
    const char *params[] = {r.from, r.to};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, CHURN_SQL, 2, params, &res);
    int n = rc == 0 ? PQntuples(res) : 0;
    Sw__Staff__ChurnMonth *months = rc == 0 ? calloc((size_t)n + 1, sizeof *months) : NULL;
    Sw__Staff__ChurnMonth **ptrs = rc == 0 ? calloc((size_t)n + 1, sizeof *ptrs) : NULL;
    if (rc == 0 && (!months || !ptrs))
        rc = SW_ENOMEM;
    if (rc == 0) {
        for (int i = 0; i < n; i++) {
            Sw__Staff__ChurnMonth *m = &months[i];
            sw__staff__churn_month__init(m);
            m->month = PQgetvalue(res, i, 0);
            m->started = sw_pg_int(res, i, 1);
            m->canceled = sw_pg_int(res, i, 2);
            long long at_risk = sw_pg_int(res, i, 3) + m->started;
            /* Four decimals (whole basis points), as a report shows a rate. */
            long long basis_points = at_risk > 0 ? m->canceled * 10000 / at_risk : 0;
            m->churn_rate = (double)basis_points / 10000.0;
            ptrs[i] = m;
        }
        Sw__Staff__ChurnReply out = SW__STAFF__CHURN_REPLY__INIT;
        out.months = ptrs;
        out.n_months = (size_t)n;
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    free(ptrs);
    free(months);
    PQclear(res);
}
