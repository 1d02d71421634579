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
#include "sw_rpc.h"

struct billing_sync;
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
    bool configured; /* a secret key is set */
    bool test_mode;  /* the key is an sk_test_ key */
};

int billing_settings_load(bool production, struct billing_settings *s);

/* Shared by the workers (ctx->service); read-only after start-up. */
struct billing_service {
    struct sw_config cfg;
    struct billing_settings settings;
    struct stripe_conf stripe;
    struct sw_rpc_client *tenants;
    struct sw_rpc_client *monitors;
    struct sw_pub *pub; /* billing.payment_failed */
    struct billing_sync *sync;
};

/* Statuses a tenant keeps Pro with. */
#define BILLING_LIVE_STATUSES "('trialing', 'active', 'past_due')"

/*
 * The tenant's effective subscription first: a live one with the newest
 * version, else the newest of the others (see docs/BILLING.md, "Ordering").
 */
#define BILLING_EFFECTIVE_ORDER                                                           \
    " ORDER BY status IN " BILLING_LIVE_STATUSES " DESC, v_created DESC, v_source DESC,"  \
    " v_rank DESC, current_period_end DESC NULLS LAST, id DESC"

/* Handlers (the RPC methods). */
int billing_list_plans(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                       struct sw_reply *reply);
int billing_get_subscription(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                             struct sw_reply *reply);
int billing_list_invoices(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                          struct sw_reply *reply);
int billing_create_checkout(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                            struct sw_reply *reply);
int billing_create_portal(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                          struct sw_reply *reply);
int billing_webhook(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                    struct sw_reply *reply);

/*
 * Applies one verified, newly recorded event inside the caller's transaction.
 * Sets tenant_id (37 bytes, "" when none) and *outcome (a static string), and
 * *plan_owed when the tenant's desired plan changed.
 */
int billing_apply_event(PGconn *db, json_t *event, char *tenant_id, const char **outcome,
                        bool *plan_owed);

/* Status ranks for the version tie-break; -1 for an unknown status. */
int billing_subscription_rank(const char *status);
int billing_invoice_rank(const char *status);

/* Plan sync (sync.c). */
int billing_sync_start(struct billing_service *svc, struct billing_sync **out);
void billing_sync_stop(struct billing_sync *sync);
/* Has the sync thread push owed plans now (after a webhook committed one). */
void billing_sync_wake(struct billing_sync *sync);

#endif
