#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "probe_tcp.h"
#include "redirect.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "verdict.h"

#define METHOD_MAX 16

/* Methods travel as HTTP tokens; anything else would end up in the request line. */
static bool method_is_valid(const char *method)
{
    size_t len = strlen(method);
    if (len > METHOD_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (method[i] < 'A' || method[i] > 'Z')
            return false;
    return true;
}

int chk_probe_timeout_ms(int timeout_ms)
{
    if (timeout_ms <= 0)
        return CHK_TIMEOUT_DEFAULT_MS;
    if (timeout_ms < CHK_TIMEOUT_MIN_MS)
        return CHK_TIMEOUT_MIN_MS;
    return timeout_ms > CHK_TIMEOUT_MAX_MS ? CHK_TIMEOUT_MAX_MS : timeout_ms;
}

static bool is_get_like(const char *method)
{
    return method[0] == '\0' || strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static CURLcode set_method(CURL *easy, const char *method)
{
    if (method[0] == '\0' || strcmp(method, "GET") == 0) {
        /* Also the way back to GET after a hop of another method. */
        CURLcode rc = curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, NULL);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        return rc;
    }
    if (strcmp(method, "HEAD") == 0)
        return curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    return curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
}

#define SET(option, value)                                                                         \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(easy, option, value);                                            \
    } while (0)

CURLcode chk_probe_base_options(struct chk_probe *probe, const char *url, long connect_timeout_ms,
                                const char *protocols)
{
    CURL *easy = probe->easy;
    CURLcode rc = CURLE_OK;
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PRIVATE, probe);
    SET(CURLOPT_ERRORBUFFER, probe->errbuf);
    /* Signals are blocked in every thread; timeouts must not rely on SIGALRM. */
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TIMEOUT_MS, (long)probe->timeout_ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    /* Each check measures DNS, connect and TLS afresh, and never rides on a pooled socket. */
    SET(CURLOPT_FRESH_CONNECT, 1L);
    SET(CURLOPT_FORBID_REUSE, 1L);
    SET(CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    /*
     * A resolver thread still running when a timed-out transfer ends is left to
     * finish on its own instead of being joined, which would stall every other
     * transfer of the loop behind one slow DNS server.
     */
    SET(CURLOPT_QUICK_EXIT, 1L);
    /* Never an environment proxy: the guard must judge the real target. */
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_NOPROXY, "*");
    SET(CURLOPT_PROTOCOLS_STR, protocols);
    return rc;
}

/* Every option of a check; the first one curl refuses stops the set-up. */
static int configure(struct chk_probe *probe)
{
    CURL *easy = probe->easy;
    const struct chk_job *job = probe->job;
    CURLcode rc =
        chk_probe_base_options(probe, job->url, (long)probe->connect_timeout_ms, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    /* curl follows only for GET and HEAD: it would replay any other method on every hop. */
    SET(CURLOPT_FOLLOWLOCATION, job->follow_redirects && is_get_like(job->method) ? 1L : 0L);
    SET(CURLOPT_MAXREDIRS, (long)CHK_MAX_REDIRECTS);
    SET(CURLOPT_USERAGENT, job->user_agent ? job->user_agent : CHK_USER_AGENT);
    /* "" offers every encoding curl can decode; the body cap applies to decoded bytes. */
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_WRITEFUNCTION, chk_body_write);
    SET(CURLOPT_WRITEDATA, &probe->body);
    SET(CURLOPT_CERTINFO, 1L);
#undef SET
    if (rc == CURLE_OK)
        rc = set_method(easy, job->method);
    if (rc != CURLE_OK)
        return SW_EINTERNAL;
    return sw_guard_attach(&probe->guard, easy);
}

static bool is_tcp(const struct chk_job *job) { return strcmp(job->kind, CHK_KIND_TCP) == 0; }

int chk_probe_new(struct chk_job *job, const struct sw_cidr_list *allow, struct chk_probe **out)
{
    *out = NULL;
    if (!is_tcp(job) && !method_is_valid(job->method))
        return SW_EINVAL;
    struct chk_probe *probe = calloc(1, sizeof *probe);
    if (!probe)
        return SW_ENOMEM;
    int rc = SW_ENOMEM;
    probe->job = job;
    probe->hop_by_hop = job->follow_redirects && !is_get_like(job->method);
    probe->hop_method = job->method;
    probe->timeout_ms = chk_probe_timeout_ms(job->timeout_ms);
    probe->connect_timeout_ms = probe->timeout_ms < CHK_CONNECT_TIMEOUT_MAX_MS
                                    ? probe->timeout_ms
                                    : CHK_CONNECT_TIMEOUT_MAX_MS;
    sw_guard_init(&probe->guard, allow);
    if (chk_body_init(&probe->body, job->keyword, CHK_BODY_CAP) != 0)
        goto out;
    probe->easy = curl_easy_init();
    if (!probe->easy)
        goto out;
    rc = is_tcp(job) ? chk_tcp_configure(probe) : configure(probe);
out:
    if (rc != 0) {
        /* The job goes back to the caller untouched. */
        probe->job = NULL;
        chk_probe_free(probe);
        return rc;
    }
    *out = probe;
    return 0;
}

void chk_probe_start(struct chk_probe *probe) { probe->started_unix_ms = sw_now_ms(); }

static curl_off_t time_us(CURL *easy, CURLINFO info)
{
    curl_off_t us = 0;
    if (curl_easy_getinfo(easy, info, &us) != CURLE_OK)
        return 0;
    return us;
}

bool chk_probe_next_hop(struct chk_probe *probe, CURLcode code)
{
    CURL *easy = probe->easy;
    long status = 0;
    char *location = NULL;
    if (!probe->hop_by_hop || code != CURLE_OK || probe->hops >= CHK_MAX_REDIRECTS ||
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
        !chk_redirect_status(status) ||
        curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) != CURLE_OK || !location)
        return false;
    curl_off_t spent_us = probe->earlier_hops_us + time_us(easy, CURLINFO_TOTAL_TIME_T);
    long left_ms = (long)probe->timeout_ms - (long)(spent_us / 1000);
    char *next = strdup(location); /* curl's copy lasts only until the next option is set */
    if (left_ms <= 0 || !next) {
        free(next);
        return false;
    }
    const char *current = probe->hop_url ? probe->hop_url : probe->job->url;
    const char *method =
        chk_redirect_method(probe->hop_method, status, chk_redirect_same_host(current, next));
    if (curl_easy_setopt(easy, CURLOPT_URL, next) != CURLE_OK ||
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, left_ms) != CURLE_OK ||
        (method != probe->hop_method && set_method(easy, method) != CURLE_OK)) {
        free(next);
        return false;
    }
    free(probe->hop_url);
    probe->hop_url = next;
    probe->hop_method = method;
    probe->earlier_hops_us = spent_us;
    probe->hops++;
    chk_body_reset(&probe->body);
    return true;
}

/* The server certificate's expiry into *out_ms; false when it is not known. */
static bool tls_expiry_ms(CURL *easy, long long *out_ms)
{
    struct curl_certinfo *certinfo = NULL;
    return curl_easy_getinfo(easy, CURLINFO_CERTINFO, &certinfo) == CURLE_OK &&
           chk_cert_expiry_ms(certinfo, out_ms) == 0;
}

int chk_probe_finish(struct chk_probe *probe, CURLcode code, struct chk_outcome **out)
{
    struct chk_outcome *outcome = NULL;
    int rc = chk_outcome_new(probe->job, &outcome);
    if (rc != 0)
        return rc;
    if (is_tcp(probe->job)) {
        chk_tcp_finish(probe, code, outcome);
        *out = outcome;
        return 0;
    }
    CURL *easy = probe->easy;
    struct chk_observation obs = {
        .code = code,
        .keyword_ok = chk_body_keyword_ok(&probe->body),
        .body_capped = probe->body.capped,
        .keyword = probe->job->keyword,
        .expected_status = probe->job->expected_status,
        .timeout_ms = probe->timeout_ms,
        .connect_timeout_ms = probe->connect_timeout_ms,
        .refusal = probe->guard.refusal,
        .curl_error = probe->errbuf,
    };
    const char *scheme = NULL;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &obs.http_code);
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &obs.os_errno);
    curl_easy_getinfo(easy, CURLINFO_SCHEME, &scheme);
    obs.https = scheme && strcasecmp(scheme, "https") == 0;
    obs.namelookup_us = time_us(easy, CURLINFO_NAMELOOKUP_TIME_T);
    obs.connect_us = time_us(easy, CURLINFO_CONNECT_TIME_T);
    obs.appconnect_us = time_us(easy, CURLINFO_APPCONNECT_TIME_T);
    obs.starttransfer_us = time_us(easy, CURLINFO_STARTTRANSFER_TIME_T);
    obs.total_us = probe->earlier_hops_us + time_us(easy, CURLINFO_TOTAL_TIME_T);

    chk_verdict(&obs, &outcome->result, outcome->error, sizeof outcome->error);
    outcome->result.started_unix_ms = probe->started_unix_ms;
    long long expires_ms = 0;
    outcome->result.has_tls_expires_unix_ms = obs.https && tls_expiry_ms(easy, &expires_ms);
    outcome->result.tls_expires_unix_ms = expires_ms;
    *out = outcome;
    return 0;
}

int chk_probe_refuse_job(const struct chk_job *job, const char *why, struct chk_outcome **out)
{
    struct chk_outcome *outcome = NULL;
    int rc = chk_outcome_new(job, &outcome);
    if (rc != 0)
        return rc;
    snprintf(outcome->error, sizeof outcome->error, "%s", why);
    outcome->result.error = outcome->error;
    outcome->result.started_unix_ms = sw_now_ms();
    outcome->result.keyword_ok = job->keyword[0] == '\0';
    *out = outcome;
    return 0;
}

void chk_probe_free(struct chk_probe *probe)
{
    if (!probe)
        return;
    curl_easy_cleanup(probe->easy); /* NULL: nothing */
    chk_body_free(&probe->body);
    free(probe->hop_url);
    chk_job_free(probe->job);
    free(probe);
}
