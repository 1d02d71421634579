/*
 * Notification channels of the caller's tenant. Owners and admins change
 * them; every role reads them. A Slack or webhook URL follows the checker's
 * address rules (sw_url_check, no DNS at save time) and must be https://;
 * http:// only for an address SW_CHECKER_ALLOW_CIDRS allows. The sender's
 * guard judges the address actually connected to (send.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "notify.pb-c.h"
#include "sw_audit.h"
#include "sw_email.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_reply.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_text.h"
#include "sw_ticker.h"
#include "sw_time.h"
#include "sw_url.h"

#define NAME_MAX_CHARS 200
#define SECRET_BYTES 24

#define CHANNEL_CREATED_MS SW_TIME_SQL_MS("created_at")
/* Named after the fields of Sw__Notify__Channel, but for the events (column 4, split in C). */
#define CHANNEL_COLUMNS                                                                            \
    "id, kind, name, target, array_to_string(events, ',') AS events_text, enabled,"                \
    " " CHANNEL_CREATED_MS " AS created_unix_ms"
#define CHANNEL_EVENTS_COLUMN 4

static const char *const TYPES[NOTIFY_N_TYPES] = {NOTIFY_TYPES};

/*
 * A channel row and the split of its events (a copy of the row's text, cut in
 * place; a stored channel's events are known types, far shorter than this).
 */
struct channel_row {
    Sw__Notify__Channel msg;
    char events_text[256];
    char *events[NOTIFY_N_TYPES];
};

/* An sw_row_fill for struct channel_row. */
static void channel_fill(const PGresult *res, int row, void *channel_row)
{
    struct channel_row *c = channel_row;
    Sw__Notify__Channel *m = &c->msg;
    sw_rows_fill(res, row, &sw__notify__channel__descriptor, m);
    snprintf(c->events_text, sizeof c->events_text, "%s",
             sw_pg_text(res, row, CHANNEL_EVENTS_COLUMN));
    m->events = c->events;
    for (char *save = NULL, *t = strtok_r(c->events_text, ",", &save);
         t && m->n_events < NOTIFY_N_TYPES; t = strtok_r(NULL, ",", &save))
        c->events[m->n_events++] = t;
}

void notify_list_channels(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ListChannelsRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant)
        return;
    const char *params[] = {tenant};
    Sw__Notify__ListChannelsReply out = SW__NOTIFY__LIST_CHANNELS_REPLY__INIT;
    sw_rows_page_query_fill(reply, ctx->db,
                            "SELECT " CHANNEL_COLUMNS ", count(*) OVER () FROM notify.channels"
                            " WHERE tenant_id = $1::uuid ORDER BY created_at, id"
                            " LIMIT $2::int OFFSET $3::int",
                            1, params, req->page, req->page_size, sizeof(struct channel_row),
                            channel_fill, &out.base);
}

/* The target of a channel of `kind`, normalised into out; a field error otherwise. */
static void check_target(const struct notify_settings *s, const char *kind, const char *text,
                         char *out, size_t out_size, struct sw_reply *reply)
{
    if (strcmp(kind, "email") == 0) {
        if (sw_email_problem(text))
            sw_reply_field(reply, "target", "Enter a valid email address.");
        else
            snprintf(out, out_size, "%s", text);
        return;
    }
    char why[SW_URL_WHY_MAX];
    struct sw_url url;
    if (sw_url_check(text, &s->allow, "notified", &url, why, sizeof why) != 0)
        sw_reply_field(reply, "target", why);
    else if (!url.https && !url.allowed_private)
        sw_reply_field(reply, "target", "The URL must start with https://.");
    else
        snprintf(out, out_size, "%s", url.url);
}

/* The events as an SQL array literal into out ("{a,b}"); a field error otherwise. */
static void check_events(const Sw__Notify__ChannelInput *in, char *out, size_t out_size,
                         struct sw_reply *reply)
{
    bool want[NOTIFY_N_TYPES] = {false};
    if (in->n_events == 0) {
        sw_reply_field(reply, "events", "Choose at least one event.");
        return;
    }
    for (size_t i = 0; i < in->n_events; i++) {
        size_t t = 0;
        while (t < NOTIFY_N_TYPES && strcmp(in->events[i], TYPES[t]) != 0)
            t++;
        if (t == NOTIFY_N_TYPES) {
            sw_reply_field(reply, "events", "Unknown event type.");
            return;
        }
        want[t] = true;
    }
    size_t n = snprintf(out, out_size, "{");
    for (size_t t = 0; t < NOTIFY_N_TYPES; t++)
        if (want[t])
            n += snprintf(out + n, out_size - n, "%s%s", n > 1 ? "," : "", TYPES[t]);
    snprintf(out + n, out_size - n, "}");
}

struct checked_input {
    char target[SW_URL_TEXT_MAX + 1];
    char events[256]; /* "" when not given */
};

/* Checks what was given of `in` for a channel of `kind`; SW_EINVAL with field errors. */
static int check_input(const struct notify_settings *s, const char *kind,
                       const Sw__Notify__ChannelInput *in, struct checked_input *out,
                       struct sw_reply *reply)
{
    memset(out, 0, sizeof *out);
    if (in->name && (in->name[0] == '\0' || sw_utf8_length(in->name) > NAME_MAX_CHARS ||
                     sw_text_has_control(in->name)))
        sw_reply_field(reply, "name", "Enter a name of 1 to 200 characters.");
    if (in->target)
        check_target(s, kind, in->target, out->target, sizeof out->target, reply);
    if (in->events_given)
        check_events(in, out->events, sizeof out->events, reply);
    return sw_reply_ok(reply) ? 0 : SW_EINVAL;
}

/* Answers the channel in res's first row, with secret when given. */
static void reply_channel(const PGresult *res, const char *secret, struct sw_reply *reply)
{
    struct channel_row c;
    channel_fill(res, 0, &c);
    c.msg.secret = (char *)secret;
    Sw__Notify__ChannelReply out = SW__NOTIFY__CHANNEL_REPLY__INIT;
    out.channel = &c.msg;
    sw_reply_body(reply, &out.base);
}

/* A channel as the audit log shows it: never its secret, nor a Slack URL (which is one). */
#define CHANNEL_AUDIT_JSON                                                                         \
    "jsonb_build_object('kind', kind, 'name', name, 'target', CASE WHEN kind = 'slack'"            \
    " THEN '(hidden)' ELSE target END, 'events', events, 'enabled', enabled)::text"

void notify_create_channel(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ChannelInput *in = ((const Sw__Notify__CreateChannelRequest *)request)->input;
    const struct notify_service *svc = ctx->service;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || notify_caller_manages(ctx, reply) != 0)
        return;
    const char *kind = in->kind ? in->kind : "";
    if (strcmp(kind, "email") != 0 && strcmp(kind, "slack") != 0 && strcmp(kind, "webhook") != 0)
        sw_reply_field(reply, "kind", "Choose email, slack or webhook.");
    if (!in->name)
        sw_reply_field(reply, "name", "This field is required.");
    if (!in->target)
        sw_reply_field(reply, "target", "This field is required.");
    struct checked_input checked;
    if (!sw_reply_ok(reply) || check_input(&svc->settings, kind, in, &checked, reply) != 0)
        return;
    char secret[64] = "";
    if (strcmp(kind, "webhook") == 0) {
        char token[48];
        sw_random_token(SECRET_BYTES, token, sizeof token);
        snprintf(secret, sizeof secret, "whsec_%s", token);
    }
    const char *params[] = {tenant,
                            kind,
                            in->name,
                            checked.target,
                            secret[0] ? secret : NULL,
                            checked.events[0] ? checked.events : NULL,
                            in->has_enabled && !in->enabled ? "f" : "t"};
    PGresult *res = NULL;
    const struct sw_audit audit = {.action = "channel.create", .target_type = "channel"};
    int rc = sw_audit_exec(ctx->db, ctx->env, &audit,
                           "INSERT INTO notify.channels (tenant_id, kind, name, target, secret,"
                           " events, enabled) VALUES ($1, $2, $3, $4, $5,"
                           " coalesce($6::text[], " NOTIFY_ALL_TYPES_SQL "), $7::bool)"
                           " RETURNING " CHANNEL_COLUMNS ", id::text AS audit_target,"
                           " " CHANNEL_AUDIT_JSON " AS audit_after",
                           7, params, &res);
    if (rc == 0)
        reply_channel(res, secret[0] ? secret : NULL, reply);
    else
        sw_reply_fail_rc(reply, rc);
    PQclear(res);
}

static void not_found(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
}

void notify_update_channel(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__UpdateChannelRequest *req = request;
    const Sw__Notify__ChannelInput *in = req->input;
    const struct notify_service *svc = ctx->service;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || notify_caller_manages(ctx, reply) != 0)
        return;
    const char *id_params[] = {tenant, req->id};
    PGresult *res = NULL;
    int rc = sw_uuid_valid(req->id)
                 ? sw_pg_query(ctx->db,
                               "SELECT kind FROM notify.channels WHERE tenant_id = $1::uuid"
                               " AND id = $2::uuid",
                               2, id_params, &res)
                 : SW_ENOTFOUND;
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc) {
        if (rc == SW_ENOTFOUND)
            not_found(reply);
        else
            sw_reply_fail_rc(reply, rc);
        PQclear(res);
        return;
    }
    char kind[16];
    snprintf(kind, sizeof kind, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    if (in->kind && strcmp(in->kind, kind) != 0)
        sw_reply_field(reply, "kind", "The kind of a channel cannot change.");
    struct checked_input checked;
    if (!sw_reply_ok(reply) || check_input(&svc->settings, kind, in, &checked, reply) != 0)
        return;
    const char *params[] = {tenant,
                            req->id,
                            in->name,
                            in->target ? checked.target : NULL,
                            checked.events[0] ? checked.events : NULL,
                            in->has_enabled ? (in->enabled ? "t" : "f") : NULL};
    const struct sw_audit audit = {.action = "channel.update", .target_type = "channel"};
    rc = sw_audit_exec(
        ctx->db, ctx->env, &audit,
        "WITH old AS (SELECT " CHANNEL_AUDIT_JSON " AS doc FROM notify.channels"
        " WHERE tenant_id = $1::uuid AND id = $2::uuid)"
        " UPDATE notify.channels SET name = coalesce($3, name),"
        " target = coalesce($4, target), events = coalesce($5::text[], events),"
        " enabled = coalesce($6::bool, enabled)"
        " WHERE tenant_id = $1::uuid AND id = $2::uuid RETURNING " CHANNEL_COLUMNS
        ", id::text AS audit_target, (SELECT doc FROM old) AS audit_before, " CHANNEL_AUDIT_JSON
        " AS audit_after",
        6, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        not_found(reply);
    else if (rc == 0)
        reply_channel(res, NULL, reply);
    else
        sw_reply_fail_rc(reply, rc);
    PQclear(res);
}

/*
 * Runs `sql` ($1 tenant, $2 channel id; a row per channel it acted on, with
 * its audit columns) for an owner or admin, audited as `action`; true when
 * it found the channel, 404 otherwise.
 */
static bool act_on_channel(struct sw_rpc_ctx *ctx, const char *id, const char *action,
                           const char *sql, struct sw_reply *reply)
{
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || notify_caller_manages(ctx, reply) != 0)
        return false;
    const char *params[] = {tenant, id};
    const struct sw_audit audit = {.action = action, .target_type = "channel", .target_id = id};
    PGresult *res = NULL;
    int rc = sw_uuid_valid(id) ? sw_audit_exec(ctx->db, ctx->env, &audit, sql, 2, params, &res) : 0;
    long long found = res ? PQntuples(res) : 0;
    PQclear(res);
    Sw__Notify__Empty out = SW__NOTIFY__EMPTY__INIT;
    if (rc)
        sw_reply_fail_rc(reply, rc);
    else if (found == 0)
        not_found(reply);
    else
        sw_reply_body(reply, &out.base);
    return rc == 0 && found > 0;
}

void notify_delete_channel(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ChannelRequest *req = request;
    act_on_channel(ctx, req->id, "channel.delete",
                   "DELETE FROM notify.channels WHERE tenant_id = $1::uuid AND id = $2::uuid"
                   " RETURNING " CHANNEL_AUDIT_JSON " AS audit_before",
                   reply);
}

/* A test message: a delivery of its own, sent like any other. */
void notify_test_channel(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ChannelRequest *req = request;
    const struct notify_service *svc = ctx->service;
    if (act_on_channel(ctx, req->id, "channel.test",
                       "INSERT INTO notify.deliveries (tenant_id, channel_id, event_type, status)"
                       " SELECT tenant_id, id, 'test', 'pending' FROM notify.channels"
                       " WHERE tenant_id = $1::uuid AND id = $2::uuid RETURNING id",
                       reply))
        sw_ticker_wake(svc->sender);
}
