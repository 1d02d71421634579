/*
 * Applies a recorded Stripe event to the billing tables, inside the webhook's
 * transaction. Each subscription and invoice row carries the version of the
 * state it holds, and an UPDATE only happens when the event's version is
 * greater, so duplicates, replays and out-of-order deliveries never move a row
 * back (docs/BILLING.md, "Ordering").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"

#define SOURCE_CHECKOUT "0"
#define SOURCE_INVOICE "1"
#define SOURCE_SUBSCRIPTION "2"

struct status_rank {
    const char *status;
    int rank;
};

static const struct status_rank SUBSCRIPTION_RANKS[] = {
    {"incomplete", 0}, {"trialing", 1}, {"active", 2},   {"past_due", 3},
    {"unpaid", 4},     {"paused", 4},   {"canceled", 5}, {"incomplete_expired", 5},
};

static const struct status_rank INVOICE_RANKS[] = {
    {"draft", 0}, {"open", 1}, {"uncollectible", 2}, {"paid", 3}, {"void", 3},
};

/*
 * Not inlined: GCC's -O2 string-compare check otherwise compares each table
 * entry with a caller's constant and calls the loop's mismatches errors.
 */
__attribute__((noinline)) static int rank_of(const struct status_rank *table, size_t n,
                                             const char *status)
{
    for (size_t i = 0; status && i < n; i++)
        if (strcmp(table[i].status, status) == 0)
            return table[i].rank;
    return -1;
}

int billing_subscription_rank(const char *status)
{
    return rank_of(SUBSCRIPTION_RANKS, sizeof SUBSCRIPTION_RANKS / sizeof SUBSCRIPTION_RANKS[0],
                   status);
}

int billing_invoice_rank(const char *status)
{
    return rank_of(INVOICE_RANKS, sizeof INVOICE_RANKS / sizeof INVOICE_RANKS[0], status);
}

/* A member that is an id string or an expanded object with an "id". */
static const char *id_of(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_object(v))
        v = json_object_get(v, "id");
    const char *s = json_string_value(v);
    return s && s[0] && strlen(s) < 255 ? s : NULL;
}

static const char *str_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* An integer member as text in out, for a query parameter; NULL (SQL NULL) when absent or null. */
static const char *int_text(json_t *obj, const char *key, char *out, size_t size)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return NULL;
    snprintf(out, size, "%lld", (long long)json_integer_value(v));
    return out;
}

static const char *metadata_tenant(json_t *obj)
{
    const char *t = str_of(json_object_get(obj, "metadata"), "tenant_id");
    return sw_uuid_valid(t) ? t : NULL;
}

/* Looks a tenant up by one SQL query with one parameter; false when nothing matched. */
static int lookup_tenant(PGconn *db, const char *sql, const char *param, char *tenant_id,
                         bool *found)
{
    *found = false;
    if (!param)
        return 0;
    const char *params[] = {param};
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, 1, params, &res);
    if (rc == 0 && PQntuples(res) > 0) {
        snprintf(tenant_id, 37, "%s", PQgetvalue(res, 0, 0));
        *found = true;
    }
    PQclear(res);
    return rc;
}

static int tenant_by_customer(PGconn *db, const char *customer, char *tenant_id, bool *found)
{
    return lookup_tenant(db,
                         "SELECT tenant_id FROM billing.customers WHERE stripe_customer_id = $1",
                         customer, tenant_id, found);
}

static int tenant_by_subscription(PGconn *db, const char *sub, char *tenant_id, bool *found)
{
    return lookup_tenant(db, "SELECT tenant_id FROM billing.subscriptions WHERE id = $1", sub,
                         tenant_id, found);
}

int billing_update_desired_plan(PGconn *db, const char *tenant_id, bool *owed)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(
        db,
        "WITH eff AS (SELECT status FROM billing.subscriptions WHERE tenant_id = $1" BILLING_EFFECTIVE_ORDER
        " LIMIT 1),"
        " d AS (SELECT " BILLING_PLAN_OF(
            "(SELECT status FROM eff)") " AS plan,"
                                        " coalesce((SELECT status FROM eff), '" BILLING_STATUS_NONE
                                        "') AS status)"
                                        " INSERT INTO billing.tenant_sync AS s (tenant_id, plan, status, version)"
                                        " SELECT $1, plan, status, 1 FROM d"
                                        " ON CONFLICT (tenant_id) DO UPDATE SET plan = EXCLUDED.plan, status = EXCLUDED.status,"
                                        " version = s.version + 1, attempts = 0, next_attempt_at = now(), updated_at = now()"
                                        " WHERE (s.plan, s.status) IS DISTINCT FROM (EXCLUDED.plan, EXCLUDED.status)"
                                        " RETURNING version",
        tenant_id, &res);
    *owed = rc == 0 && PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

/* The subscription's current_period_end (top level, or on its first item in newer API versions). */
static const char *period_end_text(json_t *sub, char *out, size_t size)
{
    const char *top = int_text(sub, "current_period_end", out, size);
    if (top)
        return top;
    json_t *items = json_object_get(json_object_get(sub, "items"), "data");
    return int_text(json_array_get(items, 0), "current_period_end", out, size);
}

static const char *price_of(json_t *sub)
{
    json_t *items = json_object_get(json_object_get(sub, "items"), "data");
    return id_of(json_array_get(items, 0), "price");
}

static int apply_subscription(PGconn *db, json_t *sub, const char *type, long long created,
                              char *tenant_id, const char **outcome)
{
    const char *id = id_of(sub, "id");
    const char *status = strcmp(type, "customer.subscription.deleted") == 0 ? "canceled"
                                                                            : str_of(sub, "status");
    int rank = billing_subscription_rank(status);
    if (!id || rank < 0) {
        *outcome = "ignored: subscription without id or with an unknown status";
        return 0;
    }
    const char *customer = id_of(sub, "customer");
    bool found = false;
    int rc = 0;
    const char *meta = metadata_tenant(sub);
    if (meta) {
        snprintf(tenant_id, 37, "%s", meta);
        found = true;
    }
    if (!found)
        rc = tenant_by_customer(db, customer, tenant_id, &found);
    if (rc == 0 && !found)
        rc = tenant_by_subscription(db, id, tenant_id, &found);
    if (rc || !found) {
        *outcome = "ignored: no tenant for this subscription";
        return rc;
    }
    char created_text[24], rank_text[16], period_end[24];
    snprintf(created_text, sizeof created_text, "%lld", created);
    snprintf(rank_text, sizeof rank_text, "%d", rank);
    bool cancel = json_is_true(json_object_get(sub, "cancel_at_period_end"));
    const char *params[] = {id,
                            tenant_id,
                            customer,
                            status,
                            price_of(sub),
                            period_end_text(sub, period_end, sizeof period_end),
                            cancel ? "true" : "false",
                            created_text,
                            rank_text};
    PGresult *res = NULL;
    rc = sw_pg_query(
        db,
        "INSERT INTO billing.subscriptions AS s (id, tenant_id, customer_id, status, price_id,"
        " current_period_end, cancel_at_period_end, v_created, v_source, v_rank)"
        " VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint), $7, $8,"
        " " SOURCE_SUBSCRIPTION ", $9)"
        " ON CONFLICT (id) DO UPDATE SET customer_id = coalesce(EXCLUDED.customer_id, s.customer_id),"
        " status = EXCLUDED.status, price_id = coalesce(EXCLUDED.price_id, s.price_id),"
        " current_period_end = EXCLUDED.current_period_end,"
        " cancel_at_period_end = EXCLUDED.cancel_at_period_end, v_created = EXCLUDED.v_created,"
        " v_source = EXCLUDED.v_source, v_rank = EXCLUDED.v_rank, updated_at = now()"
        " WHERE s.status NOT IN ('canceled', 'incomplete_expired')"
        " AND (EXCLUDED.v_created, EXCLUDED.v_source, EXCLUDED.v_rank,"
        " coalesce(EXCLUDED.current_period_end, '-infinity'), EXCLUDED.cancel_at_period_end)"
        " > (s.v_created, s.v_source, s.v_rank, coalesce(s.current_period_end, '-infinity'),"
        " s.cancel_at_period_end)"
        " RETURNING tenant_id",
        9, params, &res);
    if (rc == 0) {
        if (PQntuples(res) > 0) {
            snprintf(tenant_id, 37, "%s", PQgetvalue(res, 0, 0));
            *outcome = "applied";
        } else {
            *outcome = "skipped: older than the stored state";
        }
    }
    PQclear(res);
    return rc;
}

static int apply_checkout(PGconn *db, json_t *session, long long created, char *tenant_id,
                          const char **outcome)
{
    const char *tenant = str_of(session, "client_reference_id");
    if (!sw_uuid_valid(tenant))
        tenant = metadata_tenant(session);
    const char *customer = id_of(session, "customer");
    const char *sub = id_of(session, "subscription");
    const char *mode = str_of(session, "mode");
    if (!tenant || (mode && strcmp(mode, "subscription") != 0)) {
        *outcome = "ignored: not a subscription checkout of a tenant";
        return 0;
    }
    snprintf(tenant_id, 37, "%s", tenant);
    int rc = 0;
    if (customer) {
        const char *params[] = {tenant, customer};
        rc = sw_pg_exec(db,
                        "INSERT INTO billing.customers (tenant_id, stripe_customer_id)"
                        " VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        2, params);
    }
    *outcome = "applied";
    if (rc || !sub)
        return rc;
    const char *payment = str_of(session, "payment_status");
    bool paid = payment &&
                (strcmp(payment, "paid") == 0 || strcmp(payment, "no_payment_required") == 0);
    const char *status = paid ? "active" : "incomplete";
    char created_text[24], rank_text[16];
    snprintf(created_text, sizeof created_text, "%lld", created);
    snprintf(rank_text, sizeof rank_text, "%d", billing_subscription_rank(status));
    const char *params[] = {sub, tenant, customer, status, created_text, rank_text};
    return sw_pg_exec(
        db,
        "INSERT INTO billing.subscriptions AS s (id, tenant_id, customer_id, status, v_created,"
        " v_source, v_rank) VALUES ($1, $2, $3, $4, $5, " SOURCE_CHECKOUT ", $6)"
        " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, v_created = EXCLUDED.v_created,"
        " v_source = EXCLUDED.v_source, v_rank = EXCLUDED.v_rank, updated_at = now()"
        " WHERE s.status NOT IN ('canceled', 'incomplete_expired')"
        " AND (EXCLUDED.v_created, EXCLUDED.v_source, EXCLUDED.v_rank)"
        " > (s.v_created, s.v_source, s.v_rank)",
        6, params);
}

/* invoice.paid / invoice.payment_failed move a known subscription, if newer. */
static int apply_invoice_status(PGconn *db, const char *sub, const char *type, long long created)
{
    bool paid = strcmp(type, "invoice.paid") == 0;
    bool failed = strcmp(type, "invoice.payment_failed") == 0;
    if (!sub || (!paid && !failed))
        return 0;
    const char *status = paid ? "active" : "past_due";
    char created_text[24], rank_text[16];
    snprintf(created_text, sizeof created_text, "%lld", created);
    snprintf(rank_text, sizeof rank_text, "%d", billing_subscription_rank(status));
    const char *params[] = {sub, status, created_text, rank_text,
                            paid ? "{incomplete,past_due,unpaid}" : "{active}"};
    return sw_pg_exec(db,
                      "UPDATE billing.subscriptions s SET status = $2, v_created = $3,"
                      " v_source = " SOURCE_INVOICE ", v_rank = $4, updated_at = now()"
                      " WHERE id = $1 AND status = ANY($5::text[])"
                      " AND ($3::bigint, " SOURCE_INVOICE "::smallint, $4::smallint)"
                      " > (s.v_created, s.v_source, s.v_rank)",
                      5, params);
}

static const char *invoice_subscription(json_t *inv)
{
    const char *sub = id_of(inv, "subscription");
    if (!sub) {
        json_t *details = json_object_get(json_object_get(inv, "parent"), "subscription_details");
        sub = id_of(details, "subscription");
    }
    return sub;
}

static int apply_invoice(PGconn *db, json_t *inv, const char *type, long long created,
                         char *tenant_id, const char **outcome)
{
    const char *id = id_of(inv, "id");
    const char *status = str_of(inv, "status");
    int rank = billing_invoice_rank(status);
    const char *sub = invoice_subscription(inv);
    if (!id || rank < 0) {
        *outcome = "ignored: invoice without id or with an unknown status";
        return 0;
    }
    bool found = false;
    int rc = tenant_by_subscription(db, sub, tenant_id, &found);
    if (rc == 0 && !found)
        rc = tenant_by_customer(db, id_of(inv, "customer"), tenant_id, &found);
    if (rc == 0 && !found) {
        const char *meta = metadata_tenant(inv);
        if (!meta)
            meta = metadata_tenant(json_object_get(inv, "subscription_details"));
        if (meta) {
            snprintf(tenant_id, 37, "%s", meta);
            found = true;
        }
    }
    if (rc || !found) {
        *outcome = "ignored: no tenant for this invoice";
        return rc;
    }
    char amount_due[24], amount_paid[24], period_start[24], period_end[24], inv_created[24];
    char created_text[24], rank_text[16];
    snprintf(created_text, sizeof created_text, "%lld", created);
    snprintf(rank_text, sizeof rank_text, "%d", rank);
    const char *currency = str_of(inv, "currency");
    const char *created_at = int_text(inv, "created", inv_created, sizeof inv_created);
    const char *params[] = {id,
                            tenant_id,
                            sub,
                            str_of(inv, "number"),
                            status,
                            int_text(inv, "amount_due", amount_due, sizeof amount_due),
                            int_text(inv, "amount_paid", amount_paid, sizeof amount_paid),
                            currency ? currency : "usd",
                            int_text(inv, "period_start", period_start, sizeof period_start),
                            int_text(inv, "period_end", period_end, sizeof period_end),
                            str_of(inv, "hosted_invoice_url"),
                            str_of(inv, "invoice_pdf"),
                            created_at ? created_at : created_text,
                            created_text,
                            rank_text};
    rc = sw_pg_exec(
        db,
        "INSERT INTO billing.invoices AS i (id, tenant_id, subscription_id, number, status,"
        " amount_due, amount_paid, currency, period_start, period_end, hosted_invoice_url,"
        " invoice_pdf, created_at, v_created, v_rank)"
        " VALUES ($1, $2, $3, nullif($4, ''), $5, coalesce($6::bigint, 0), coalesce($7::bigint, 0),"
        " lower($8),"
        " to_timestamp($9::bigint), to_timestamp($10::bigint), nullif($11, ''), nullif($12, ''),"
        " to_timestamp($13::bigint), $14, $15)"
        " ON CONFLICT (id) DO UPDATE SET number = coalesce(EXCLUDED.number, i.number),"
        " status = EXCLUDED.status, amount_due = EXCLUDED.amount_due,"
        " amount_paid = EXCLUDED.amount_paid, currency = EXCLUDED.currency,"
        " period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,"
        " hosted_invoice_url = coalesce(EXCLUDED.hosted_invoice_url, i.hosted_invoice_url),"
        " invoice_pdf = coalesce(EXCLUDED.invoice_pdf, i.invoice_pdf),"
        " v_created = EXCLUDED.v_created, v_rank = EXCLUDED.v_rank, updated_at = now()"
        " WHERE (EXCLUDED.v_created, EXCLUDED.v_rank) > (i.v_created, i.v_rank)",
        15, params);
    if (rc == 0)
        rc = apply_invoice_status(db, sub, type, created);
    *outcome = "applied";
    return rc;
}

int billing_apply_event(PGconn *db, json_t *event, char *tenant_id, const char **outcome,
                        bool *plan_owed)
{
    tenant_id[0] = '\0';
    *plan_owed = false;
    *outcome = "ignored: event type not handled";
    const char *type = str_of(event, "type");
    long long created = (long long)json_integer_value(json_object_get(event, "created"));
    json_t *obj = json_object_get(json_object_get(event, "data"), "object");
    int rc = 0;
    if (strncmp(type, "customer.subscription.", 22) == 0)
        rc = apply_subscription(db, obj, type, created, tenant_id, outcome);
    else if (strcmp(type, "checkout.session.completed") == 0)
        rc = apply_checkout(db, obj, created, tenant_id, outcome);
    else if (strncmp(type, "invoice.", 8) == 0)
        rc = apply_invoice(db, obj, type, created, tenant_id, outcome);
    if (rc == 0 && tenant_id[0] && strcmp(*outcome, "applied") == 0)
        rc = billing_update_desired_plan(db, tenant_id, plan_owed);
    return rc;
}
