/*
 * The "Endpoints (monitors)" routes. JSON members are type-checked here and
 * carried to sw-monitors in an EndpointInput (presence kept, so PATCH knows
 * what was sent); ranges, URLs and plan limits are judged by sw-monitors.
 * Nulls of the contract travel as sentinels (see proto/monitors.proto) and
 * become JSON null again on the way out.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "http.h"
#include "monitors.pb-c.h"

static json_t *int_or_null(int value, int null_value)
{
    return value == null_value ? json_null() : json_integer(value);
}

static json_t *percent_or_null(double value)
{
    return value < 0 ? json_null() : json_real(value);
}

static json_t *endpoint_json(const Sw__Monitors__Endpoint *e)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "id", json_string(e->id));
    json_object_set_new(obj, "name", json_string(e->name));
    json_object_set_new(obj, "url", json_string(e->url));
    json_object_set_new(obj, "method", json_string(e->method));
    json_object_set_new(obj, "interval_seconds", json_integer(e->interval_seconds));
    json_object_set_new(obj, "timeout_ms", json_integer(e->timeout_ms));
    json_object_set_new(obj, "expected_status", int_or_null(e->expected_status, 0));
    json_object_set_new(obj, "keyword", gw_text_or_null(e->keyword));
    json_object_set_new(obj, "status", json_string(e->status));
    json_object_set_new(obj, "last_checked_at", gw_text_or_null(e->last_checked_at));
    json_object_set_new(obj, "last_latency_ms", int_or_null(e->last_latency_ms, -1));
    json_object_set_new(obj, "last_status_code", int_or_null(e->last_status_code, -1));
    json_object_set_new(obj, "last_error", gw_text_or_null(e->last_error));
    json_object_set_new(obj, "uptime_24h", percent_or_null(e->uptime_24h));
    json_object_set_new(obj, "created_at", json_string(e->created_at));
    json_object_set_new(obj, "retry_interval_seconds", json_integer(e->retry_interval_seconds));
    json_object_set_new(obj, "failure_threshold", json_integer(e->failure_threshold));
    json_object_set_new(obj, "success_threshold", json_integer(e->success_threshold));
    json_object_set_new(obj, "paused", json_boolean(e->paused));
    json_object_set_new(obj, "tls_expires_at", gw_text_or_null(e->tls_expires_at));
    json_object_set_new(obj, "paused_by_plan", json_boolean(e->paused_by_plan));
    return obj;
}

/* Reads an integer member into *value (clamped to int32 so that range errors read well). */
static void read_int(json_t *doc, const char *key, bool nullable, protobuf_c_boolean *has,
                     int32_t *value, json_t *errors)
{
    json_t *v = json_object_get(doc, key);
    if (!v)
        return;
    if (json_is_null(v) && nullable) {
        *has = 1;
        *value = 0;
        return;
    }
    if (!json_is_integer(v)) {
        gw_field_error(errors, key,
                       json_is_null(v) ? "This field may not be null."
                                       : "A valid integer is required.");
        return;
    }
    json_int_t n = json_integer_value(v);
    *has = 1;
    *value = n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : (int32_t)n;
    /* 0 means "null" on the wire; a literal 0 is out of every range, keep it so. */
    if (*value == 0)
        *value = INT_MIN;
}

/* Reads a string member; NULL stays "absent". A null becomes "" when nullable. */
static void read_text(json_t *doc, const char *key, bool nullable, char **out, json_t *errors)
{
    json_t *v = json_object_get(doc, key);
    if (!v)
        return;
    if (json_is_null(v) && nullable) {
        *out = "";
        return;
    }
    if (!json_is_string(v)) {
        gw_field_error(errors, key,
                       json_is_null(v) ? "This field may not be null." : "Not a valid string.");
        return;
    }
    *out = (char *)json_string_value(v);
}

/*
 * Reads the body into *input (strings borrowed from *doc). Returns -1 after
 * answering 400/413/415; the caller then has nothing to free.
 */
static int read_input(struct gw_request *req, json_t **doc, Sw__Monitors__EndpointInput *input)
{
    if (gw_read_json(req, doc) != 0)
        return -1;
    json_t *errors = json_object();
    read_text(*doc, "url", false, &input->url, errors);
    read_text(*doc, "name", true, &input->name, errors);
    read_text(*doc, "method", false, &input->method, errors);
    read_text(*doc, "keyword", true, &input->keyword, errors);
    read_int(*doc, "interval_seconds", false, &input->has_interval_seconds,
             &input->interval_seconds, errors);
    read_int(*doc, "timeout_ms", false, &input->has_timeout_ms, &input->timeout_ms, errors);
    read_int(*doc, "expected_status", true, &input->has_expected_status, &input->expected_status,
             errors);
    read_int(*doc, "retry_interval_seconds", false, &input->has_retry_interval_seconds,
             &input->retry_interval_seconds, errors);
    read_int(*doc, "failure_threshold", false, &input->has_failure_threshold,
             &input->failure_threshold, errors);
    read_int(*doc, "success_threshold", false, &input->has_success_threshold,
             &input->success_threshold, errors);
    json_t *paused = json_object_get(*doc, "paused");
    if (paused && !json_is_boolean(paused)) {
        gw_field_error(errors, "paused", "Must be a valid boolean.");
    } else if (paused) {
        input->has_paused = 1;
        input->paused = json_is_true(paused);
    }
    if (json_object_size(errors) > 0) {
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        json_decref(*doc);
        *doc = NULL;
        return -1;
    }
    json_decref(errors);
    return 0;
}

static void send_endpoint(struct gw_request *req, int status, const struct sw_rpc_result *res)
{
    const Sw__Monitors__EndpointReply *out = (Sw__Monitors__EndpointReply *)res->body;
    gw_send_json(req, status, endpoint_json(out->endpoint));
}

void gw_endpoints_create(struct gw_request *req)
{
    json_t *doc = NULL;
    Sw__Monitors__EndpointInput input = SW__MONITORS__ENDPOINT_INPUT__INIT;
    if (read_input(req, &doc, &input) != 0)
        return;
    Sw__Monitors__CreateEndpointRequest msg = SW__MONITORS__CREATE_ENDPOINT_REQUEST__INIT;
    msg.input = &input;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.CreateEndpoint", &msg.base,
                &sw__monitors__endpoint_reply__descriptor, &res) == 0) {
        send_endpoint(req, 201, &res);
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

static void update(struct gw_request *req, bool replace)
{
    json_t *doc = NULL;
    Sw__Monitors__EndpointInput input = SW__MONITORS__ENDPOINT_INPUT__INIT;
    if (read_input(req, &doc, &input) != 0)
        return;
    Sw__Monitors__UpdateEndpointRequest msg = SW__MONITORS__UPDATE_ENDPOINT_REQUEST__INIT;
    msg.id = req->path_id;
    msg.input = &input;
    msg.replace = replace;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.UpdateEndpoint", &msg.base,
                &sw__monitors__endpoint_reply__descriptor, &res) == 0) {
        send_endpoint(req, 200, &res);
        sw_rpc_result_free(&res);
    }
    json_decref(doc);
}

void gw_endpoints_replace(struct gw_request *req) { update(req, true); }
void gw_endpoints_patch(struct gw_request *req) { update(req, false); }

void gw_endpoints_get(struct gw_request *req)
{
    Sw__Monitors__GetEndpointRequest msg = SW__MONITORS__GET_ENDPOINT_REQUEST__INIT;
    msg.id = req->path_id;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.GetEndpoint", &msg.base,
                &sw__monitors__endpoint_reply__descriptor, &res) == 0) {
        send_endpoint(req, 200, &res);
        sw_rpc_result_free(&res);
    }
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

void gw_endpoints_list(struct gw_request *req)
{
    long page = 1, page_size = 20;
    if (gw_page_params(req, &page, &page_size) != 0)
        return;
    Sw__Monitors__ListEndpointsRequest msg = SW__MONITORS__LIST_ENDPOINTS_REQUEST__INIT;
    msg.page = (int32_t)page;
    msg.page_size = (int32_t)page_size;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.ListEndpoints", &msg.base,
                &sw__monitors__list_endpoints_reply__descriptor, &res) != 0)
        return;
    const Sw__Monitors__ListEndpointsReply *out = (Sw__Monitors__ListEndpointsReply *)res.body;
    json_t *results = json_array();
    for (size_t i = 0; i < out->n_endpoints; i++)
        json_array_append_new(results, endpoint_json(out->endpoints[i]));
    gw_send_page(req, "/api/endpoints/", page, page_size, out->count, results);
    sw_rpc_result_free(&res);
}

static json_t *check_json(const Sw__Monitors__CheckResult *c)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "checked_at", json_string(c->checked_at));
    json_object_set_new(obj, "ok", json_boolean(c->ok));
    json_object_set_new(obj, "status_code", int_or_null(c->status_code, -1));
    json_object_set_new(obj, "latency_ms", int_or_null(c->latency_ms, -1));
    json_object_set_new(obj, "dns_ms", int_or_null(c->dns_ms, -1));
    json_object_set_new(obj, "connect_ms", int_or_null(c->connect_ms, -1));
    json_object_set_new(obj, "tls_ms", int_or_null(c->tls_ms, -1));
    json_object_set_new(obj, "ttfb_ms", int_or_null(c->ttfb_ms, -1));
    json_object_set_new(obj, "error", gw_text_or_null(c->error));
    return obj;
}

void gw_endpoints_checks(struct gw_request *req)
{
    long limit = 0;
    if (gw_query_int(req, "limit", &limit) < 0 || limit > 500) {
        json_t *errors = json_object();
        gw_field_error(errors, "limit", "Enter a whole number from 1 to 500.");
        gw_send_error(req, 400, "invalid", "Invalid input.", errors);
        return;
    }
    Sw__Monitors__ListChecksRequest msg = SW__MONITORS__LIST_CHECKS_REQUEST__INIT;
    msg.id = req->path_id;
    msg.limit = (int32_t)limit;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.ListChecks", &msg.base,
                &sw__monitors__list_checks_reply__descriptor, &res) != 0)
        return;
    const Sw__Monitors__ListChecksReply *out = (Sw__Monitors__ListChecksReply *)res.body;
    json_t *list = json_array();
    for (size_t i = 0; i < out->n_checks; i++)
        json_array_append_new(list, check_json(out->checks[i]));
    gw_send_json(req, 200, list);
    sw_rpc_result_free(&res);
}

void gw_endpoints_uptime(struct gw_request *req)
{
    Sw__Monitors__UptimeRequest msg = SW__MONITORS__UPTIME_REQUEST__INIT;
    msg.id = req->path_id;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.Uptime", &msg.base,
                &sw__monitors__uptime_reply__descriptor, &res) != 0)
        return;
    const Sw__Monitors__UptimeReply *out = (Sw__Monitors__UptimeReply *)res.body;
    gw_send_json(req, 200,
                 json_pack("{s:o, s:o, s:o, s:o, s:o}", "uptime_24h",
                           percent_or_null(out->uptime_24h), "uptime_7d",
                           percent_or_null(out->uptime_7d), "uptime_30d",
                           percent_or_null(out->uptime_30d), "latency_p50_ms",
                           int_or_null(out->latency_p50_ms, -1), "latency_p95_ms",
                           int_or_null(out->latency_p95_ms, -1)));
    sw_rpc_result_free(&res);
}
