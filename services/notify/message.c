#include "message.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_embedded.h"
#include "sw_json_writer.h"
#include "sw_status.h"

extern const struct sw_embedded notify_tpl_files[];

#define MAX_MESSAGE_BYTES (1u << 20)

struct var {
    const char *key;
    const char *value;
    bool raw; /* already in the part's form (HTML built here) */
};

void notify_escape_html(struct sw_buf *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': sw_buf_append_str(out, "&amp;"); break;
        case '<': sw_buf_append_str(out, "&lt;"); break;
        case '>': sw_buf_append_str(out, "&gt;"); break;
        case '"': sw_buf_append_str(out, "&quot;"); break;
        case '\'': sw_buf_append_str(out, "&#39;"); break;
        default: sw_buf_append(out, p, 1);
        }
    }
}

/* text with its control characters (a tenant's CR, ESC, …) as spaces; newlines kept or not. */
static void without_controls(struct sw_buf *out, const char *text, bool keep_newlines)
{
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        bool control = (*p < 0x20 && !(keep_newlines && *p == '\n')) || *p == 0x7F;
        unsigned char c = control ? ' ' : *p;
        sw_buf_append(out, &c, 1);
    }
}

/* text for a plain-text part. */
static void escape_text(struct sw_buf *out, const char *text) { without_controls(out, text, true); }

/* Appends template `name` with each {{key}} replaced, escaped for html or text. */
static int render(struct sw_buf *out, const char *name, const struct var *vars, size_t n, bool html)
{
    const char *tpl = sw_embedded_find(notify_tpl_files, name);
    if (!tpl)
        return SW_EINTERNAL;
    for (const char *p = tpl; *p;) {
        const char *open = strstr(p, "{{"), *close = open ? strstr(open, "}}") : NULL;
        if (!close) {
            sw_buf_append_str(out, p);
            break;
        }
        sw_buf_append(out, p, (size_t)(open - p));
        size_t key_len = (size_t)(close - open - 2);
        for (size_t i = 0; i < n; i++)
            if (strlen(vars[i].key) == key_len && strncmp(vars[i].key, open + 2, key_len) == 0) {
                if (vars[i].raw)
                    sw_buf_append_str(out, vars[i].value ? vars[i].value : "");
                else if (html)
                    notify_escape_html(out, vars[i].value);
                else
                    escape_text(out, vars[i].value);
            }
        p = close + 2;
    }
    return 0;
}

/* A header value, on one line. */
static void header_text(struct sw_buf *out, const char *text)
{
    without_controls(out, text, false);
}

/* A Subject: as is when printable ASCII, else RFC 2047 base64 words. */
static void subject_header(struct sw_buf *out, const char *text)
{
    struct sw_buf clean;
    sw_buf_init(&clean, 4096);
    header_text(&clean, text);
    const char *s = clean.data ? clean.data : "";
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        ascii = ascii && *p < 0x80;
    sw_buf_append_str(out, "Subject: ");
    if (ascii) {
        sw_buf_append_str(out, s);
    } else {
        /* 45 bytes a word keep each encoded word under 76 characters. */
        size_t len = strlen(s);
        for (size_t at = 0; at < len;) {
            size_t take = len - at > 45 ? 45 : len - at;
            while (take > 1 && at + take < len && ((unsigned char)s[at + take] & 0xC0) == 0x80)
                take--; /* never split a UTF-8 sequence */
            unsigned char b64[64];
            EVP_EncodeBlock(b64, (const unsigned char *)s + at, (int)take);
            sw_buf_appendf(out, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", (const char *)b64);
            at += take;
        }
    }
    sw_buf_append_str(out, "\r\n");
    sw_buf_free(&clean);
}

/* LF → CRLF (templates are stored with LF). */
static void crlf(struct sw_buf *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '\n' && (p == text || p[-1] != '\r'))
            sw_buf_append_str(out, "\r\n");
        else
            sw_buf_append(out, p, 1);
    }
}

static const char *severity_colour(const char *severity)
{
    if (severity && strcmp(severity, "critical") == 0)
        return "#dc2626";
    if (severity && strcmp(severity, "warning") == 0)
        return "#d97706";
    return "#2563eb";
}

static bool is_digest(const struct notify_message *m)
{
    return strcmp(m->event_type, "digest") == 0;
}

static bool is_test(const struct notify_message *m) { return strcmp(m->event_type, "test") == 0; }

/* The message's title (subject, Slack headline). */
static void title_of(const struct notify_message *m, char *out, size_t size)
{
    if (is_digest(m))
        snprintf(out, size, "%zu changes on your endpoints", m->n_items);
    else if (is_test(m))
        snprintf(out, size, "Test message from StatusWatch");
    else
        snprintf(out, size, "%s", m->alert.title ? m->alert.title : "");
}

/* The link to the endpoint's page, or to the alerts page. */
static void link_of(const struct notify_message *m, char *out, size_t size)
{
    if (!is_digest(m) && m->alert.endpoint_id && m->alert.endpoint_id[0])
        snprintf(out, size, "%s/endpoints/%s", m->app_url, m->alert.endpoint_id);
    else
        snprintf(out, size, "%s/alerts", m->app_url);
}

/* Renders the text or HTML part of m into out. */
static int render_part(const struct notify_message *m, bool html, struct sw_buf *out)
{
    char title[400], link[2300], settings[2200], count[16];
    title_of(m, title, sizeof title);
    link_of(m, link, sizeof link);
    snprintf(settings, sizeof settings, "%s/notifications", m->app_url);
    snprintf(count, sizeof count, "%zu", m->n_items);
    struct sw_buf items;
    sw_buf_init(&items, MAX_MESSAGE_BYTES);
    for (size_t i = 0; i < m->n_items; i++) {
        const struct notify_alert_view *a = &m->items[i];
        if (html) {
            sw_buf_append_str(&items, "<li>");
            notify_escape_html(&items, a->title);
            sw_buf_append_str(&items, " <span style=\"color: #64748b;\">");
            notify_escape_html(&items, a->created_at);
            sw_buf_append_str(&items, "</span></li>\n");
        } else {
            sw_buf_append_str(&items, "- ");
            escape_text(&items, a->title);
            sw_buf_append_str(&items, " (");
            escape_text(&items, a->created_at);
            sw_buf_append_str(&items, ")\n");
        }
    }
    const char *message = is_test(m) ? "This is a test message: the channel works."
                                     : m->alert.message;
    const struct var vars[] = {
        {"title", title, false},
        {"message", message, false},
        {"severity", is_test(m) ? "info" : m->alert.severity, false},
        {"severity_colour", severity_colour(m->alert.severity), true},
        {"endpoint_name", m->alert.endpoint_name ? m->alert.endpoint_name : "-", false},
        {"endpoint_url", m->alert.endpoint_url ? m->alert.endpoint_url : "-", false},
        {"time", m->created_at, false},
        {"error", m->alert.error && m->alert.error[0] ? m->alert.error : "-", false},
        {"link", link, false},
        {"settings_link", settings, false},
        {"channel_name", m->channel_name, false},
        {"tenant_name", m->tenant_name, false},
        {"count", count, false},
        {"items", items.data ? items.data : "", true},
    };
    const char *name = is_digest(m) ? (html ? "digest.html" : "digest.txt")
                                    : (html ? "alert.html" : "alert.txt");
    int rc = render(out, name, vars, sizeof vars / sizeof vars[0], html);
    sw_buf_free(&items);
    return rc;
}

/* The bare address of "Name <addr>" or of "addr". */
static void bare_address(const char *text, char *out, size_t size)
{
    const char *lt = strchr(text, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt)
        snprintf(out, size, "%.*s", (int)(gt - lt - 1), lt + 1);
    else
        snprintf(out, size, "%s", text);
}

/* From, To, Subject and Message-ID of a delivery's e-mail. */
static void mail_headers(struct sw_buf *out, const char *from, const char *to, const char *subject,
                         const char *delivery_id)
{
    char domain[256], from_addr[256];
    bare_address(from, from_addr, sizeof from_addr);
    const char *at = strchr(from_addr, '@');
    snprintf(domain, sizeof domain, "%s", at ? at + 1 : "statuswatch.invalid");
    sw_buf_append_str(out, "From: ");
    header_text(out, from);
    sw_buf_append_str(out, "\r\nTo: ");
    header_text(out, to);
    sw_buf_append_str(out, "\r\n");
    subject_header(out, subject);
    sw_buf_appendf(out, "Message-ID: <%s@%s>\r\n", delivery_id, domain);
}

int notify_email(const struct notify_message *m, const char *from, const char *to,
                 struct sw_buf *out)
{
    char title[400], boundary[80];
    title_of(m, title, sizeof title);
    snprintf(boundary, sizeof boundary, "sw-%s", m->delivery_id);
    mail_headers(out, from, to, title, m->delivery_id);
    if (m->event_id)
        sw_buf_appendf(out, "X-StatusWatch-Event-Id: %s\r\n", m->event_id);
    sw_buf_appendf(out,
                   "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n"
                   "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n\r\n",
                   boundary, boundary);
    struct sw_buf part;
    sw_buf_init(&part, MAX_MESSAGE_BYTES);
    int rc = render_part(m, false, &part);
    crlf(out, part.data);
    sw_buf_reset(&part);
    sw_buf_appendf(out,
                   "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n\r\n",
                   boundary);
    if (rc == 0)
        rc = render_part(m, true, &part);
    crlf(out, part.data);
    sw_buf_appendf(out, "\r\n--%s--\r\n", boundary);
    sw_buf_free(&part);
    return rc;
}

int notify_plain_email(const char *delivery_id, const char *from, const char *to,
                       const char *subject, const char *text, struct sw_buf *out)
{
    mail_headers(out, from, to, subject, delivery_id);
    sw_buf_append_str(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\n\r\n");
    struct sw_buf body;
    sw_buf_init(&body, MAX_MESSAGE_BYTES);
    escape_text(&body, text);
    crlf(out, body.data);
    sw_buf_free(&body);
    return sw_buf_append_str(out, "\r\n");
}

/* Slack's mrkdwn needs &, < and > escaped (https://api.slack.com/reference/surfaces/formatting). */
static void slack_escape(struct sw_buf *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '&')
            sw_buf_append_str(out, "&amp;");
        else if (*p == '<')
            sw_buf_append_str(out, "&lt;");
        else if (*p == '>')
            sw_buf_append_str(out, "&gt;");
        else
            sw_buf_append(out, p, 1);
    }
}

int notify_slack(const struct notify_message *m, struct sw_buf *out)
{
    char title[400], link[2300];
    title_of(m, title, sizeof title);
    link_of(m, link, sizeof link);
    struct sw_buf text;
    sw_buf_init(&text, MAX_MESSAGE_BYTES);
    sw_buf_append_str(&text, "*");
    slack_escape(&text, title);
    sw_buf_append_str(&text, "*\n");
    if (is_digest(m)) {
        for (size_t i = 0; i < m->n_items; i++) {
            sw_buf_append_str(&text, "• ");
            slack_escape(&text, m->items[i].title);
            sw_buf_append_str(&text, "\n");
        }
    } else {
        slack_escape(&text,
                     is_test(m) ? "This is a test message: the channel works." : m->alert.message);
        sw_buf_append_str(&text, "\n");
    }
    sw_buf_append_str(&text, "<");
    slack_escape(&text, link);
    sw_buf_append_str(&text, "|Open in StatusWatch>");
    json_t *body = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}]}", "text", title, "blocks", "type",
                             "section", "text", "type", "mrkdwn", "text",
                             text.data ? text.data : "");
    char *json = body ? json_dumps(body, JSON_COMPACT) : NULL;
    int rc = json ? sw_buf_append_str(out, json) : SW_EINTERNAL;
    free(json);
    json_decref(body);
    sw_buf_free(&text);
    return rc;
}

static void alert_object(struct sw_jw *j, const struct notify_alert_view *a)
{
    sw_jw_object_begin(j);
    sw_jw_field_text(j, "id", a->id);
    sw_jw_field_text(j, "type", a->type);
    sw_jw_field_text(j, "severity", a->severity);
    sw_jw_field_text(j, "title", a->title);
    sw_jw_field_text(j, "message", a->message);
    sw_jw_field_text(j, "endpoint_id", a->endpoint_id);
    sw_jw_key(j, "related");
    sw_jw_null(j);
    sw_jw_field_text(j, "created_at", a->created_at);
    sw_jw_field_text(j, "read_at", NULL);
    sw_jw_field_text(j, "resolved_at", NULL);
    sw_jw_object_end(j);
}

int notify_webhook(const struct notify_message *m, struct sw_buf *out)
{
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_object_begin(&j);
    sw_jw_field_text(&j, "id", m->event_id);
    sw_jw_field_text(&j, "type", m->event_type);
    sw_jw_field_text(&j, "created_at", m->created_at);
    sw_jw_key(&j, "tenant");
    sw_jw_object_begin(&j);
    sw_jw_field_text(&j, "id", m->tenant_id);
    sw_jw_field_text(&j, "name", m->tenant_name);
    sw_jw_object_end(&j);
    sw_jw_key(&j, "endpoint");
    if (m->endpoint_json && m->endpoint_json[0])
        sw_jw_raw(&j, m->endpoint_json, strlen(m->endpoint_json));
    else
        sw_jw_null(&j);
    sw_jw_key(&j, "alert");
    if (is_digest(m) || is_test(m))
        sw_jw_null(&j);
    else
        alert_object(&j, &m->alert);
    if (is_digest(m)) {
        sw_jw_key(&j, "alerts");
        sw_jw_array_begin(&j);
        for (size_t i = 0; i < m->n_items; i++)
            alert_object(&j, &m->items[i]);
        sw_jw_array_end(&j);
    }
    sw_jw_object_end(&j);
    size_t len = 0;
    const char *text = sw_jw_text(&j, &len);
    int rc = text ? sw_buf_append(out, text, len) : SW_EINTERNAL;
    sw_jw_free(&j);
    return rc;
}
