/*
 * The "Alerts and notifications" routes, answered by sw-notify for the
 * caller's tenant (read state for the calling user). JSON members are
 * type-checked here; ranges, addresses and roles are judged by sw-notify.
 */
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "http.h"
#include "notify.pb-c.h"
#include "sw_time.h"

static json_t *time_or_null(protobuf_c_boolean has, int64_t unix_ms)
{
    char iso[SW_TIME_ISO_MAX];
    return has ? json_string(sw_time_iso_ms(unix_ms, iso)) : json_null();
}

static json_t *alert_json(const void *item)
{
    const Sw__Notify__Alert *a = item;
    json_t *related = a->related_json ? json_loads(a->related_json, 0, NULL) : NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", a->id, "type",
                     a->type, "severity", a->severity, "title", a->title, "message", a->message,
                     "endpoint_id", gw_text_or_null(a->endpoint_id), "related",
                     related ? related : json_null(), "created_at",
                     time_or_null(1, a->created_unix_ms), "read_at",
                     time_or_null(a->has_read_unix_ms, a->read_unix_ms), "resolved_at",
                     time_or_null(a->has_resolved_unix_ms, a->resolved_unix_ms));
}

void gw_alerts_list(struct gw_request *req)
{
    Sw__Notify__ListAlertsRequest msg = SW__NOTIFY__LIST_ALERTS_REQUEST__INIT;
    char unread[8] = "", type[64] = "";
    if (gw_query_text(req, "unread", unread, sizeof unread) > 0)
        msg.has_unread = 1, msg.unread = strcmp(unread, "1") == 0 || strcmp(unread, "true") == 0;
    if (gw_query_text(req, "type", type, sizeof type) > 0 && type[0])
        msg.type = type;
    gw_call_page_of(req, SW_SVC_NOTIFY, "notify.ListAlerts", &msg.base, &msg.page, &msg.page_size,
                    &sw__notify__list_alerts_reply__descriptor, "/api/alerts/", alert_json);
}

static void answer_alert(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 200, alert_json(((const Sw__Notify__AlertReply *)x->reply)->alert));
}

static void alert_call(struct gw_request *req, const char *method)
{
    Sw__Notify__AlertRequest msg = SW__NOTIFY__ALERT_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_NOTIFY, method, &msg.base, &sw__notify__alert_reply__descriptor, 0,
                   answer_alert);
}

void gw_alerts_read(struct gw_request *req) { alert_call(req, "notify.ReadAlert"); }
void gw_alerts_resolve(struct gw_request *req) { alert_call(req, "notify.ResolveAlert"); }

static void answer_read_all(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Notify__ReadAllAlertsReply *out = x->reply;
    gw_send_json(req, 200, json_pack("{s:I}", "updated", (json_int_t)out->updated));
}

void gw_alerts_read_all(struct gw_request *req)
{
    Sw__Notify__ReadAllAlertsRequest msg = SW__NOTIFY__READ_ALL_ALERTS_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_NOTIFY, "notify.ReadAllAlerts", &msg.base,
                   &sw__notify__read_all_alerts_reply__descriptor, 0, answer_read_all);
}

/* ---- channels ------------------------------------------------------------ */

static json_t *channel_json(const void *item)
{
    const Sw__Notify__Channel *c = item;
    json_t *events = json_array();
    for (size_t i = 0; i < c->n_events; i++)
        json_array_append_new(events, json_string(c->events[i]));
    json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:o}", "id", c->id, "kind", c->kind,
                            "name", c->name, "target", c->target, "events", events, "enabled",
                            c->enabled, "created_at", time_or_null(1, c->created_unix_ms));
    if (c->secret)
        json_object_set_new(obj, "secret", json_string(c->secret));
    return obj;
}

void gw_channels_list(struct gw_request *req)
{
    Sw__Notify__ListChannelsRequest msg = SW__NOTIFY__LIST_CHANNELS_REQUEST__INIT;
    gw_call_page_of(req, SW_SVC_NOTIFY, "notify.ListChannels", &msg.base, &msg.page, &msg.page_size,
                    &sw__notify__list_channels_reply__descriptor, "/api/notifications/channels/",
                    channel_json);
}

/* A channel body; strings and the events array borrowed from doc (the caller frees both). */
struct channel_body {
    json_t *doc;
    Sw__Notify__ChannelInput input;
    char **events;
};

static void read_string(json_t *doc, const char *key, char **out, json_t *errors)
{
    json_t *v = json_object_get(doc, key);
    if (!v)
        return;
    if (!json_is_string(v))
        gw_field_error(errors, key,
                       json_is_null(v) ? "This field may not be null." : "Not a valid string.");
    else
        *out = (char *)json_string_value(v);
}

/* Reads the body; -1 after answering 400/413/415. */
static int read_channel(struct gw_request *req, struct channel_body *b)
{
    *b = (struct channel_body){.input = SW__NOTIFY__CHANNEL_INPUT__INIT};
    if (gw_read_json(req, &b->doc) != 0)
        return -1;
    json_t *errors = json_object(), *doc = b->doc;
    Sw__Notify__ChannelInput *in = &b->input;
    read_string(doc, "kind", &in->kind, errors);
    read_string(doc, "name", &in->name, errors);
    read_string(doc, "target", &in->target, errors);
    json_t *events = json_object_get(doc, "events"), *enabled = json_object_get(doc, "enabled");
    if (events && !json_is_array(events)) {
        gw_field_error(errors, "events", "Expected a list of items.");
    } else if (events) {
        size_t n = json_array_size(events);
        b->events = calloc(n ? n : 1, sizeof *b->events);
        in->events = b->events;
        in->events_given = 1;
        for (size_t i = 0; b->events && i < n; i++) {
            json_t *e = json_array_get(events, i);
            if (!json_is_string(e)) {
                gw_field_error(errors, "events", "Not a valid string.");
                break;
            }
            b->events[in->n_events++] = (char *)json_string_value(e);
        }
    }
    if (enabled && !json_is_boolean(enabled))
        gw_field_error(errors, "enabled", "Must be a valid boolean.");
    else if (enabled)
        in->has_enabled = 1, in->enabled = json_is_true(enabled);
    if (json_object_size(errors)) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        json_decref(doc);
        free(b->events);
        return -1;
    }
    json_decref(errors);
    return 0;
}

static void answer_created(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 201, channel_json(((const Sw__Notify__ChannelReply *)x->reply)->channel));
}

static void answer_channel(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_json(req, 200, channel_json(((const Sw__Notify__ChannelReply *)x->reply)->channel));
}

/* POST (create) or PATCH (update) of a channel; a new one needs a verified e-mail. */
static void save_channel(struct gw_request *req, bool update)
{
    struct channel_body b;
    if ((!update && gw_require_verified_email(req) != 0) || read_channel(req, &b) != 0)
        return;
    Sw__Notify__CreateChannelRequest create = SW__NOTIFY__CREATE_CHANNEL_REQUEST__INIT;
    Sw__Notify__UpdateChannelRequest change = SW__NOTIFY__UPDATE_CHANNEL_REQUEST__INIT;
    create.input = change.input = &b.input;
    change.id = req->path_id;
    gw_call_answer(req, SW_SVC_NOTIFY, update ? "notify.UpdateChannel" : "notify.CreateChannel",
                   update ? &change.base : &create.base, &sw__notify__channel_reply__descriptor, 0,
                   update ? answer_channel : answer_created);
    free(b.events);
    json_decref(b.doc);
}

void gw_channels_create(struct gw_request *req) { save_channel(req, false); }
void gw_channels_update(struct gw_request *req) { save_channel(req, true); }

static void answer_deleted(struct gw_request *req, const struct gw_exchange *x)
{
    (void)x;
    gw_send(req, 204, "application/json", "", 0, "Cache-Control: no-store\r\n");
}

static void answer_queued(struct gw_request *req, const struct gw_exchange *x)
{
    (void)x;
    gw_send_json(req, 202, json_pack("{s:s}", "detail", "A test message is on its way."));
}

static void channel_call(struct gw_request *req, const char *method, gw_answer_fn *answer)
{
    Sw__Notify__ChannelRequest msg = SW__NOTIFY__CHANNEL_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_NOTIFY, method, &msg.base, &sw__notify__empty__descriptor, 0,
                   answer);
}

void gw_channels_delete(struct gw_request *req)
{
    channel_call(req, "notify.DeleteChannel", answer_deleted);
}

void gw_channels_test(struct gw_request *req)
{
    if (gw_require_verified_email(req) == 0)
        channel_call(req, "notify.TestChannel", answer_queued);
}

/* ---- settings and log ---------------------------------------------------- */

static void answer_settings(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Notify__Settings *s = ((const Sw__Notify__SettingsReply *)x->reply)->settings;
    gw_send_json(req, 200,
                 json_pack("{s:i, s:i}", "debounce_minutes", s->debounce_minutes, "storm_threshold",
                           s->storm_threshold));
}

void gw_notify_settings_get(struct gw_request *req)
{
    Sw__Notify__GetSettingsRequest msg = SW__NOTIFY__GET_SETTINGS_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_NOTIFY, "notify.GetSettings", &msg.base,
                   &sw__notify__settings_reply__descriptor, 0, answer_settings);
}

/* An integer member, when present. */
static void read_int(json_t *doc, const char *key, protobuf_c_boolean *has, int32_t *out,
                     json_t *errors)
{
    json_t *v = json_object_get(doc, key);
    if (v && gw_json_int32(v, key, out, errors))
        *has = 1;
}

void gw_notify_settings_put(struct gw_request *req)
{
    json_t *doc = NULL;
    if (gw_read_json(req, &doc) != 0)
        return;
    Sw__Notify__PutSettingsRequest msg = SW__NOTIFY__PUT_SETTINGS_REQUEST__INIT;
    json_t *errors = json_object();
    read_int(doc, "debounce_minutes", &msg.has_debounce_minutes, &msg.debounce_minutes, errors);
    read_int(doc, "storm_threshold", &msg.has_storm_threshold, &msg.storm_threshold, errors);
    if (json_object_size(errors)) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    } else {
        json_decref(errors);
        gw_call_answer(req, SW_SVC_NOTIFY, "notify.PutSettings", &msg.base,
                       &sw__notify__settings_reply__descriptor, 0, answer_settings);
    }
    json_decref(doc);
}

static json_t *delivery_json(const void *item)
{
    const Sw__Notify__Delivery *d = item;
    return json_pack("{s:s, s:o, s:s, s:o, s:s, s:i, s:o, s:o, s:o}", "id", d->id, "channel_id",
                     gw_text_or_null(d->channel_id), "event_type", d->event_type, "endpoint_id",
                     gw_text_or_null(d->endpoint_id), "status", d->status, "attempts", d->attempts,
                     "error", gw_text_or_null(d->error), "created_at",
                     time_or_null(1, d->created_unix_ms), "sent_at",
                     time_or_null(d->has_sent_unix_ms, d->sent_unix_ms));
}

void gw_notify_log(struct gw_request *req)
{
    Sw__Notify__ListLogRequest msg = SW__NOTIFY__LIST_LOG_REQUEST__INIT;
    char channel[64] = "";
    if (gw_query_text(req, "channel", channel, sizeof channel) > 0 && channel[0])
        msg.channel_id = channel;
    gw_call_page_of(req, SW_SVC_NOTIFY, "notify.ListLog", &msg.base, &msg.page, &msg.page_size,
                    &sw__notify__list_log_reply__descriptor, "/api/notifications/log/",
                    delivery_json);
}
