#include "stripe.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sw_buf.h"
#include "sw_log.h"
#include "sw_rpc.h"

#define MAX_RESPONSE ((size_t)1024 * 1024)
#define MAX_RETRY_AFTER_MS 5000
#define FIRST_BACKOFF_MS 500
#define ANSWER_MARGIN_MS 500
#define MIN_ATTEMPT_MS 1000

static void form_append(struct stripe_form *form, const char *text, size_t n)
{
    if (form->failed)
        return;
    if (form->len + n + 1 > form->cap) {
        size_t cap = form->cap ? form->cap * 2 : 256;
        while (cap < form->len + n + 1)
            cap *= 2;
        char *grown = realloc(form->text, cap);
        if (!grown) {
            form->failed = 1;
            return;
        }
        form->text = grown;
        form->cap = cap;
    }
    memcpy(form->text + form->len, text, n);
    form->len += n;
    form->text[form->len] = '\0';
}

void stripe_form_add(struct stripe_form *form, const char *key, const char *value)
{
    char *k = curl_easy_escape(NULL, key, 0);
    char *v = curl_easy_escape(NULL, value, 0);
    if (!k || !v) {
        form->failed = 1;
    } else {
        if (form->len)
            form_append(form, "&", 1);
        form_append(form, k, strlen(k));
        form_append(form, "=", 1);
        form_append(form, v, strlen(v));
    }
    curl_free(k);
    curl_free(v);
}

void stripe_form_free(struct stripe_form *form)
{
    free(form->text);
    memset(form, 0, sizeof *form);
}

struct response {
    struct sw_buf body; /* at most MAX_RESPONSE bytes */
    long retry_after_ms;
    char request_id[96];
    int should_retry; /* -1 unknown, 0 "false", 1 "true" */
};

/* Taking fewer bytes than offered makes curl fail the transfer: an oversized answer is none. */
static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
    struct response *r = arg;
    size_t n = size * nmemb;
    return sw_buf_append(&r->body, ptr, n) == 0 ? n : 0;
}

/* Copies a header's value (trimmed) when the line is "name: value". */
static int header_value(const char *line, size_t n, const char *name, char *out, size_t size)
{
    size_t name_len = strlen(name);
    if (n <= name_len + 1 || strncasecmp(line, name, name_len) != 0 || line[name_len] != ':')
        return 0;
    const char *v = line + name_len + 1;
    size_t vlen = n - name_len - 1;
    while (vlen && (*v == ' ' || *v == '\t'))
        v++, vlen--;
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
    if (vlen >= size)
        vlen = size - 1;
    memcpy(out, v, vlen);
    out[vlen] = '\0';
    return 1;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *arg)
{
    struct response *r = arg;
    size_t n = size * nitems;
    char value[96];
    if (header_value(line, n, "Request-Id", r->request_id, sizeof r->request_id))
        return n;
    if (header_value(line, n, "Retry-After", value, sizeof value)) {
        long s = strtol(value, NULL, 10);
        r->retry_after_ms = s > 0 ? s * 1000 : 0;
    } else if (header_value(line, n, "Stripe-Should-Retry", value, sizeof value)) {
        r->should_retry = strcmp(value, "true") == 0;
    }
    return n;
}

/* One attempt of at most timeout_ms; returns the HTTP status, or 0 when no answer came. */
static long attempt(long timeout_ms, const char *url, const char *body, struct curl_slist *headers,
                    struct response *r)
{
    CURL *curl = curl_easy_init();
    if (!curl)
        return 0;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "StatusWatch/1.0 (sw-billing)");
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    return status;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Stripe's {"error": {"message": …}} into err->message. */
static void error_message(const struct response *r, struct stripe_error *err)
{
    json_t *doc = r->body.len ? json_loadb(r->body.data, r->body.len, 0, NULL) : NULL;
    const char *msg = json_string_value(json_object_get(json_object_get(doc, "error"), "message"));
    snprintf(err->message, sizeof err->message, "%s", msg ? msg : "Stripe refused the request.");
    json_decref(doc);
}

/* Time left before the deadline, less a margin for answering; LONG_MAX without one. */
static long time_left(long long deadline_ms)
{
    if (deadline_ms <= 0)
        return LONG_MAX;
    long long left = deadline_ms - sw_now_ms() - ANSWER_MARGIN_MS;
    return left > 0 ? (long)left : 0;
}

enum stripe_outcome stripe_post(const struct stripe_conf *conf, const char *path,
                                const struct stripe_form *form, const char *idempotency_key,
                                long long deadline_ms, const char *request_id, json_t **out,
                                struct stripe_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    char url[1024], auth[512], idem[300];
    snprintf(url, sizeof url, "%s%s", conf->api_base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", conf->secret_key);
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", idempotency_key);
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, "Stripe-Version: " STRIPE_VERSION);
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, idem);
    headers = curl_slist_append(headers, "Expect:");
    enum stripe_outcome outcome = STRIPE_UNAVAILABLE;
    long backoff = FIRST_BACKOFF_MS;
    for (int i = 0; headers && !form->failed && i <= conf->retries; i++) {
        long budget = time_left(deadline_ms);
        if (budget < MIN_ATTEMPT_MS)
            break;
        struct response r = {.should_retry = -1};
        sw_buf_init(&r.body, MAX_RESPONSE);
        long status = attempt(budget < conf->timeout_ms ? budget : conf->timeout_ms, url,
                              form->text ? form->text : "", headers, &r);
        sw_log(status >= 200 && status < 300 ? SW_LOG_INFO : SW_LOG_WARN, request_id, NULL,
               "stripe POST %s -> %ld (request %s, attempt %d)", path, status,
               r.request_id[0] ? r.request_id : "-", i + 1);
        err->http_status = (int)status;
        bool retryable = status == 0 || status == 429 || status >= 500;
        if (r.should_retry == 0)
            retryable = false;
        if (status >= 200 && status < 300) {
            *out = r.body.len ? json_loadb(r.body.data, r.body.len, 0, NULL) : NULL;
            outcome = json_is_object(*out) ? STRIPE_OK : STRIPE_UNAVAILABLE;
            if (outcome != STRIPE_OK)
                snprintf(err->message, sizeof err->message, "Stripe's answer was not JSON.");
        } else if (!retryable && status != 0) {
            error_message(&r, err);
            outcome = STRIPE_REFUSED;
        } else {
            snprintf(err->message, sizeof err->message, "%s",
                     status ? "Stripe is busy or failing." : "Stripe could not be reached.");
            outcome = STRIPE_UNAVAILABLE;
        }
        sw_buf_free(&r.body);
        if (outcome != STRIPE_UNAVAILABLE || i == conf->retries || (!retryable && status != 0))
            break;
        long wait = r.retry_after_ms > 0 ? r.retry_after_ms : backoff;
        if (wait > MAX_RETRY_AFTER_MS)
            wait = MAX_RETRY_AFTER_MS;
        if (time_left(deadline_ms) < wait + MIN_ATTEMPT_MS)
            break; /* no time for another attempt: answer now */
        sleep_ms(wait);
        backoff *= 2;
    }
    curl_slist_free_all(headers);
    if (outcome != STRIPE_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return outcome;
}
