#include "validate.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sw_status.h"
#include "sw_text.h"
#include "sw_url.h"

#define TEXT_OF(macro) STRINGIFY(macro)
#define STRINGIFY(x) #x

static const char *const METHODS[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
static const char *const KINDS[] = {MON_KIND_HTTP, MON_KIND_TCP, MON_KIND_DNS, MON_KIND_HEARTBEAT};
static const char *const RECORD_TYPES[] = {"A", "AAAA", "CNAME", "MX", "TXT"};
#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

void mon_settings_defaults(const struct mon_tenant *tenant, struct mon_settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->method, sizeof s->method, "GET");
    s->interval_seconds = tenant->min_interval_seconds > 60 ? tenant->min_interval_seconds : 60;
    s->timeout_ms = 10000;
    s->retry_interval_seconds = 10;
    s->failure_threshold = 2;
    s->success_threshold = 1;
    snprintf(s->kind, sizeof s->kind, "%s", MON_KIND_HTTP);
    s->follow_redirects = true;
}

bool mon_method_follows(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

bool mon_is_kind(const struct mon_settings *s, const char *kind)
{
    return strcmp(s->kind, kind) == 0;
}

/*
 * Normalises a URL into c->url and its host into c->host, by its scheme
 * (tcp://, dns://, else http or https); a field error otherwise. Whether
 * the scheme suits the endpoint's kind is mon_settings_check's concern.
 */
static void check_url(const char *text, const struct sw_cidr_list *allow, struct mon_change *c,
                      struct sw_reply *reply)
{
    char why[SW_URL_WHY_MAX];
    struct sw_url url;
    int rc;
    if (strncasecmp(text, "tcp:", 4) == 0) {
        rc = sw_url_check_tcp(text, allow, "monitored", &url, why, sizeof why);
    } else if (strncasecmp(text, "dns:", 4) == 0) {
        rc = sw_url_check_dns(text, &url, why, sizeof why);
    } else {
        rc = sw_url_check(text, allow, "monitored", &url, why, sizeof why);
    }
    if (rc != 0) {
        sw_reply_field(reply, "url", why);
        return;
    }
    snprintf(c->url, sizeof c->url, "%s", url.url);
    snprintf(c->host, sizeof c->host, "%s", url.host);
}

/* One of `names` (compared without case) into out, canonical; false when none matches. */
static bool pick(const char *value, const char *const *names, size_t n, char *out, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(value, names[i]) == 0) {
            snprintf(out, size, "%s", names[i]);
            return true;
        }
    }
    return false;
}

/* A field error unless value is within [min, max]. */
static void check_range(struct sw_reply *reply, const char *field, int value, int min, int max)
{
    if (value >= min && value <= max)
        return;
    char msg[120];
    snprintf(msg, sizeof msg, "Enter a whole number from %d to %d.", min, max);
    sw_reply_field(reply, field, msg);
}

/* The text of a nullable string field: "" for null. */
static const char *nullable_text(const Sw__Monitors__NullableString *field)
{
    return field->value ? field->value : "";
}

static void check_text(struct sw_reply *reply, const char *field, const char *value,
                       size_t max_chars, size_t out_size)
{
    if (sw_utf8_length(value) > max_chars || strlen(value) >= out_size) {
        char msg[80];
        snprintf(msg, sizeof msg, "At most %zu characters.", max_chars);
        sw_reply_field(reply, field, msg);
    } else if (sw_text_has_control(value)) {
        sw_reply_field(reply, field, "Control characters are not allowed.");
    }
}

static void check_method(struct sw_reply *reply, const char *value, struct mon_change *c)
{
    if (!pick(value, METHODS, N_OF(METHODS), c->method, sizeof c->method))
        sw_reply_field(reply, "method",
                       "Choose one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.");
}

static void check_interval(struct sw_reply *reply, int value, int min)
{
    if (value >= min && value <= 86400)
        return;
    char msg[160];
    snprintf(msg, sizeof msg,
             "Enter an interval from %d to 86400 seconds (your plan's minimum is %d).", min, min);
    sw_reply_field(reply, "interval_seconds", msg);
}

/* The regions as sent: 1..SW_REGIONS_MAX distinct valid names, into c's array literal. */
static void check_regions(struct sw_reply *reply, const Sw__Monitors__NullableStrings *in,
                          struct mon_change *c)
{
    if (in->has_is_null && in->is_null)
        return;
    if (in->n_values < 1 || in->n_values > SW_REGIONS_MAX) {
        char msg[96];
        snprintf(msg, sizeof msg, "Name 1 to %d regions, or null for every region.",
                 SW_REGIONS_MAX);
        sw_reply_field(reply, "regions", msg);
        return;
    }
    size_t len = 0;
    for (size_t i = 0; i < in->n_values; i++) {
        const char *name = in->values[i];
        if (!sw_region_name_valid(name)) {
            char msg[128];
            snprintf(msg, sizeof msg, "A region is 1 to %d of a-z, 0-9 and \"-\".",
                     SW_REGION_NAME_MAX);
            sw_reply_field(reply, "regions", msg);
            return;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->values[j], name) == 0) {
                sw_reply_field(reply, "regions", "Each region may be named once.");
                return;
            }
        len += (size_t)snprintf(c->regions + len, sizeof c->regions - len, "%s%s", i ? "," : "{",
                                name);
    }
    snprintf(c->regions + len, sizeof c->regions - len, "}");
    c->n_regions = (int)in->n_values;
}

int mon_change_check(const Sw__Monitors__EndpointInput *in, const struct mon_tenant *tenant,
                     const struct sw_cidr_list *allow, bool url_required, struct mon_change *out,
                     struct sw_reply *reply)
{
    memset(out, 0, sizeof *out);
    out->in = in;
    size_t errors_before = reply->n_fields;
    if (in->name)
        check_text(reply, "name", nullable_text(in->name), MON_NAME_MAX, MON_NAME_BYTES);
    if (in->url)
        check_url(in->url, allow, out, reply);
    if (in->method)
        check_method(reply, in->method, out);
    if (in->has_interval_seconds)
        check_interval(reply, in->interval_seconds, tenant->min_interval_seconds);
    if (in->has_timeout_ms)
        check_range(reply, "timeout_ms", in->timeout_ms, 1000, 30000);
    if (in->expected_status && in->expected_status->has_value)
        check_range(reply, "expected_status", in->expected_status->value, 100, 599);
    if (in->keyword)
        check_text(reply, "keyword", nullable_text(in->keyword), MON_KEYWORD_MAX,
                   MON_KEYWORD_BYTES);
    if (in->has_retry_interval_seconds)
        check_range(reply, "retry_interval_seconds", in->retry_interval_seconds, 5, 3600);
    if (in->has_failure_threshold)
        check_range(reply, "failure_threshold", in->failure_threshold, 1, 10);
    if (in->has_success_threshold)
        check_range(reply, "success_threshold", in->success_threshold, 1, 10);
    if (in->kind && !pick(in->kind, KINDS, N_OF(KINDS), out->kind, sizeof out->kind))
        sw_reply_field(reply, "kind", "Choose one of http, tcp, dns, heartbeat.");
    if (in->record_type && !pick(in->record_type, RECORD_TYPES, N_OF(RECORD_TYPES),
                                 out->record_type, sizeof out->record_type))
        sw_reply_field(reply, "record_type", "Choose one of A, AAAA, CNAME, MX, TXT.");
    if (in->expected_value)
        check_text(reply, "expected_value", nullable_text(in->expected_value),
                   MON_EXPECTED_VALUE_MAX, MON_EXPECTED_VALUE_BYTES);
    if (in->has_grace_seconds)
        check_range(reply, "grace_seconds", in->grace_seconds, 0, MON_GRACE_MAX);
    if (in->regions)
        check_regions(reply, in->regions, out);
    if (in->min_failing_regions && in->min_failing_regions->has_value)
        check_range(reply, "min_failing_regions", in->min_failing_regions->value, 1,
                    SW_REGIONS_MAX);
    /* Like the API always did: a missing URL is reported when nothing else is wrong. A
     * heartbeat has none. */
    bool heartbeat = in->kind && strcmp(out->kind, MON_KIND_HEARTBEAT) == 0;
    if (url_required && !in->url && !heartbeat && reply->n_fields == errors_before)
        sw_reply_field(reply, "url", "This field is required.");
    return reply->n_fields > errors_before ? SW_EINVAL : 0;
}

void mon_change_apply(const struct mon_change *c, struct mon_settings *s)
{
    const Sw__Monitors__EndpointInput *in = c->in;
    if (in->name)
        snprintf(s->name, sizeof s->name, "%s", nullable_text(in->name));
    if (in->url)
        snprintf(s->url, sizeof s->url, "%s", c->url);
    if (in->method)
        snprintf(s->method, sizeof s->method, "%s", c->method);
    if (in->has_interval_seconds)
        s->interval_seconds = in->interval_seconds;
    if (in->has_timeout_ms)
        s->timeout_ms = in->timeout_ms;
    if (in->expected_status) {
        s->has_expected_status = in->expected_status->has_value;
        s->expected_status = in->expected_status->has_value ? in->expected_status->value : 0;
    }
    if (in->keyword)
        snprintf(s->keyword, sizeof s->keyword, "%s", nullable_text(in->keyword));
    if (in->has_retry_interval_seconds)
        s->retry_interval_seconds = in->retry_interval_seconds;
    if (in->has_failure_threshold)
        s->failure_threshold = in->failure_threshold;
    if (in->has_success_threshold)
        s->success_threshold = in->success_threshold;
    if (in->has_paused)
        s->paused = in->paused;
    if (in->kind)
        snprintf(s->kind, sizeof s->kind, "%s", c->kind);
    if (in->record_type)
        snprintf(s->record_type, sizeof s->record_type, "%s", c->record_type);
    if (in->expected_value)
        snprintf(s->expected_value, sizeof s->expected_value, "%s",
                 nullable_text(in->expected_value));
    if (in->has_grace_seconds)
        s->grace_seconds = in->grace_seconds;
    if (in->has_follow_redirects)
        s->follow_redirects = in->follow_redirects;
    else if (in->method)
        s->follow_redirects = mon_method_follows(s->method);
    if (in->regions) {
        snprintf(s->regions, sizeof s->regions, "%s", c->regions);
        s->n_regions = c->n_regions;
    }
    if (in->min_failing_regions) {
        s->has_min_failing_regions = in->min_failing_regions->has_value;
        s->min_failing_regions = in->min_failing_regions->value;
    }
    /* A DNS endpoint asks for A records unless it says otherwise. */
    if (mon_is_kind(s, MON_KIND_DNS) && !s->record_type[0])
        snprintf(s->record_type, sizeof s->record_type, "A");
    if (!s->name[0] && mon_is_kind(s, MON_KIND_HEARTBEAT))
        snprintf(s->name, sizeof s->name, "Heartbeat");
    else if (!s->name[0])
        snprintf(s->name, sizeof s->name, "%.200s", c->host[0] ? c->host : s->url);
}

/* The scheme a kind's URL must have, for the field error. */
static const char *url_form(const char *kind)
{
    if (strcmp(kind, MON_KIND_TCP) == 0)
        return "A TCP endpoint's URL is tcp://host:port.";
    if (strcmp(kind, MON_KIND_DNS) == 0)
        return "A DNS endpoint's URL is dns://host.";
    return "Only http and https URLs are accepted.";
}

int mon_settings_check(struct mon_settings *s, struct sw_reply *reply)
{
    size_t errors_before = reply->n_fields;
    bool heartbeat = mon_is_kind(s, MON_KIND_HEARTBEAT), dns = mon_is_kind(s, MON_KIND_DNS);
    bool http = mon_is_kind(s, MON_KIND_HTTP);
    if (heartbeat && s->url[0]) {
        sw_reply_field(reply, "url", "A heartbeat has no URL: it is pinged at its ping_url.");
    } else if (!heartbeat && !s->url[0]) {
        sw_reply_field(reply, "url", "This field is required.");
    } else if (!heartbeat) {
        const char *scheme_kind = strncmp(s->url, "tcp://", 6) == 0   ? MON_KIND_TCP
                                  : strncmp(s->url, "dns://", 6) == 0 ? MON_KIND_DNS
                                                                      : MON_KIND_HTTP;
        if (!mon_is_kind(s, scheme_kind))
            sw_reply_field(reply, "url", url_form(s->kind));
    }
    if (!http && s->keyword[0])
        sw_reply_field(reply, "keyword", "Only HTTP endpoints have a keyword.");
    if (!http && s->has_expected_status)
        sw_reply_field(reply, "expected_status", "Only HTTP endpoints have an expected status.");
    if (!dns && s->record_type[0])
        sw_reply_field(reply, "record_type", "Only DNS endpoints have a record type.");
    if (!dns && s->expected_value[0])
        sw_reply_field(reply, "expected_value", "Only DNS endpoints have an expected value.");
    if (!heartbeat && s->grace_seconds != 0)
        sw_reply_field(reply, "grace_seconds", "Only heartbeats have a grace period.");
    if (heartbeat && s->n_regions > 0)
        sw_reply_field(reply, "regions", "A heartbeat is pinged, not checked from regions.");
    if (heartbeat && s->has_min_failing_regions)
        sw_reply_field(reply, "min_failing_regions",
                       "A heartbeat is pinged, not checked from regions.");
    if (s->n_regions > 0 && s->has_min_failing_regions && s->min_failing_regions > s->n_regions)
        sw_reply_field(reply, "min_failing_regions",
                       "Cannot be more than the regions the endpoint names.");
    if (heartbeat)
        s->failure_threshold = s->success_threshold = 1;
    return reply->n_fields > errors_before ? SW_EINVAL : 0;
}
