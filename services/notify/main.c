/* sw-notify: entry point and shared state. */
#include <string.h>

#include "notify.h"
#include "notify.pb-c.h"
#include "status.pb-c.h"
#include "sw_pubsub.h"
#include "sw_service.h"
#include "sw_status.h"
#include "sw_ticker.h"

#define REQUEST(msg) &sw__notify__##msg##_request__descriptor
#define STATUS(msg) &sw__status__##msg##_request__descriptor

/* The gateway calls the public methods for a verified user of the tenant. */
static const struct sw_rpc_method METHODS[] = {
    {"notify.ListAlerts", REQUEST(list_alerts), notify_list_alerts, SW_RPC_PUBLIC},
    {"notify.ReadAlert", REQUEST(alert), notify_read_alert, SW_RPC_PUBLIC},
    {"notify.ReadAllAlerts", REQUEST(read_all_alerts), notify_read_all, SW_RPC_PUBLIC},
    {"notify.ResolveAlert", REQUEST(alert), notify_resolve_alert, SW_RPC_PUBLIC},
    {"notify.CountUnread", REQUEST(count_unread), notify_count_unread, SW_RPC_PUBLIC},
    {"notify.ListChannels", REQUEST(list_channels), notify_list_channels, SW_RPC_PUBLIC},
    {"notify.CreateChannel", REQUEST(create_channel), notify_create_channel, SW_RPC_PUBLIC},
    {"notify.UpdateChannel", REQUEST(update_channel), notify_update_channel, SW_RPC_PUBLIC},
    {"notify.DeleteChannel", REQUEST(channel), notify_delete_channel, SW_RPC_PUBLIC},
    {"notify.TestChannel", REQUEST(channel), notify_test_channel, SW_RPC_PUBLIC},
    {"notify.GetSettings", REQUEST(get_settings), notify_get_settings, SW_RPC_PUBLIC},
    {"notify.PutSettings", REQUEST(put_settings), notify_put_settings, SW_RPC_PUBLIC},
    {"notify.ListLog", REQUEST(list_log), notify_list_log, SW_RPC_PUBLIC},
    /* Status-page subscribers: the public form and its links, and the owner's list. */
    {"notify.Subscribe", STATUS(subscribe), notify_subscribe, SW_RPC_PUBLIC},
    {"notify.ConfirmSubscription", STATUS(token), notify_confirm_subscription, SW_RPC_PUBLIC},
    {"notify.Unsubscribe", STATUS(token), notify_unsubscribe, SW_RPC_PUBLIC},
    {"notify.ListSubscribers", STATUS(list), notify_list_subscribers, SW_RPC_PUBLIC},
    /* sw-auth's account e-mails (verification, password reset). */
    {"notify.SendMail", REQUEST(send_mail), notify_send_mail, SW_RPC_INTERNAL},
};

/* Any outbox message: read the outboxes now rather than at the next poll. */
static void on_event(void *arg, const char *topic, const char *payload)
{
    (void)topic;
    (void)payload;
    struct notify_service *svc = arg;
    if (svc->ingest)
        sw_ticker_wake(svc->ingest);
}

static int start(const struct sw_service_env *env, void *service_ctx)
{
    struct notify_service *svc = service_ctx;
    svc->cfg = *env->cfg;
    memcpy(svc->peer, env->peer, sizeof svc->peer);
    int rc = notify_settings_load(env->cfg, &svc->settings);
    if (rc == 0)
        rc = notify_metrics_start(svc);
    if (rc == 0)
        rc = notify_sender_start(svc);
    return rc ? rc : notify_ingest_start(svc);
}

static void stop(void *service_ctx)
{
    struct notify_service *svc = service_ctx;
    sw_ticker_stop(svc->ingest);
    sw_ticker_stop(svc->sender);
}

static const enum sw_service_id PEERS[] = {SW_SVC_MONITORS, SW_SVC_BILLING, SW_SVC_TENANTS};
static const char *const MONITORS_TOPICS[] = {"monitor."};
static const char *const BILLING_TOPICS[] = {"billing."};
static const struct sw_service_sub SUBS[] = {
    {SW_SVC_MONITORS, MONITORS_TOPICS, 1, on_event},
    {SW_SVC_BILLING, BILLING_TOPICS, 1, on_event},
};

SW_SERVICE_MAIN(notify, .id = SW_SVC_NOTIFY, .methods = METHODS, .n_methods = SW_ARRAY_LEN(METHODS),
                .peers = PEERS, .n_peers = SW_ARRAY_LEN(PEERS), .subs = SUBS,
                .n_subs = SW_ARRAY_LEN(SUBS), .ctx_size = sizeof(struct notify_service),
                .start = start, .stop = stop)
