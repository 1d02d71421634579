/*
 * Subscribers of public status pages (api.md "Status pages, incidents,
 * maintenance"): double opt-in by e-mail, an unsubscribe link in every
 * message, and their messages on sw-notify's delivery path.
 *
 * A subscription names a slug; sw-monitors says which public page it is
 * (monitors.ResolveStatusSlug), so an unknown slug and a private page are
 * the same 404. The subscribe form is limited per client address
 * (SW_RATE_LIMIT_SUBSCRIBE_PER_HOUR, 3) in notify.rate_hits, counted on
 * every attempt. A confirmation link lives 48 hours.
 *
 * sw-monitors' statuspage.* outbox events (an incident's update, a
 * maintenance scheduled) name the public pages concerned; ingest.c stores
 * each event once and notify_subscribers_plan() turns it, in the same
 * transaction, into one delivery per confirmed subscriber of those pages
 * (UNIQUE (event_id, subscriber_id)), each an e-mail the sender sends,
 * retries and logs like every other (notify.direct_mail).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "status.pb-c.h"
#include "sw_buf.h"
#include "sw_email.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_ratelimit.h"
#include "sw_rows.h"
#include "sw_status.h"

#define RATE_TABLE "notify.rate_hits"
#define TOKEN_BYTES 32
#define TOKEN_MAX 64
#define CONFIRM_HOURS "48"
#define MESSAGE_MAX (64u << 10)

/* ---- helpers --------------------------------------------------------------- */

/* A call of the worker to sw-monitors within the request's deadline. */
static int call_monitors(struct sw_rpc_ctx *ctx, const char *method, const ProtobufCMessage *msg,
                         const ProtobufCMessageDescriptor *desc, struct sw_rpc_result *res)
{
    struct notify_service *svc = ctx->service;
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    long long left = sw_rpc_ms_left(ctx->env);
    int timeout = left < NOTIFY_RPC_TIMEOUT_MS ? (int)left : NOTIFY_RPC_TIMEOUT_MS;
    return sw_rpc_call(svc->peer[SW_SVC_MONITORS], &meta, method, msg, desc,
                       timeout > 0 ? timeout : 1, res);
}

static void not_found(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_NOT_FOUND, NULL, "Not found.");
}

/* A failed call to sw-monitors as this reply: its NOT_FOUND, or unavailable. */
static void monitors_failed(struct sw_reply *reply, int rc)
{
    if (rc == -SW_NOT_FOUND)
        not_found(reply);
    else
        sw_reply_fail(reply, SW_UNAVAILABLE, "service_unavailable",
                      "A service is temporarily unavailable. Please retry.");
}

/* A tenant's text for a plain-text message: control characters (but newlines) as spaces. */
static void put_text(struct sw_buf *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        unsigned char c = (*p < 0x20 && *p != '\n') || *p == 0x7F ? ' ' : *p;
        sw_buf_append(out, &c, 1);
    }
}

/* Queues one account-style e-mail (the sender's direct mail) for subscriber `id`. */
static int queue_mail(PGconn *db, const char *tenant_id, const char *subscriber_id, const char *to,
                      const char *subject, const char *text)
{
    return sw_pg_exec(
        db,
        "WITH d AS (INSERT INTO notify.deliveries (tenant_id, event_type, status,"
        " subscriber_id) VALUES ($1::uuid, 'subscription_confirm', 'pending', $2::uuid)"
        " RETURNING id) INSERT INTO notify.direct_mail (delivery_id, to_address,"
        " subject, body) SELECT id, $3, $4, $5 FROM d",
        5, (const char *[]){tenant_id, subscriber_id, to, subject, text});
}

/* ---- POST /api/public/status/{slug}/subscribe/ --------------------------- */

static int subscribe_limit(void)
{
    int n = 3;
    if (sw_env_int("SW_RATE_LIMIT_SUBSCRIBE_PER_HOUR", 3, 1, 100000, &n) != 0)
        n = 3;
    return n;
}

/*
 * Stores the subscription as pending with a new confirmation token and mails
 * the link; a confirmed subscriber is left as is (and nothing says so).
 */
static int subscribe(struct notify_service *svc, PGconn *db,
                     const Sw__Status__ResolveSlugReply *page, const char *email)
{
    char token[TOKEN_MAX], unsubscribe[TOKEN_MAX];
    if (sw_random_token(TOKEN_BYTES, token, sizeof token) != 0 ||
        sw_random_token(TOKEN_BYTES, unsubscribe, sizeof unsubscribe) != 0)
        return SW_EINTERNAL;
    PGresult *res = NULL;
    int rc = sw_pg_query(
        db,
        "INSERT INTO notify.subscribers AS s (tenant_id, page_id, email, confirm_hash,"
        " confirm_expires_at, unsubscribe_token)"
        " VALUES ($1::uuid, $2::uuid, $3, sha256(convert_to($4, 'UTF8')),"
        " now() + interval '" CONFIRM_HOURS " hours', $5)"
        " ON CONFLICT (page_id, email) DO UPDATE SET state = 'pending',"
        " confirm_hash = EXCLUDED.confirm_hash, confirm_expires_at = EXCLUDED.confirm_expires_at"
        " WHERE s.state <> 'confirmed' RETURNING id",
        5, (const char *[]){page->tenant_id, page->page_id, email, token, unsubscribe}, &res);
    if (rc == 0 && PQntuples(res) == 1) {
        char subject[320];
        snprintf(subject, sizeof subject, "Confirm your subscription to %.250s", page->title);
        struct sw_buf text;
        sw_buf_init(&text, MESSAGE_MAX);
        sw_buf_append_str(&text, "Someone, hopefully you, asked to receive the status updates of ");
        put_text(&text, page->title);
        sw_buf_appendf(&text,
                       " at this address.\n\nConfirm the subscription (the link works for %s"
                       " hours):\n%s/status/%s/confirm?token=%s\n\nIf it was not you, ignore"
                       " this message: nothing will be sent to you.\n",
                       CONFIRM_HOURS, svc->settings.app_url, page->slug, token);
        rc = text.data
                 ? queue_mail(db, page->tenant_id, PQgetvalue(res, 0, 0), email, subject, text.data)
                 : SW_EINTERNAL;
        sw_buf_free(&text);
    }
    PQclear(res);
    return rc;
}

void notify_subscribe(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__SubscribeRequest *req = request;
    char client[64];
    sw_rate_client_key(ctx->env->client_ip, client, sizeof client);
    const struct sw_rate_rule rule = {"status_subscribe", subscribe_limit(), 3600};
    struct sw_rate_state rate;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = sw_rate_take(ctx->db, RATE_TABLE, &rule, client, &rate);
    rc = sw_pg_end(ctx->db, rc);
    if (rc) {
        sw_reply_fail_rc(reply, rc);
        return;
    }
    sw_reply_rate(reply, &rate);
    if (!sw_reply_ok(reply))
        return;
    const char *bad = sw_email_problem(req->email);
    if (bad) {
        sw_reply_field(reply, "email", bad);
        return;
    }
    char email[320];
    snprintf(email, sizeof email, "%s", req->email);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');

    Sw__Status__ResolveSlugRequest msg = SW__STATUS__RESOLVE_SLUG_REQUEST__INIT;
    msg.slug = req->slug;
    struct sw_rpc_result res;
    rc = call_monitors(ctx, "monitors.ResolveStatusSlug", &msg.base,
                       &sw__status__resolve_slug_reply__descriptor, &res);
    if (rc) {
        monitors_failed(reply, rc);
    } else {
        rc = sw_pg_begin(ctx->db);
        if (rc == 0)
            rc = subscribe(ctx->service, ctx->db, (const Sw__Status__ResolveSlugReply *)res.body,
                           email);
        rc = sw_pg_end(ctx->db, rc);
        if (sw_reply_fail_rc(reply, rc) == 0) {
            Sw__Status__ObjectReply out = SW__STATUS__OBJECT_REPLY__INIT;
            out.json = "{}";
            sw_reply_body(reply, &out.base);
        }
    }
    sw_rpc_result_free(&res);
}

/* ---- confirm and unsubscribe ---------------------------------------------- */

static void token_step(struct sw_rpc_ctx *ctx, const Sw__Status__TokenRequest *req,
                       struct sw_reply *reply, const char *sql)
{
    if (!req->token[0] || strlen(req->token) >= TOKEN_MAX) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_token", "This link is not valid.");
        return;
    }
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, sql, 1, (const char *[]){req->token}, &res);
    if (rc == 0 && PQntuples(res) == 0) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_token",
                      "This link is not valid or has expired.");
    } else if (sw_reply_fail_rc(reply, rc) == 0) {
        Sw__Status__ObjectReply out = SW__STATUS__OBJECT_REPLY__INIT;
        out.json = PQgetvalue(res, 0, 0);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}

void notify_confirm_subscription(struct sw_rpc_ctx *ctx, const void *request,
                                 struct sw_reply *reply)
{
    token_step(ctx, request, reply,
               "UPDATE notify.subscribers SET state = 'confirmed', confirmed_at = now(),"
               " confirm_hash = NULL, confirm_expires_at = NULL"
               " WHERE confirm_hash = sha256(convert_to($1, 'UTF8')) AND state = 'pending'"
               " AND confirm_expires_at > now()"
               " RETURNING json_build_object('state', state, 'email', email)::text");
}

void notify_unsubscribe(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    token_step(ctx, request, reply,
               "UPDATE notify.subscribers SET state = 'unsubscribed',"
               " unsubscribed_at = coalesce(unsubscribed_at, now()), confirm_hash = NULL"
               " WHERE unsubscribe_token = $1"
               " RETURNING json_build_object('state', state, 'email', email)::text");
}

/* ---- GET /api/status-pages/{id}/subscribers/ (owners and admins) --------- */

void notify_list_subscribers(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ListRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    struct sw_rows_page page;
    if (!tenant || notify_caller_manages(ctx, reply) != 0 ||
        !sw_rows_page_or_fail(req->page, req->page_size, &page, reply))
        return;
    /* The page must be the caller's tenant's: sw-monitors knows. */
    Sw__Status__IdRequest msg = SW__STATUS__ID_REQUEST__INIT;
    msg.id = req->id ? req->id : "";
    struct sw_rpc_result res;
    int rc = call_monitors(ctx, "monitors.GetStatusPage", &msg.base, NULL, &res);
    sw_rpc_result_free(&res);
    if (rc) {
        monitors_failed(reply, rc);
        return;
    }
    PGresult *rows = NULL;
    rc = sw_pg_query(ctx->db,
                     "SELECT json_build_object('id', id, 'email', email, 'state', state,"
                     " 'created_at', to_char(created_at AT TIME ZONE 'UTC',"
                     " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))::text, count(*) OVER ()"
                     " FROM notify.subscribers WHERE tenant_id = $1::uuid AND page_id = $2::uuid"
                     " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
                     4, (const char *[]){tenant, msg.id, page.limit, page.offset}, &rows);
    int n = rc == 0 ? PQntuples(rows) : 0;
    if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else if (req->page > 1 && n == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
    } else {
        char **items = calloc(n ? (size_t)n : 1, sizeof *items);
        if (items) {
            for (int i = 0; i < n; i++)
                items[i] = PQgetvalue(rows, i, 0);
            Sw__Status__ListReply out = SW__STATUS__LIST_REPLY__INIT;
            out.count = n ? sw_pg_int(rows, 0, 1) : 0;
            out.n_items = (size_t)n;
            out.items = items;
            sw_reply_body(reply, &out.base);
            free(items);
        } else {
            sw_reply_fail_rc(reply, SW_EINTERNAL);
        }
    }
    PQclear(rows);
}

/* ---- events → messages --------------------------------------------------- */

bool notify_subscriber_event(const char *type) { return strncmp(type, "statuspage.", 11) == 0; }

static const char *member(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Placeholders replaced per subscriber in SQL (never in a tenant's text: put_text strips them). */
#define PAGE_MARK "\x01P"
#define SLUG_MARK "\x01S"
#define TOKEN_MARK "\x01T"

/* Subject and text of an event's message, with the marks above. */
static int compose(const struct notify_settings *s, const char *type, json_t *payload,
                   struct sw_buf *subject, struct sw_buf *text)
{
    bool maintenance = strcmp(type, "statuspage.maintenance") == 0;
    sw_buf_append_str(subject, "[" PAGE_MARK "] ");
    if (maintenance) {
        sw_buf_append_str(subject, "Scheduled maintenance: ");
        put_text(subject, member(payload, "title"));
        sw_buf_append_str(text, "Maintenance is scheduled on " PAGE_MARK ":\n\n");
        put_text(text, member(payload, "title"));
        sw_buf_appendf(text, "\nFrom %s to %s (UTC).\n", member(payload, "starts_at"),
                       member(payload, "ends_at"));
    } else {
        const char *kind = member(payload, "kind");
        put_text(subject, member(payload, "title"));
        sw_buf_appendf(subject, " (%s)", member(payload, "status"));
        sw_buf_appendf(text, "%s on " PAGE_MARK ":\n\n",
                       strcmp(kind, "opened") == 0     ? "A new incident"
                       : strcmp(kind, "resolved") == 0 ? "An incident is resolved"
                                                       : "An incident was updated");
        put_text(text, member(payload, "title"));
        sw_buf_appendf(text, "\nStatus: %s. Impact: %s. At %s.\n\n", member(payload, "status"),
                       member(payload, "impact"), member(payload, "created_at"));
        put_text(text, member(payload, "message"));
        sw_buf_append_str(text, "\n");
    }
    sw_buf_appendf(text,
                   "\nThe status page: %s/status/" SLUG_MARK "\n"
                   "Unsubscribe: %s/status/" SLUG_MARK "/unsubscribe?token=" TOKEN_MARK "\n",
                   s->app_url, s->app_url);
    return subject->data && text->data ? 0 : SW_EINTERNAL;
}

int notify_subscribers_plan(PGconn *db, const struct notify_settings *s, const char *producer,
                            const char *seq, const char *tenant_id, const char *type,
                            const char *payload_json, bool *planned)
{
    json_t *payload = json_loads(payload_json, 0, NULL);
    if (!payload)
        return 0; /* nothing to tell anyone */
    struct sw_buf subject, text;
    sw_buf_init(&subject, 4096);
    sw_buf_init(&text, MESSAGE_MAX);
    int rc = compose(s, type, payload, &subject, &text);
    long long queued = 0;
    if (rc == 0)
        rc = sw_pg_query_int(
            db,
            "WITH ev AS (INSERT INTO notify.events (producer, seq, tenant_id, type, payload)"
            "   VALUES ($1, $2::bigint, $3::uuid, $4, $5::jsonb)"
            "   ON CONFLICT (producer, seq) DO NOTHING RETURNING id),"
            " pages AS (SELECT * FROM jsonb_to_recordset($5::jsonb -> 'pages')"
            "   AS p(id uuid, slug text, title text)),"
            " subs AS (SELECT sub.id, sub.email, sub.unsubscribe_token, p.slug, p.title"
            "   FROM notify.subscribers sub JOIN pages p ON p.id = sub.page_id"
            "   WHERE sub.tenant_id = $3::uuid AND sub.state = 'confirmed'),"
            " d AS (INSERT INTO notify.deliveries (tenant_id, event_id, event_type, status,"
            "   subscriber_id) SELECT $3::uuid, ev.id, $4, 'pending', subs.id FROM ev, subs"
            "   ON CONFLICT (event_id, subscriber_id) WHERE subscriber_id IS NOT NULL DO NOTHING"
            "   RETURNING id, subscriber_id),"
            " m AS (INSERT INTO notify.direct_mail (delivery_id, to_address, subject, body)"
            "   SELECT d.id, subs.email, replace($6, E'\\x01P', subs.title),"
            "   replace(replace(replace($7, E'\\x01P', subs.title), E'\\x01S', subs.slug),"
            "   E'\\x01T', subs.unsubscribe_token) FROM d JOIN subs ON subs.id = d.subscriber_id"
            "   RETURNING 1)"
            " SELECT count(*) FROM m",
            7,
            (const char *[]){producer, seq, tenant_id, type, payload_json, subject.data, text.data},
            &queued);
    if (rc == 0 && queued > 0)
        *planned = true;
    sw_buf_free(&subject);
    sw_buf_free(&text);
    json_decref(payload);
    return rc;
}
