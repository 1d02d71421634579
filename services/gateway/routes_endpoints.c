/*
 * The "Endpoints (monitors)" routes. JSON members are type-checked
 * (endpoint_input.c) and carried to sw-monitors in an EndpointInput with
 * their presence (absent, null and a value stay three things, so PATCH knows
 * what was sent); ranges, URLs and plan limits are judged by sw-monitors.
 * Answers are written with sw_json_writer.h straight from the reply (a page
 * of 50 endpoints built as a jansson tree cost more than everything else the
 * gateway does for it); an absent optional field is JSON null, and instants
 * (epoch ms) are formatted here as ISO-8601 UTC with milliseconds.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_input.h"
#include "gateway.h"
#include "http.h"
#include "monitors.pb-c.h"
#include "status.pb-c.h"
#include "sw_endpoint_json.h"
#include "sw_json_writer.h"
#include "sw_region.h"
#include "sw_time.h"

/* Sends what j holds and frees it. */
static void send_written(struct gw_request *req, int status, struct sw_jw *j)
{
    size_t len = 0;
    const char *body = sw_jw_text(j, &len);
    gw_send_json_text(req, status, body, len);
    sw_jw_free(j);
}

/*
 * Reads the body into *body. Returns -1 after answering 400/413/415; the
 * caller then has nothing to free. Otherwise json_decref(body->doc) when done.
 */
static int read_input(struct gw_request *req, struct gw_endpoint_body *body)
{
    body->doc = NULL;
    json_t *doc = NULL;
    if (gw_read_json(req, &doc) != 0)
        return -1;
    json_t *errors = json_object();
    gw_endpoint_body_read(body, doc, errors);
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        json_decref(body->doc);
        return -1;
    }
    json_decref(errors);
    return 0;
}

static void send_endpoint(struct gw_request *req, int status,
                          const Sw__Monitors__EndpointReply *out)
{
    struct sw_jw j;
    sw_jw_init(&j);
    sw_endpoint_json(&j, out->endpoint, req->gw->app_url);
    send_written(req, status, &j);
}

static void answer_created(struct gw_request *req, const struct gw_exchange *x)
{
    send_endpoint(req, 201, x->reply);
}

static void answer_endpoint(struct gw_request *req, const struct gw_exchange *x)
{
    send_endpoint(req, 200, x->reply);
}

/* POST (create), PUT (update, replace: every field) or PATCH (update) of an endpoint. */
static void save(struct gw_request *req, bool update, bool replace)
{
    struct gw_endpoint_body body;
    if (read_input(req, &body) != 0)
        return;
    Sw__Monitors__CreateEndpointRequest create = SW__MONITORS__CREATE_ENDPOINT_REQUEST__INIT;
    Sw__Monitors__UpdateEndpointRequest change = SW__MONITORS__UPDATE_ENDPOINT_REQUEST__INIT;
    create.input = change.input = &body.input;
    change.id = req->path_id;
    change.replace = replace;
    gw_call_answer(req, SW_SVC_MONITORS,
                   update ? "monitors.UpdateEndpoint" : "monitors.CreateEndpoint",
                   update ? &change.base : &create.base, &sw__monitors__endpoint_reply__descriptor,
                   0, update ? answer_endpoint : answer_created);
    json_decref(body.doc);
}

void gw_endpoints_create(struct gw_request *req) { save(req, false, false); }
void gw_endpoints_replace(struct gw_request *req) { save(req, true, true); }
void gw_endpoints_patch(struct gw_request *req) { save(req, true, false); }

void gw_endpoints_get(struct gw_request *req)
{
    Sw__Monitors__GetEndpointRequest msg = SW__MONITORS__GET_ENDPOINT_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_MONITORS, "monitors.GetEndpoint", &msg.base,
                   &sw__monitors__endpoint_reply__descriptor, 0, answer_endpoint);
}

void gw_endpoints_delete(struct gw_request *req)
{
    Sw__Monitors__DeleteEndpointRequest msg = SW__MONITORS__DELETE_ENDPOINT_REQUEST__INIT;
    msg.id = req->path_id;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.DeleteEndpoint", &msg.base, NULL, &res) == 0) {
        gw_send(req, 204, "application/json", "", 0, "Cache-Control: no-store\r\n");
        sw_rpc_result_free(&res);
    }
}

static void answer_list(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Monitors__ListEndpointsRequest *msg = x->request;
    const Sw__Monitors__ListEndpointsReply *out = x->reply;
    long page = msg->page, page_size = msg->page_size;
    char link[GW_PAGE_LINK_MAX];
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_object_begin(&j);
    sw_jw_field_int(&j, "count", out->count);
    if (page * page_size < out->count)
        gw_page_link(req, "/api/endpoints/", page + 1, page_size, link, sizeof link);
    sw_jw_field_text(&j, "next", page * page_size < out->count ? link : NULL);
    if (page > 1)
        gw_page_link(req, "/api/endpoints/", page - 1, page_size, link, sizeof link);
    sw_jw_field_text(&j, "previous", page > 1 ? link : NULL);
    sw_jw_key(&j, "results");
    sw_jw_array_begin(&j);
    for (size_t i = 0; i < out->n_endpoints; i++)
        sw_endpoint_json(&j, out->endpoints[i], req->gw->app_url);
    sw_jw_array_end(&j);
    sw_jw_object_end(&j);
    send_written(req, 200, &j);
}

void gw_endpoints_list(struct gw_request *req)
{
    Sw__Monitors__ListEndpointsRequest msg = SW__MONITORS__LIST_ENDPOINTS_REQUEST__INIT;
    gw_call_page(req, SW_SVC_MONITORS, "monitors.ListEndpoints", &msg.base, &msg.page,
                 &msg.page_size, &sw__monitors__list_endpoints_reply__descriptor, answer_list);
}

static void check_json(struct sw_jw *j, const Sw__Monitors__CheckResult *c)
{
    sw_jw_object_begin(j);
    sw_jw_field_time_or_null(j, "checked_at", 1, c->checked_unix_ms);
    sw_jw_field_bool(j, "ok", c->ok);
    sw_jw_field_int_or_null(j, "status_code", c->has_status_code, c->status_code);
    sw_jw_field_int_or_null(j, "latency_ms", c->has_latency_ms, c->latency_ms);
    sw_jw_field_int_or_null(j, "dns_ms", c->has_dns_ms, c->dns_ms);
    sw_jw_field_int_or_null(j, "connect_ms", c->has_connect_ms, c->connect_ms);
    sw_jw_field_int_or_null(j, "tls_ms", c->has_tls_ms, c->tls_ms);
    sw_jw_field_int_or_null(j, "ttfb_ms", c->has_ttfb_ms, c->ttfb_ms);
    sw_jw_field_text(j, "error", c->error);
    sw_jw_field_text(j, "region", c->region ? c->region : SW_REGION_DEFAULT);
    sw_jw_object_end(j);
}

/*
 * ?limit= as an integer (clamped to int32), leaving its range to sw-monitors:
 * 1 when given, 0 when absent, -1 after answering 400 for a non-integer.
 */
static int checks_limit(struct gw_request *req, int32_t *out)
{
    const char *qs = req->ri->query_string;
    char text[32];
    int n = qs ? mg_get_var(qs, strlen(qs), "limit", text, sizeof text) : -1;
    if (n == -1)
        return 0;
    char *end = NULL;
    bool digits = n > 0 && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'));
    long long value = digits ? strtoll(text, &end, 10) : 0;
    if (!digits || *end != '\0') {
        json_t *errors = json_object();
        gw_field_error(errors, "limit", "A valid integer is required.");
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        return -1;
    }
    *out = value > INT_MAX ? INT_MAX : value < INT_MIN ? INT_MIN : (int32_t)value;
    return 1;
}

static void answer_checks(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Monitors__ListChecksReply *out = x->reply;
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_array_begin(&j);
    for (size_t i = 0; i < out->n_checks; i++)
        check_json(&j, out->checks[i]);
    sw_jw_array_end(&j);
    send_written(req, 200, &j);
}

void gw_endpoints_checks(struct gw_request *req)
{
    Sw__Monitors__ListChecksRequest msg = SW__MONITORS__LIST_CHECKS_REQUEST__INIT;
    msg.id = req->path_id;
    int given = checks_limit(req, &msg.limit);
    if (given < 0)
        return;
    msg.has_limit = given > 0;
    gw_call_answer(req, SW_SVC_MONITORS, "monitors.ListChecks", &msg.base,
                   &sw__monitors__list_checks_reply__descriptor, 0, answer_checks);
}

static void answer_uptime(struct gw_request *req, const struct gw_exchange *x)
{
    const Sw__Monitors__UptimeReply *out = x->reply;
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_object_begin(&j);
    sw_jw_field_real_or_null(&j, "uptime_24h", out->has_uptime_24h, out->uptime_24h);
    sw_jw_field_real_or_null(&j, "uptime_7d", out->has_uptime_7d, out->uptime_7d);
    sw_jw_field_real_or_null(&j, "uptime_30d", out->has_uptime_30d, out->uptime_30d);
    sw_jw_field_int_or_null(&j, "latency_p50_ms", out->has_latency_p50_ms, out->latency_p50_ms);
    sw_jw_field_int_or_null(&j, "latency_p95_ms", out->has_latency_p95_ms, out->latency_p95_ms);
    sw_jw_object_end(&j);
    send_written(req, 200, &j);
}

void gw_endpoints_uptime(struct gw_request *req)
{
    Sw__Monitors__UptimeRequest msg = SW__MONITORS__UPTIME_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_MONITORS, "monitors.Uptime", &msg.base,
                   &sw__monitors__uptime_reply__descriptor, 0, answer_uptime);
}

void gw_regions_list(struct gw_request *req)
{
    Sw__Monitors__ListRegionsRequest msg = SW__MONITORS__LIST_REGIONS_REQUEST__INIT;
    gw_call_answer(req, SW_SVC_MONITORS, "monitors.ListRegions", &msg.base,
                   &sw__status__object_reply__descriptor, 0, gw_answer_object);
}
