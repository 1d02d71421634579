/*
 * The endpoint object of the REST contract, written from sw-monitors'
 * message: the gateway's answers and sw-notify's webhook bodies share it, so
 * a client sees one shape wherever an endpoint appears.
 */
#include "sw_endpoint_json.h"

#include <stdio.h>
#include <string.h>

#include "sw_json_writer.h"

/* The ping URL of a heartbeat's token into out; NULL when there is none. */
static const char *ping_url(const char *app_url, const char *token, char *out, size_t size)
{
    if (!token || !token[0])
        return NULL;
    size_t len = strlen(app_url);
    while (len > 0 && app_url[len - 1] == '/')
        len--;
    int n = snprintf(out, size, "%.*s/api/ping/%s/", (int)len, app_url, token);
    return n > 0 && (size_t)n < size ? out : NULL;
}

/* A member whose value is JSON text written by sw-monitors' SQL (`absent` when there is none). */
static void raw_field(struct sw_jw *j, const char *key, const char *json, const char *absent)
{
    const char *value = json ? json : absent;
    sw_jw_key(j, key);
    sw_jw_raw(j, value, strlen(value));
}

void sw_endpoint_json(struct sw_jw *j, const Sw__Monitors__Endpoint *e, const char *app_url)
{
    char ping[1024];
    sw_jw_object_begin(j);
    sw_jw_field_text(j, "id", e->id);
    sw_jw_field_text(j, "name", e->name);
    sw_jw_field_text(j, "url", e->url);
    sw_jw_field_text(j, "method", e->method);
    sw_jw_field_int(j, "interval_seconds", e->interval_seconds);
    sw_jw_field_int(j, "timeout_ms", e->timeout_ms);
    sw_jw_field_int_or_null(j, "expected_status", e->has_expected_status, e->expected_status);
    sw_jw_field_text(j, "keyword", e->keyword);
    sw_jw_field_text(j, "status", e->status);
    sw_jw_field_time_or_null(j, "last_checked_at", e->has_last_checked_unix_ms,
                             e->last_checked_unix_ms);
    sw_jw_field_int_or_null(j, "last_latency_ms", e->has_last_latency_ms, e->last_latency_ms);
    sw_jw_field_int_or_null(j, "last_status_code", e->has_last_status_code, e->last_status_code);
    sw_jw_field_text(j, "last_error", e->last_error);
    sw_jw_field_real_or_null(j, "uptime_24h", e->has_uptime_24h, e->uptime_24h);
    sw_jw_field_time_or_null(j, "created_at", 1, e->created_unix_ms);
    sw_jw_field_int(j, "retry_interval_seconds", e->retry_interval_seconds);
    sw_jw_field_int(j, "failure_threshold", e->failure_threshold);
    sw_jw_field_int(j, "success_threshold", e->success_threshold);
    sw_jw_field_bool(j, "paused", e->paused);
    sw_jw_field_time_or_null(j, "tls_expires_at", e->has_tls_expires_unix_ms,
                             e->tls_expires_unix_ms);
    sw_jw_field_bool(j, "paused_by_plan", e->paused_by_plan);
    sw_jw_field_text(j, "kind", e->kind);
    sw_jw_field_text(j, "record_type", e->record_type);
    sw_jw_field_text(j, "expected_value", e->expected_value);
    sw_jw_field_int_or_null(j, "grace_seconds", e->has_grace_seconds, e->grace_seconds);
    sw_jw_field_text(j, "ping_url", ping_url(app_url, e->ping_token, ping, sizeof ping));
    /* Absent only from an sw-monitors older than the field, which followed every redirect. */
    sw_jw_field_bool(j, "follow_redirects", e->has_follow_redirects ? e->follow_redirects : 1);
    raw_field(j, "regions", e->regions_json, "null");
    sw_jw_field_int_or_null(j, "min_failing_regions", e->has_min_failing_regions,
                            e->min_failing_regions);
    raw_field(j, "region_results", e->region_results_json, "[]");
    raw_field(j, "quorum", e->quorum_json, "null");
    sw_jw_object_end(j);
}
