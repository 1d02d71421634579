/*
 * sw-billing: plans and prices, Stripe customers, Checkout and Customer Portal
 * sessions, the webhook (verified, recorded by event id, applied in order),
 * invoices, and the push of each tenant's plan to sw-tenants and sw-monitors.
 * docs/BILLING.md describes the design; the REST rows are in api.md.
 */
#ifndef BILLING_H
#define BILLING_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

#include "stripe.h"
#include "sw_config.h"
#include "sw_ratelimit.h"
#include "sw_rpc.h"
#include "tenants.pb-c.h"

struct billing_sync;
struct sw_ticker;
struct sw_pub;

/* Settings read once at start-up (see docs/BILLING.md, "Settings"). */
struct billing_settings {
    const char *secret_key;     /* STRIPE_SECRET_KEY, "" when not configured */
    const char *webhook_secret; /* STRIPE_WEBHOOK_SECRET */
    const char *price_pro;      /* STRIPE_PRICE_PRO */
    char frontend_url[SW_URL_MAX];
    char api_base[SW_URL_MAX];
    int stripe_timeout_ms;
    int stripe_retries;
    int pro_price_cents;
    struct sw_rate_rule sessions; /* checkout and portal sessions per user */
    bool configured;              /* a secret key is set */
    bool test_mode;               /* the key is an sk_test_ key */
};

int billing_settings_load(bool production, struct billing_settings *s);

/* Shared by the workers (ctx->service); read-only after start-up. */
struct billing_service {
    struct sw_config cfg;
    struct billing_settings settings;
    struct stripe_conf stripe;
    struct sw_rpc_client *tenants;
    struct sw_rpc_client *monitors;
    struct sw_pub *pub; /* wake-ups: billing.payment_failed, billing.subscription_canceled */
    struct billing_sync *sync;
    struct sw_ticker *expiry;   /* ends bank-transfer periods (bank_transfer.c) */
    int bank_transfer_check_ms; /* SW_BILLING_BANK_TRANSFER_CHECK_MS: its period */
};

/* Advisory lock class of billing.outbox's sequence (others: docs/ARCHITECTURE.md). */
#define BILLING_LOCK_OUTBOX "727100006"

/* billing.ListEventsSince: the outbox feed (webhook.c). */
sw_rpc_handler_fn billing_list_events;

/* The plans sold (ids shared with sw-tenants' tenancy.plan_limits). */
#define BILLING_PLAN_FREE "free"
#define BILLING_PLAN_PRO "pro"
/* The subscription status of a tenant that never subscribed. */
#define BILLING_STATUS_NONE "free"

/* Statuses a tenant keeps Pro with. */
#define BILLING_LIVE_STATUSES "('trialing', 'active', 'past_due')"

/* SQL: the plan a subscription status `status` gives. */
#define BILLING_PLAN_OF(status)                                                                    \
    "CASE WHEN " status " IN " BILLING_LIVE_STATUSES " THEN '" BILLING_PLAN_PRO                    \
    "' ELSE '" BILLING_PLAN_FREE "' END"

/*
 * The tenant's effective subscription first: a live one with the newest
 * version, else the newest of the others (see docs/BILLING.md, "Ordering").
 */
#define BILLING_EFFECTIVE_ORDER                                                                    \
    " ORDER BY status IN " BILLING_LIVE_STATUSES " DESC, v_created DESC, v_source DESC,"           \
    " v_rank DESC, current_period_end DESC NULLS LAST, id DESC"

/*
 * The tenant's effective subscription as one row (plan, status,
 * current_period_end in epoch ms or NULL, cancel_at_period_end), or no row
 * for a tenant that never subscribed (on the free plan).
 */
int billing_effective_subscription(PGconn *db, const char *tenant_id, PGresult **out);

/* Handlers (request types in proto/billing.proto). */
sw_rpc_handler_fn billing_list_plans;
sw_rpc_handler_fn billing_get_subscription;
sw_rpc_handler_fn billing_list_invoices;
sw_rpc_handler_fn billing_create_checkout;
sw_rpc_handler_fn billing_create_portal;
sw_rpc_handler_fn billing_webhook;

/*
 * Calls to sw-tenants and sw-monitors (peers.c). Each returns sw_rpc_call's
 * code (0 when the reply is OK, the negated status when refused, SW_EUNAVAIL
 * when nothing answered); where a reply is read, *out points into res, which
 * the caller frees with sw_rpc_result_free() whatever the code.
 */
int billing_tenants_get(struct billing_service *svc, const struct sw_rpc_meta *meta,
                        const char *tenant_id, struct sw_rpc_result *res,
                        const Sw__Tenants__Tenant **out);
int billing_tenants_list_plan_limits(struct billing_service *svc, const struct sw_rpc_meta *meta,
                                     struct sw_rpc_result *res,
                                     const Sw__Tenants__ListPlanLimitsReply **out);
/* tenants.SetPlan (versioned); *out is the tenant as it now is, with its limits. */
int billing_tenants_set_plan(struct billing_service *svc, const struct sw_rpc_meta *meta,
                             const char *tenant_id, const char *plan, const char *status,
                             long long version, struct sw_rpc_result *res,
                             const Sw__Tenants__Tenant **out);
/* monitors.ApplyPlanLimit with the tenant's endpoint limit (absent: unlimited). */
int billing_monitors_apply_plan_limit(struct billing_service *svc, const struct sw_rpc_meta *meta,
                                      const Sw__Tenants__Tenant *tenant);

/*
 * Applies one verified, newly recorded event inside the caller's transaction.
 * Sets tenant_id (37 bytes; "" when no tenant was found) and *outcome (a static
 * string), and
 * *plan_owed when the tenant's desired plan changed.
 */
int billing_apply_event(PGconn *db, json_t *event, char *tenant_id, const char **outcome,
                        bool *plan_owed);

/*
 * Recomputes the tenant's desired plan from its effective subscription into
 * billing.tenant_sync (inside the caller's transaction); *owed when it
 * differs from the last one, so a push is due (billing_sync_wake).
 */
int billing_update_desired_plan(PGconn *db, const char *tenant_id, bool *owed);

/* Status ranks for the version tie-break; -1 for an unknown status. */
int billing_subscription_rank(const char *status);
int billing_invoice_rank(const char *status);

/* Plan sync (sync.c). */
int billing_sync_start(struct billing_service *svc, struct billing_sync **out);
void billing_sync_stop(struct billing_sync *sync);
/* Has the sync thread push owed plans now (after a webhook committed one). */
void billing_sync_wake(struct billing_sync *sync);

/*
 * Staff (api.md "Staff"; bank_transfer.c, reports.c; requests in
 * proto/staff.proto). A confirmed bank transfer is a payment, a paid invoice
 * and a period of the tenant's bank-transfer subscription (id
 * BILLING_BANK_TRANSFER_PREFIX + tenant id, v_source BILLING_SOURCE_BANK_TRANSFER),
 * which the expiry job ends when it is over.
 */
#define BILLING_BANK_TRANSFER_PREFIX "bank_transfer:"
#define BILLING_SOURCE_BANK_TRANSFER "3"
/* Advisory lock class of one tenant's bank-transfer periods (confirmation, expiry). */
#define BILLING_LOCK_BANK_TRANSFER "727100007"
sw_rpc_handler_fn billing_confirm_bank_transfer;
sw_rpc_handler_fn billing_staff_revenue;
sw_rpc_handler_fn billing_staff_churn;
/*
 * The job that ends bank-transfer periods, every SW_BILLING_BANK_TRANSFER_CHECK_MS
 * [60000]: the ticker svc->expiry (sw_ticker_stop stops it).
 */
int billing_expiry_start(struct billing_service *svc);

#endif
