#include "validate.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sw_addr.h"
#include "sw_status.h"

#define TEXT_OF(macro) STRINGIFY(macro)
#define STRINGIFY(x) #x

static const char *const METHODS[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

void mon_settings_defaults(const struct mon_tenant *tenant, struct mon_settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->method, sizeof s->method, "GET");
    s->interval_seconds = tenant->min_interval_seconds > 60 ? tenant->min_interval_seconds : 60;
    s->timeout_ms = 10000;
    s->retry_interval_seconds = 10;
    s->failure_threshold = 2;
    s->success_threshold = 1;
}

/* Counts UTF-8 characters (continuation bytes are not counted). */
static size_t utf8_length(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static bool has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
}

/* Judges one address; fills why (for the field error) when it is refused. */
static bool address_ok(const uint8_t addr[16], const struct sw_cidr_list *allow, char *why,
                       size_t why_size)
{
    if (sw_addr_allowed(addr, allow))
        return true;
    snprintf(why, why_size, "This URL points to a %s address, which cannot be monitored.",
             sw_addr_class_name(sw_addr_classify(addr)));
    return false;
}

/* "localhost" and its subdomains are loopback by definition (RFC 6761). */
static bool is_localhost(const char *host)
{
    size_t len = strlen(host);
    return strcasecmp(host, "localhost") == 0 ||
           (len > 10 && strcasecmp(host + len - 10, ".localhost") == 0);
}

/*
 * Judges a URL's host without the outside world: a literal by its address, a
 * localhost name as loopback in both families (whatever this machine's hosts
 * file says), and any other name not at all: resolving it here would make a
 * save wait on DNS inside a shared worker, and what it resolves to now need
 * not be what it resolves to when the checker connects, where the guard
 * judges every address.
 */
static bool host_ok(const char *host, const struct sw_cidr_list *allow, char *why, size_t why_size)
{
    uint8_t addr[16];
    if (sw_ip_parse(host, addr) == 0)
        return address_ok(addr, allow, why, why_size);
    if (is_localhost(host)) {
        uint8_t v4[16], v6[16];
        sw_ip_parse("127.0.0.1", v4);
        sw_ip_parse("::1", v6);
        return address_ok(v4, allow, why, why_size) && address_ok(v6, allow, why, why_size);
    }
    return true;
}

/*
 * Parses text with u and takes its scheme, host and normalised form (each
 * freed by the caller with curl_free); what is wrong with it, or NULL.
 */
static const char *parse_url(CURLU *u, const char *text, char **scheme, char **host, char **norm)
{
    static const char TOO_LONG[] =
        "Enter a valid URL of at most " TEXT_OF(MON_URL_MAX) " characters.";
    if (strlen(text) > MON_URL_MAX || has_control(text) || strchr(text, ' '))
        return TOO_LONG;
    if (curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK || !*scheme)
        return "Enter a valid URL, such as https://example.com/health.";
    if (strcmp(*scheme, "http") != 0 && strcmp(*scheme, "https") != 0)
        return "Only http and https URLs can be monitored.";
    if (curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK || !*host || !(*host)[0])
        return "The URL needs a host name.";
    if (curl_url_get(u, CURLUPART_URL, norm, 0) != CURLUE_OK || !*norm ||
        strlen(*norm) > MON_URL_MAX)
        return TOO_LONG;
    return NULL;
}

/* Normalises a URL into c->url and its host into c->host; a field error otherwise. */
static void check_url(const char *text, const struct sw_cidr_list *allow, struct mon_change *c,
                      struct sw_reply *reply)
{
    char why[160] = "";
    char *scheme = NULL, *host = NULL, *norm = NULL;
    CURLU *u = curl_url();
    if (!u) {
        sw_reply_field(reply, "url", "Could not read this URL.");
        return;
    }
    const char *problem = parse_url(u, text, &scheme, &host, &norm);
    if (problem) {
        snprintf(why, sizeof why, "%s", problem);
    } else {
        char bare[MON_HOST_MAX];
        size_t len = strlen(host);
        /* An IPv6 literal comes back in brackets. */
        if (host[0] == '[' && len > 2 && len - 2 < sizeof bare)
            snprintf(bare, sizeof bare, "%.*s", (int)(len - 2), host + 1);
        else
            snprintf(bare, sizeof bare, "%s", host);
        if (host_ok(bare, allow, why, sizeof why)) {
            snprintf(c->url, sizeof c->url, "%s", norm);
            snprintf(c->host, sizeof c->host, "%s", bare);
        }
    }
    if (why[0])
        sw_reply_field(reply, "url", why);
    curl_free(norm);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(u);
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
    if (utf8_length(value) > max_chars || strlen(value) >= out_size) {
        char msg[80];
        snprintf(msg, sizeof msg, "At most %zu characters.", max_chars);
        sw_reply_field(reply, field, msg);
    } else if (has_control(value)) {
        sw_reply_field(reply, field, "Control characters are not allowed.");
    }
}

static void check_method(struct sw_reply *reply, const char *value, struct mon_change *c)
{
    for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
        if (strcasecmp(value, METHODS[i]) == 0) {
            snprintf(c->method, sizeof c->method, "%s", METHODS[i]);
            return;
        }
    }
    sw_reply_field(reply, "method", "Choose one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.");
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
    /* Like the API always did: a missing URL is reported when nothing else is wrong. */
    if (url_required && !in->url && reply->n_fields == errors_before)
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
    if (!s->name[0])
        snprintf(s->name, sizeof s->name, "%.200s", c->host[0] ? c->host : s->url);
}
