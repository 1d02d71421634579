/*
 * What a delivery says, in each channel's wire format: an RFC 5322 e-mail
 * (multipart/alternative, text and HTML from templates/, every inserted
 * value escaped for its part and header injection impossible), a Slack
 * incoming-webhook body, or the webhook's JSON. Pure functions of the
 * delivery; no I/O.
 */
#ifndef NOTIFY_MESSAGE_H
#define NOTIFY_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_buf.h"

#define NOTIFY_DIGEST_MAX 200

/* One alert as a message shows it. */
struct notify_alert_view {
    const char *id, *type, *severity, *title, *message, *endpoint_id, *created_at;
    const char *endpoint_name, *endpoint_url, *error;
};

/* Everything a message of one delivery needs (borrowed strings). */
struct notify_message {
    const char *delivery_id;
    const char *event_id;   /* the webhook's id and StatusWatch-Event-Id */
    const char *event_type; /* an alert type, "digest" or "test" */
    const char *created_at; /* the event's time, ISO-8601 */
    const char *tenant_id, *tenant_name;
    const char *channel_name;
    const char *endpoint_json; /* the endpoint as GET returns it, or NULL */
    const char *app_url;
    struct notify_alert_view alert;        /* unless a digest or test */
    const struct notify_alert_view *items; /* a digest's alerts */
    size_t n_items;
};

/* The e-mail as sent over SMTP (CRLF line ends), into out. */
int notify_email(const struct notify_message *m, const char *from, const char *to,
                 struct sw_buf *out);
/* An account e-mail of another service (notify.SendMail): plain text, as given. */
int notify_plain_email(const char *delivery_id, const char *from, const char *to,
                       const char *subject, const char *text, struct sw_buf *out);
/* The Slack incoming-webhook body. */
int notify_slack(const struct notify_message *m, struct sw_buf *out);
/* The webhook body {id, type, created_at, tenant, endpoint, alert[, alerts]}. */
int notify_webhook(const struct notify_message *m, struct sw_buf *out);

/* text with &, <, >, " and ' as HTML entities, appended to out. */
void notify_escape_html(struct sw_buf *out, const char *text);

#endif
