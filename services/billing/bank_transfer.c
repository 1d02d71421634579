/*
 * Bank transfers (api.md "Staff"): billing.ConfirmBankTransfer, called by the
 * gateway for a staff account, and the job that ends a paid period.
 *
 * A confirmation records, in one transaction under the tenant's lock, the
 * payment (billing.payments, unique on its external id), its invoice
 * (status "paid", listed by GET /api/billing/invoices/) and the paid period
 * as the tenant's bank-transfer subscription (one row per tenant, extended by
 * every later payment from the end of the period it has) and its audit row,
 * recomputes the tenant's desired plan (Pro while the row is live) and makes
 * the account active (tenants.StaffSetAccountStatus); after the commit the plan push
 * (sync.c) sends Pro to sw-tenants and sw-monitors. The same external id
 * again with the same data is answered with the stored payment and writes
 * nothing; with other data it is 409 payment_conflict.
 *
 * The expiry job (its own thread and connection) cancels a bank-transfer
 * subscription whose period is over and recomputes the desired plan: free,
 * unless a Stripe subscription is live.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "billing.h"
#include "staff.pb-c.h"
#include "sw_audit.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_text.h"
#include "sw_ticker.h"
#include "sw_time.h"

#define EXTERNAL_ID_MAX 100
#define PAYER_MAX 200
#define AMOUNT_MAX 10000000000LL /* 100 million in the currency's unit */
#define MONTHS_MAX 36

/* Columns named after the fields of Sw__Staff__BankTransfer (table alias p). */
#define PAYMENT_COLUMNS                                                                            \
    "p.id, p.tenant_id, p.external_payment_id, p.amount_cents, p.currency, p.payer_name,"          \
    " p.period_months, " SW_TIME_SQL_MS(                                                           \
        "p.period_start") " AS period_start_unix_ms,"                                              \
                          " " SW_TIME_SQL_MS(                                                      \
                              "p.period_end") " AS period_end_unix_ms, p.invoice_id,"              \
                                              " " SW_TIME_SQL_MS(                                  \
                                                  "p.created_at") " AS created_unix_ms"

/* A confirmation as validated: the request's values, normalised. */
struct transfer {
    const char *tenant_id;
    const char *external_id;
    char amount[24];
    char currency[4];
    char payer[PAYER_MAX * 4 + 1];
    char months[8];
    const char *staff_id;
};

static void check_strings(const Sw__Staff__ConfirmBankTransferRequest *req, struct transfer *t,
                          struct sw_reply *reply)
{
    if (!req->tenant_id || !req->tenant_id[0])
        sw_reply_field(reply, "tenant_id", "This field is required.");
    else if (!sw_uuid_valid(req->tenant_id))
        sw_reply_field(reply, "tenant_id", "Must be a valid UUID.");
    t->tenant_id = req->tenant_id;
    const char *ext = req->external_payment_id;
    if (!ext || !ext[0])
        sw_reply_field(reply, "external_payment_id", "This field is required.");
    else if (sw_utf8_length(ext) > EXTERNAL_ID_MAX || sw_text_has_control(ext))
        sw_reply_field(
            reply, "external_payment_id",
            "Enter the bank's reference: at most 100 characters, no control characters.");
    t->external_id = ext;
    if (!req->payer_name || sw_trim_copy(req->payer_name, t->payer, sizeof t->payer) != 0 ||
        sw_utf8_length(t->payer) > PAYER_MAX || sw_text_has_control(t->payer))
        sw_reply_field(reply, "payer_name",
                       req->payer_name ? "Ensure this field has no more than 200 characters."
                                       : "This field is required.");
    else if (!t->payer[0])
        sw_reply_field(reply, "payer_name", "This field is required.");
}

/*
 * The request's fields checked (every problem at once); the currency must be
 * the one the plans are sold in (`currency`, lower case).
 */
static bool check_transfer(const Sw__Staff__ConfirmBankTransferRequest *req, const char *currency,
                           struct transfer *t, struct sw_reply *reply)
{
    check_strings(req, t, reply);
    if (!req->has_amount_cents)
        sw_reply_field(reply, "amount_cents", "This field is required.");
    else if (req->amount_cents < 1 || req->amount_cents > AMOUNT_MAX)
        sw_reply_field(reply, "amount_cents", "Enter a positive amount in cents.");
    snprintf(t->amount, sizeof t->amount, "%lld", (long long)req->amount_cents);
    const char *cur = req->currency;
    bool letters = cur && strlen(cur) == 3;
    for (size_t i = 0; letters && i < 3; i++) {
        letters = isalpha((unsigned char)cur[i]) != 0;
        t->currency[i] = (char)tolower((unsigned char)cur[i]);
    }
    t->currency[3] = '\0';
    if (!cur || !cur[0])
        sw_reply_field(reply, "currency", "This field is required.");
    else if (!letters || strcmp(t->currency, currency) != 0)
        sw_reply_field(reply, "currency", "Not the currency the plans are sold in.");
    if (!req->has_period_months)
        sw_reply_field(reply, "period_months", "This field is required.");
    else if (req->period_months < 1 || req->period_months > MONTHS_MAX)
        sw_reply_field(reply, "period_months", "Enter a number of months from 1 to 36.");
    snprintf(t->months, sizeof t->months, "%d", (int)req->period_months);
    return sw_reply_ok(reply);
}

/* The currency of the Pro plan (what a transfer pays for), lower case, into out. */
static int plan_currency(PGconn *db, char out[4])
{
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT lower(currency) FROM billing.plans WHERE id = '" BILLING_PLAN_PRO
                         "'",
                         0, NULL, &res);
    if (rc == 0 && PQntuples(res) != 1)
        rc = SW_EINTERNAL;
    if (rc == 0)
        snprintf(out, 4, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

static void payment_from_row(const PGresult *res, int row, void *msg)
{
    sw_rows_fill(res, row, &sw__staff__bank_transfer__descriptor, msg);
}

static void answer_payment(struct sw_reply *reply, const PGresult *res, bool duplicate)
{
    Sw__Staff__BankTransfer payment;
    payment_from_row(res, 0, &payment);
    Sw__Staff__ConfirmBankTransferReply out = SW__STAFF__CONFIRM_BANK_TRANSFER_REPLY__INIT;
    out.payment = &payment;
    out.duplicate = duplicate;
    sw_reply_body(reply, &out.base);
}

/* The stored payment of the external id (no row when there is none) into *res. */
static int stored_payment(PGconn *db, const char *external_id, PGresult **res)
{
    const char *params[] = {external_id};
    return sw_pg_query(db,
                       "SELECT " PAYMENT_COLUMNS
                       " FROM billing.payments p WHERE p.external_payment_id = $1",
                       1, params, res);
}

/* Whether the stored payment (row 0, PAYMENT_COLUMNS) is the one confirmed again. */
static bool same_payment(const PGresult *res, const struct transfer *t)
{
    return strcasecmp(PQgetvalue(res, 0, 1), t->tenant_id) == 0 &&
           strcmp(PQgetvalue(res, 0, 3), t->amount) == 0 &&
           strcmp(PQgetvalue(res, 0, 4), t->currency) == 0 &&
           strcmp(PQgetvalue(res, 0, 5), t->payer) == 0 &&
           strcmp(PQgetvalue(res, 0, 6), t->months) == 0;
}

/*
 * One statement: the payment, its paid invoice and the period of the
 * tenant's bank-transfer subscription, which starts when the period it has
 * ends (now, when it has none or it is over). Answers the payment's row.
 */
static const char RECORD_SQL[] =
    "WITH sub AS (SELECT current_period_end FROM billing.subscriptions"
    " WHERE id = '" BILLING_BANK_TRANSFER_PREFIX "' || $1 AND status = 'active'),"
    " start AS (SELECT greatest(now(), coalesce((SELECT current_period_end FROM sub), now())) AS at),"
    " p AS (INSERT INTO billing.payments (id, tenant_id, external_payment_id, amount_cents,"
    " currency, payer_name, period_months, period_start, period_end, invoice_id, confirmed_by)"
    " SELECT n.id, $1::uuid, $2, $3::int8, $4, $5, $6::int, start.at,"
    " start.at + make_interval(months => $6::int), 'bt_' || replace(n.id::text, '-', ''), $7::uuid"
    " FROM start, (SELECT gen_random_uuid() AS id) n RETURNING *),"
    " i AS (INSERT INTO billing.invoices (id, tenant_id, subscription_id, number, status,"
    " amount_due, amount_paid, currency, period_start, period_end, created_at, v_created, v_rank)"
    " SELECT invoice_id, tenant_id, '" BILLING_BANK_TRANSFER_PREFIX "' || tenant_id,"
    " 'BT-' || external_payment_id, 'paid', amount_cents, amount_cents, currency, period_start,"
    " period_end, created_at, extract(epoch FROM created_at)::int8, 3 FROM p),"
    " s AS (INSERT INTO billing.subscriptions AS s (id, tenant_id, status, current_period_end,"
    " cancel_at_period_end, v_created, v_source, v_rank)"
    " SELECT '" BILLING_BANK_TRANSFER_PREFIX "' || tenant_id, tenant_id, 'active', period_end,"
    " true, extract(epoch FROM now())::int8, " BILLING_SOURCE_BANK_TRANSFER ", 2 FROM p"
    " ON CONFLICT (id) DO UPDATE SET status = 'active',"
    " current_period_end = EXCLUDED.current_period_end, cancel_at_period_end = true,"
    " v_created = greatest(s.v_created + 1, EXCLUDED.v_created), v_rank = EXCLUDED.v_rank,"
    " updated_at = now())"
    " SELECT " PAYMENT_COLUMNS ", jsonb_build_object('external_payment_id',"
    " p.external_payment_id, 'amount_cents', p.amount_cents, 'currency', p.currency,"
    " 'payer_name', p.payer_name, 'period_months', p.period_months,"
    " 'period_start', p.period_start, 'period_end', p.period_end,"
    " 'invoice_id', p.invoice_id)::text AS audit_after FROM p";

/* Takes the tenant's bank-transfer lock for the rest of the transaction. */
static int lock_tenant(PGconn *db, const char *tenant_id)
{
    const char *params[] = {tenant_id};
    return sw_pg_exec(db,
                      "SELECT pg_advisory_xact_lock(" BILLING_LOCK_BANK_TRANSFER
                      ", hashtext(lower($1)))",
                      1, params);
}

/* tenants.StaffSetAccountStatus: the account the transfer paid for is active. */
static int activate_account(struct sw_rpc_ctx *ctx, const char *tenant_id)
{
    struct billing_service *svc = ctx->service;
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    Sw__Staff__SetAccountStatusRequest req = SW__STAFF__SET_ACCOUNT_STATUS_REQUEST__INIT;
    req.id = (char *)tenant_id;
    req.suspend = false;
    struct sw_rpc_result res = {0};
    int rc = sw_rpc_call(svc->tenants, &meta, "tenants.StaffSetAccountStatus", &req.base, NULL,
                         svc->cfg.rpc_timeout_ms, &res);
    sw_rpc_result_free(&res);
    return rc;
}

/* The audit row of a recorded payment (row 0 of RECORD_SQL), in its transaction. */
static int audit_payment(struct sw_rpc_ctx *ctx, const char *tenant_id, const PGresult *res)
{
    const struct sw_audit a = {.tenant_id = tenant_id,
                               .action = "billing.bank_transfer_confirm",
                               .target_type = "payment",
                               .target_id = PQgetvalue(res, 0, 0),
                               .after = PQgetvalue(res, 0, PQfnumber(res, "audit_after"))};
    return sw_audit_write(ctx->db, ctx->env, &a);
}

static void payment_conflict(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_ALREADY_EXISTS, "payment_conflict",
                  "This payment was confirmed before with other data.");
}

/* The transfer checked against what is stored, and recorded when it is new. */
static void confirm(struct sw_rpc_ctx *ctx, const struct transfer *t, struct sw_reply *reply)
{
    struct billing_service *svc = ctx->service;
    PGresult *res = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_tenant(ctx->db, t->tenant_id);
    if (rc == 0)
        rc = stored_payment(ctx->db, t->external_id, &res);
    if (rc == 0 && PQntuples(res) == 1) { /* confirmed before: nothing is written */
        if (same_payment(res, t))
            answer_payment(reply, res, true);
        else
            payment_conflict(reply);
        sw_pg_rollback(ctx->db);
        PQclear(res);
        return;
    }
    PQclear(res);
    res = NULL;
    bool owed = false;
    const char *params[] = {t->tenant_id, t->external_id, t->amount,  t->currency,
                            t->payer,     t->months,      t->staff_id};
    if (rc == 0)
        rc = sw_pg_query(ctx->db, RECORD_SQL, 7, params, &res);
    if (rc == 0)
        rc = audit_payment(ctx, t->tenant_id, res);
    if (rc == 0)
        rc = billing_update_desired_plan(ctx->db, t->tenant_id, &owed);
    if (rc == 0)
        rc = activate_account(ctx, t->tenant_id);
    rc = sw_pg_end(ctx->db, rc);
    if (rc == 0) {
        sw_log(SW_LOG_INFO, ctx->env->request_id, t->tenant_id,
               "bank transfer %s confirmed by staff %s: %s %s for %s months", t->external_id,
               t->staff_id, t->amount, t->currency, t->months);
        if (owed)
            billing_sync_wake(svc->sync);
        answer_payment(reply, res, false);
    } else if (rc == SW_EEXISTS) { /* the same id, confirmed for another tenant meanwhile */
        payment_conflict(reply);
    } else {
        sw_reply_fail_rc(reply, rc);
    }
    PQclear(res);
}

void billing_confirm_bank_transfer(struct sw_rpc_ctx *ctx, const void *request,
                                   struct sw_reply *reply)
{
    const Sw__Staff__ConfirmBankTransferRequest *req = request;
    struct billing_service *svc = ctx->service;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    char currency[4];
    struct transfer t = {.staff_id = ctx->env->user_id};
    if (sw_reply_fail_rc(reply, plan_currency(ctx->db, currency)) != 0 ||
        !check_transfer(req, currency, &t, reply))
        return;
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    struct sw_rpc_result found = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    int rc = billing_tenants_get(svc, &meta, t.tenant_id, &found, &tenant);
    sw_rpc_result_free(&found);
    if (rc == SW_ENOTFOUND)
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
    else if (sw_reply_fail_rc(reply, rc) == 0)
        confirm(ctx, &t, reply);
}

/* ---- the end of a paid period --------------------------------------------- */

/* Ends the tenant's bank-transfer period if it is over (its own transaction); *owed as recomputed.
 */
static int expire_tenant(PGconn *db, const char *tenant_id, bool *owed)
{
    *owed = false;
    const char *params[] = {tenant_id};
    long long ended = 0;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = lock_tenant(db, tenant_id);
    if (rc == 0)
        rc =
            sw_pg_query_int(db,
                            "WITH x AS (UPDATE billing.subscriptions SET status = 'canceled',"
                            " v_created = greatest(v_created + 1, extract(epoch FROM now())::int8),"
                            " v_rank = 5, updated_at = now()"
                            " WHERE id = '" BILLING_BANK_TRANSFER_PREFIX "' || $1"
                            " AND status = 'active' AND current_period_end <= now() RETURNING 1)"
                            " SELECT count(*) FROM x",
                            1, params, &ended);
    if (rc == 0 && ended > 0)
        rc = billing_update_desired_plan(db, tenant_id, owed);
    rc = sw_pg_end(db, rc);
    if (rc == 0 && ended > 0)
        sw_log(SW_LOG_INFO, NULL, tenant_id, "bank-transfer period over");
    return rc;
}

static long long expire_periods(struct sw_ticker *ticker, void *arg)
{
    struct billing_service *svc = arg;
    PGconn *db = sw_ticker_db(ticker);
    PGresult *res = NULL;
    bool wake = false;
    if (sw_pg_query(
            db,
            "SELECT tenant_id FROM billing.subscriptions WHERE v_source = " BILLING_SOURCE_BANK_TRANSFER
            " AND status = 'active'"
            " AND current_period_end <= now() LIMIT 100",
            0, NULL, &res) == 0) {
        for (int i = 0; i < PQntuples(res) && !sw_ticker_stopping(ticker); i++) {
            bool owed = false;
            if (expire_tenant(db, PQgetvalue(res, i, 0), &owed) == 0 && owed)
                wake = true;
        }
    }
    PQclear(res);
    if (wake)
        billing_sync_wake(svc->sync);
    return sw_now_ms() + svc->bank_transfer_check_ms;
}

int billing_expiry_start(struct billing_service *svc)
{
    int rc = sw_env_int("SW_BILLING_BANK_TRANSFER_CHECK_MS", 60000, 100, 3600000,
                        &svc->bank_transfer_check_ms);
    return rc ? rc
              : sw_ticker_start_db(svc->cfg.database_url, sw_now_ms() + svc->bank_transfer_check_ms,
                                   expire_periods, svc, &svc->expiry);
}
