/*
 * sw-notify: in-app alerts, notification channels (e-mail, Slack, signed
 * webhooks), settings and the delivery log, for one tenant per call.
 *
 * Events come from the producers' outboxes (monitors, billing), read with
 * ListEventsSince after a cursor kept in notify.cursors; PUB messages only
 * wake the reader (ingest.c). Each event becomes an alert and one delivery
 * row per channel that wants it, planned against the debounce and storm
 * rules (plan.c), in the transaction that moves the cursor. The sender
 * (send.c) claims due rows with FOR UPDATE SKIP LOCKED and sends them with
 * libcurl's multi interface on its own thread, never on an RPC worker.
 * docs/NOTIFICATIONS.md has the design.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "sw_cidr.h"
#include "sw_config.h"
#include "sw_rpc.h"

#define NOTIFY_PATH_MAX 600

/* The six alert types, each a channel may want. */
#define NOTIFY_TYPES                                                                               \
    "endpoint_down", "endpoint_up", "certificate_expiring", "payment_failed",                      \
        "subscription_canceled", "plan_limit_reached"
#define NOTIFY_N_TYPES 6
/* The SQL array of every type (a channel's default events). */
#define NOTIFY_ALL_TYPES_SQL                                                                       \
    "ARRAY['endpoint_down','endpoint_up','certificate_expiring','payment_failed',"                 \
    "'subscription_canceled','plan_limit_reached']"

#define NOTIFY_DEBOUNCE_DEFAULT 15
#define NOTIFY_DEBOUNCE_MAX 1440
#define NOTIFY_STORM_DEFAULT 5
#define NOTIFY_STORM_MAX 1000

/* Settings read once at start-up (docs/NOTIFICATIONS.md, "Settings"). */
struct notify_settings {
    char smtp_url[SW_URL_MAX];      /* SW_SMTP_URL; "" writes .eml files */
    char smtp_from[256];            /* SW_SMTP_FROM */
    char mail_dir[NOTIFY_PATH_MAX]; /* var/mail */
    char app_url[SW_URL_MAX];       /* FRONTEND_URL: links in messages */
    int poll_ms;                    /* outbox poll without a wake-up */
    int hold_ms;                    /* a delivery waits this long for a storm to gather */
    int retry_max_ms;               /* the longest back-off between attempts */
    int give_up_ms;                 /* retrying stops this long after the first attempt */
    int timeout_ms;                 /* one attempt */
    int minute_ms;             /* the minute of debounce windows and storms (tests shorten it) */
    struct sw_cidr_list allow; /* SW_CHECKER_ALLOW_CIDRS */
};

int notify_settings_load(const struct sw_config *cfg, struct notify_settings *s);

struct sw_metric;
struct sw_sub;
struct sw_ticker;

/* Shared by the workers (ctx->service); read-only after start-up. */
struct notify_service {
    struct sw_config cfg;
    struct notify_settings settings;
    struct sw_rpc_client *peer[SW_SVC_COUNT]; /* monitors, billing, tenants (internal caller) */
    struct sw_ticker *ingest;                 /* ingest.c's thread */
    struct sw_ticker *sender;                 /* send.c's thread */
    /* metrics.c: attempts counted by send.c, the queue read at scrape time */
    struct sw_metric *deliveries, *attempt_seconds, *queue_gauge, *queue_lag_gauge;
};

/* Registers sw-notify's own metrics in svc->cfg.metrics (none without one). */
int notify_metrics_start(struct notify_service *svc);

/* The deadline of sw-notify's own calls to other services (off the RPC workers). */
#define NOTIFY_RPC_TIMEOUT_MS 3000

/* A tenant's name and schema (schema may be NULL), asked from sw-tenants. */
int notify_tenant_info(struct notify_service *svc, const char *tenant_id, char *name,
                       size_t name_size, char *schema, size_t schema_size);
/* 0 when the caller is an owner or admin; otherwise the reply is failed (403). */
int notify_caller_manages(const struct sw_rpc_ctx *ctx, struct sw_reply *reply);

/* Handlers (alerts.c, channels.c, prefs.c). */
sw_rpc_handler_fn notify_list_alerts;
sw_rpc_handler_fn notify_read_alert;
sw_rpc_handler_fn notify_read_all;
sw_rpc_handler_fn notify_resolve_alert;
sw_rpc_handler_fn notify_count_unread;
sw_rpc_handler_fn notify_list_channels;
sw_rpc_handler_fn notify_create_channel;
sw_rpc_handler_fn notify_update_channel;
sw_rpc_handler_fn notify_delete_channel;
sw_rpc_handler_fn notify_test_channel;
sw_rpc_handler_fn notify_get_settings;
sw_rpc_handler_fn notify_put_settings;
sw_rpc_handler_fn notify_send_mail;
sw_rpc_handler_fn notify_list_log;

/* subscribers.c: status-page subscribers (proto/status.proto). */
sw_rpc_handler_fn notify_subscribe;
sw_rpc_handler_fn notify_confirm_subscription;
sw_rpc_handler_fn notify_unsubscribe;
sw_rpc_handler_fn notify_list_subscribers;
/* Whether an outbox event of this type is for status-page subscribers (statuspage.*). */
bool notify_subscriber_event(const char *type);
/*
 * Stores event (producer, seq) once and queues one e-mail per confirmed
 * subscriber of the pages it names, in the caller's transaction; *planned
 * when any was queued.
 */
int notify_subscribers_plan(PGconn *db, const struct notify_settings *s, const char *producer,
                            const char *seq, const char *tenant_id, const char *type,
                            const char *payload_json, bool *planned);

/* The outbox reader (ingest.c) on a thread and connection of its own: svc->ingest. */
int notify_ingest_start(struct notify_service *svc);

/*
 * Plans the deliveries of stored event `event_id` (plan.c), in the caller's
 * transaction: one row per enabled channel of the tenant that wants the
 * type, sent, debounced or grouped into a digest.
 */
int notify_plan_event(PGconn *db, const struct notify_settings *s, const char *event_id);
/* Releases the held state of debounce windows that have closed (plan.c); how many were sent. */
int notify_plan_close_windows(PGconn *db, const struct notify_settings *s);

/* The sender (send.c) on a thread and connection of its own: svc->sender. */
int notify_sender_start(struct notify_service *svc);

#endif
