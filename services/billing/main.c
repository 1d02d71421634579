/* sw-billing: entry point and shared state. */
#include <stdio.h>
#include <stdlib.h>

#include "billing.h"
#include "billing.pb-c.h"
#include "events.pb-c.h"
#include "staff.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_service.h"
#include "sw_status.h"
#include "sw_ticker.h"

/* The gateway calls sw-billing (the webhook for Stripe, the rest for a verified user); sw-notify
 * reads its outbox. */
static const struct sw_rpc_method METHODS[] = {
    {"billing.ListPlans", &sw__billing__list_plans_request__descriptor, billing_list_plans,
     SW_RPC_PUBLIC},
    {"billing.GetSubscription", &sw__billing__get_subscription_request__descriptor,
     billing_get_subscription, SW_RPC_PUBLIC},
    {"billing.CreateCheckoutSession", &sw__billing__create_checkout_session_request__descriptor,
     billing_create_checkout, SW_RPC_PUBLIC},
    {"billing.CreatePortalSession", &sw__billing__create_portal_session_request__descriptor,
     billing_create_portal, SW_RPC_PUBLIC},
    {"billing.Webhook", &sw__billing__webhook_request__descriptor, billing_webhook, SW_RPC_PUBLIC},
    {"billing.ListInvoices", &sw__billing__list_invoices_request__descriptor, billing_list_invoices,
     SW_RPC_PUBLIC},
    /* The outbox feed, for sw-notify. */
    {"billing.ListEventsSince", &sw__events__list_events_since_request__descriptor,
     billing_list_events, SW_RPC_INTERNAL},
    /* Staff (api.md "Staff"): bank transfers and the reports. */
    {"billing.ConfirmBankTransfer", &sw__staff__confirm_bank_transfer_request__descriptor,
     billing_confirm_bank_transfer, SW_RPC_PUBLIC},
    {"billing.StaffRevenue", &sw__staff__report_range_request__descriptor, billing_staff_revenue,
     SW_RPC_PUBLIC},
    {"billing.StaffChurn", &sw__staff__report_range_request__descriptor, billing_staff_churn,
     SW_RPC_PUBLIC},
};

/* Stores the Pro plan's Stripe price and displayed price (settings win over the seed). */
static int store_prices(PGconn *db, const struct billing_settings *s)
{
    char cents[16];
    snprintf(cents, sizeof cents, "%d", s->pro_price_cents);
    const char *params[] = {s->price_pro[0] ? s->price_pro : NULL, cents};
    return sw_pg_exec(db,
                      "UPDATE billing.plans SET stripe_price_id = $1, price_cents = $2::int"
                      " WHERE id = '" BILLING_PLAN_PRO "'",
                      2, params);
}

static int start(const struct sw_service_env *env, void *service_ctx)
{
    struct billing_service *svc = service_ctx;
    const struct sw_config *cfg = env->cfg;
    svc->cfg = *cfg;
    svc->tenants = env->peer[SW_SVC_TENANTS];
    svc->monitors = env->peer[SW_SVC_MONITORS];
    svc->pub = env->pub;
    int rc = billing_settings_load(cfg->production, &svc->settings);
    svc->stripe = (struct stripe_conf){
        .api_base = svc->settings.api_base,
        .secret_key = svc->settings.secret_key,
        .timeout_ms = svc->settings.stripe_timeout_ms,
        .retries = svc->settings.stripe_retries,
    };
    if (rc == 0)
        rc = store_prices(env->db, &svc->settings);
    if (rc == 0)
        rc = billing_sync_start(svc, &svc->sync);
    if (rc == 0)
        rc = billing_expiry_start(svc);
    return rc;
}

static void stop(void *service_ctx)
{
    struct billing_service *svc = service_ctx;
    sw_ticker_stop(svc->expiry);
    billing_sync_stop(svc->sync);
}

static const enum sw_service_id PEERS[] = {SW_SVC_TENANTS, SW_SVC_MONITORS};

SW_SERVICE_MAIN(billing, .id = SW_SVC_BILLING, .methods = METHODS,
                .n_methods = SW_ARRAY_LEN(METHODS), .peers = PEERS, .n_peers = SW_ARRAY_LEN(PEERS),
                .publishes = true, .ctx_size = sizeof(struct billing_service), .start = start,
                .stop = stop)
