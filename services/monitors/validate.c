#define _GNU_SOURCE 1 /* getaddrinfo_a */
#include "validate.h"

#include <curl/curl.h>
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sw_addr.h"
#include "sw_status.h"

/* How long a save may wait for DNS before giving the name the benefit of the doubt. */
#define RESOLVE_DEADLINE_MS 1500

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

/*
 * One asynchronous lookup. It is shared by the waiting handler and glibc's
 * completion thread, and freed by whichever lets go last: a lookup that
 * outlives the deadline cannot be cancelled once running.
 */
struct lookup {
    struct gaicb cb;
    struct addrinfo hints;
    char host[256];
    atomic_int refs;
};

static void lookup_release(struct lookup *l)
{
    if (atomic_fetch_sub(&l->refs, 1) != 1)
        return;
    if (l->cb.ar_result)
        freeaddrinfo(l->cb.ar_result);
    free(l);
}

static void lookup_done(union sigval value) { lookup_release(value.sival_ptr); }

/*
 * Resolves host with a deadline. A name that does not resolve in time (or at
 * all) is accepted: DNS may be down now, and the checker guards every
 * connection anyway. Every address it resolves to must be allowed.
 */
static bool host_ok(const char *host, const struct sw_cidr_list *allow, char *why,
                    size_t why_size)
{
    uint8_t addr[16];
    if (sw_ip_parse(host, addr) == 0)
        return address_ok(addr, allow, why, why_size);
    /* "localhost" and its subdomains are loopback by definition (RFC 6761), in both
     * families, whatever this machine's hosts file says. */
    size_t len = strlen(host);
    if (strcasecmp(host, "localhost") == 0 ||
        (len > 10 && strcasecmp(host + len - 10, ".localhost") == 0)) {
        uint8_t v4[16], v6[16];
        sw_ip_parse("127.0.0.1", v4);
        sw_ip_parse("::1", v6);
        return address_ok(v4, allow, why, why_size) && address_ok(v6, allow, why, why_size);
    }

    struct lookup *l = calloc(1, sizeof *l);
    if (!l || strlen(host) >= sizeof l->host) {
        free(l);
        return true;
    }
    snprintf(l->host, sizeof l->host, "%s", host);
    l->hints.ai_family = AF_UNSPEC;
    l->hints.ai_socktype = SOCK_STREAM;
    l->cb.ar_name = l->host;
    l->cb.ar_request = &l->hints;
    atomic_init(&l->refs, 2);
    struct sigevent done = {.sigev_notify = SIGEV_THREAD,
                            .sigev_notify_function = lookup_done,
                            .sigev_value.sival_ptr = l};
    struct gaicb *list[] = {&l->cb};
    if (getaddrinfo_a(GAI_NOWAIT, list, 1, &done) != 0) {
        free(l);
        return true;
    }
    struct timespec deadline = {.tv_sec = RESOLVE_DEADLINE_MS / 1000,
                                .tv_nsec = (RESOLVE_DEADLINE_MS % 1000) * 1000000L};
    gai_suspend((const struct gaicb *const *)list, 1, &deadline);
    bool ok = true;
    if (gai_error(&l->cb) == 0) {
        for (struct addrinfo *ai = l->cb.ar_result; ok && ai; ai = ai->ai_next)
            if (sw_addr_from_sockaddr(ai->ai_addr, addr) == 0)
                ok = address_ok(addr, allow, why, why_size);
    }
    lookup_release(l);
    return ok;
}

/* Parses and normalises a URL into s->url; a field error otherwise. */
static void check_url(const char *text, const struct sw_cidr_list *allow, struct mon_settings *s,
                      char *host_out, size_t host_size, struct sw_reply *reply)
{
    char why[160] = "";
    char *scheme = NULL, *host = NULL, *norm = NULL;
    CURLU *u = curl_url();
    if (!u) {
        sw_reply_field(reply, "url", "Could not read this URL.");
        return;
    }
    if (strlen(text) > MON_URL_MAX || has_control(text) || strchr(text, ' '))
        snprintf(why, sizeof why, "Enter a valid URL of at most %d characters.", MON_URL_MAX);
    else if (curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        snprintf(why, sizeof why, "Enter a valid URL, such as https://example.com/health.");
    else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        snprintf(why, sizeof why, "Only http and https URLs can be monitored.");
    else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0])
        snprintf(why, sizeof why, "The URL needs a host name.");
    else if (curl_url_get(u, CURLUPART_URL, &norm, 0) != CURLUE_OK || strlen(norm) > MON_URL_MAX)
        snprintf(why, sizeof why, "Enter a valid URL of at most %d characters.", MON_URL_MAX);
    if (!why[0]) {
        char bare[256];
        size_t len = strlen(host);
        /* An IPv6 literal comes back in brackets. */
        if (host[0] == '[' && len > 2 && len - 2 < sizeof bare)
            snprintf(bare, sizeof bare, "%.*s", (int)(len - 2), host + 1);
        else
            snprintf(bare, sizeof bare, "%s", host);
        if (host_ok(bare, allow, why, sizeof why)) {
            snprintf(s->url, sizeof s->url, "%s", norm);
            snprintf(host_out, host_size, "%s", bare);
        }
    }
    if (why[0])
        sw_reply_field(reply, "url", why);
    curl_free(norm);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(u);
}

static void check_range(struct sw_reply *reply, const char *field, int value, int min, int max,
                        int *out)
{
    if (value < min || value > max) {
        char msg[120];
        snprintf(msg, sizeof msg, "Enter a whole number from %d to %d.", min, max);
        sw_reply_field(reply, field, msg);
        return;
    }
    *out = value;
}

static void check_text(struct sw_reply *reply, const char *field, const char *value,
                       size_t max_chars, char *out, size_t out_size)
{
    if (utf8_length(value) > max_chars || strlen(value) >= out_size) {
        char msg[80];
        snprintf(msg, sizeof msg, "At most %zu characters.", max_chars);
        sw_reply_field(reply, field, msg);
        return;
    }
    if (has_control(value)) {
        sw_reply_field(reply, field, "Control characters are not allowed.");
        return;
    }
    snprintf(out, out_size, "%s", value);
}

static void check_method(struct sw_reply *reply, const char *value, struct mon_settings *s)
{
    for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++) {
        if (strcasecmp(value, METHODS[i]) == 0) {
            snprintf(s->method, sizeof s->method, "%s", METHODS[i]);
            return;
        }
    }
    sw_reply_field(reply, "method", "Choose one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.");
}

int mon_settings_apply(const Sw__Monitors__EndpointInput *in, const struct mon_tenant *tenant,
                       const struct sw_cidr_list *allow, struct mon_settings *s,
                       struct sw_reply *reply)
{
    size_t errors_before = reply->n_fields;
    char host[256] = "";
    if (in->name)
        check_text(reply, "name", in->name, MON_NAME_MAX, s->name, sizeof s->name);
    if (in->url)
        check_url(in->url, allow, s, host, sizeof host, reply);
    if (in->method)
        check_method(reply, in->method, s);
    if (in->has_interval_seconds) {
        int min = tenant->min_interval_seconds > 0 ? tenant->min_interval_seconds : 30;
        if (in->interval_seconds < min || in->interval_seconds > 86400) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "Enter an interval from %d to 86400 seconds (your plan's minimum is %d).",
                     min, min);
            sw_reply_field(reply, "interval_seconds", msg);
        } else {
            s->interval_seconds = in->interval_seconds;
        }
    }
    if (in->has_timeout_ms)
        check_range(reply, "timeout_ms", in->timeout_ms, 1000, 30000, &s->timeout_ms);
    if (in->has_expected_status) {
        if (in->expected_status == 0)
            s->expected_status = 0;
        else
            check_range(reply, "expected_status", in->expected_status, 100, 599,
                        &s->expected_status);
    }
    if (in->keyword)
        check_text(reply, "keyword", in->keyword, MON_KEYWORD_MAX, s->keyword, sizeof s->keyword);
    if (in->has_retry_interval_seconds)
        check_range(reply, "retry_interval_seconds", in->retry_interval_seconds, 5, 3600,
                    &s->retry_interval_seconds);
    if (in->has_failure_threshold)
        check_range(reply, "failure_threshold", in->failure_threshold, 1, 10,
                    &s->failure_threshold);
    if (in->has_success_threshold)
        check_range(reply, "success_threshold", in->success_threshold, 1, 10,
                    &s->success_threshold);
    if (in->has_paused)
        s->paused = in->paused;
    if (!s->url[0] && !in->url && reply->n_fields == errors_before)
        sw_reply_field(reply, "url", "This field is required.");
    /* An endpoint without a name is called after its host (or its URL). */
    if (!s->name[0])
        snprintf(s->name, sizeof s->name, "%.200s", host[0] ? host : s->url);
    return reply->n_fields > errors_before ? SW_EINVAL : 0;
}
