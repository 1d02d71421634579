#include "verdict.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Longest part of a keyword quoted back in an error message, in bytes. */
#define KEYWORD_QUOTE_MAX 64

bool chk_status_ok(int expected_status, long http_code)
{
    if (expected_status == 0)
        return http_code >= 200 && http_code <= 399;
    return http_code == expected_status;
}

/* Microseconds to whole milliseconds, rounded, clamped to the proto's int32. */
static int us_to_ms(curl_off_t us)
{
    if (us < 0)
        return 0;
    curl_off_t ms = (us + 500) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static void fill_timings(const struct chk_observation *obs, Sw__Monitors__Result *result)
{
    /* curl records at least 1 µs for a phase that happened, so 0 means it did not. */
    bool resolved = obs->namelookup_us > 0 && obs->code != CURLE_COULDNT_RESOLVE_HOST;
    bool connected = obs->connect_us > 0;
    bool handshaken = obs->https && obs->appconnect_us > 0;
    bool answered = obs->starttransfer_us > 0;
    curl_off_t ready_us = handshaken && obs->appconnect_us > obs->connect_us ? obs->appconnect_us
                                                                             : obs->connect_us;

    /* A phase that did not happen has no timing (the field stays absent). */
    result->has_dns_ms = resolved;
    result->dns_ms = resolved ? us_to_ms(obs->namelookup_us) : 0;
    result->has_connect_ms = connected;
    result->connect_ms = connected ? us_to_ms(obs->connect_us - obs->namelookup_us) : 0;
    result->has_tls_ms = handshaken;
    result->tls_ms = handshaken ? us_to_ms(obs->appconnect_us - obs->connect_us) : 0;
    result->has_ttfb_ms = answered;
    result->ttfb_ms = answered ? us_to_ms(obs->starttransfer_us - ready_us) : 0;
    result->has_total_ms = 1;
    result->total_ms = us_to_ms(obs->total_us);
}

/* Copies curl's error buffer as one trimmed line, or curl's generic text if it is empty. */
static void curl_sentence(const struct chk_observation *obs, char *error, size_t error_size)
{
    const char *text = obs->curl_error && obs->curl_error[0] ? obs->curl_error
                                                             : curl_easy_strerror(obs->code);
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < error_size; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        error[n++] = c;
    }
    while (n > 0 && error[n - 1] == ' ')
        n--;
    error[n] = '\0';
}

static bool is_tls_error(CURLcode code)
{
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CLIENTCERT: return true;
    default: return false;
    }
}

static void describe_timeout(const struct chk_observation *obs, char *error, size_t error_size)
{
    /*
     * Name the limit that fired: the whole transfer's unless the connection
     * phase gave up on its own, shorter limit.
     */
    int elapsed_ms = us_to_ms(obs->total_us);
    bool whole = obs->connect_us > 0 || obs->connect_timeout_ms >= obs->timeout_ms ||
                 elapsed_ms + 5 >= obs->timeout_ms;
    int limit_ms = whole ? obs->timeout_ms : obs->connect_timeout_ms;
    if (obs->namelookup_us == 0)
        snprintf(error, error_size, "timed out resolving the host after %d ms", limit_ms);
    else if (obs->connect_us == 0)
        snprintf(error, error_size, "timed out connecting after %d ms", limit_ms);
    else
        snprintf(error, error_size, "timed out after %d ms", limit_ms);
}

static void describe_connect_failure(const struct chk_observation *obs, char *error,
                                     size_t error_size)
{
    const char *what;
    switch (obs->os_errno) {
    case ECONNREFUSED: what = "connection refused"; break;
    case EHOSTUNREACH: what = "host unreachable"; break;
    case ENETUNREACH: what = "network unreachable"; break;
    case ETIMEDOUT: what = "connection timed out"; break;
    default: what = "could not connect"; break;
    }
    snprintf(error, error_size, "%s", what);
}

/* The sentence for a transfer that did not complete. */
static void describe_failure(const struct chk_observation *obs, char *error, size_t error_size)
{
    /* A refusal explains the failed connection better than anything curl saw. */
    if (obs->refusal && obs->refusal[0] &&
        (obs->code == CURLE_COULDNT_CONNECT || obs->code == CURLE_ABORTED_BY_CALLBACK)) {
        snprintf(error, error_size, "%s", obs->refusal);
        return;
    }
    if (is_tls_error(obs->code)) {
        curl_sentence(obs, error, error_size);
        return;
    }
    const char *fixed = NULL;
    switch (obs->code) {
    case CURLE_OPERATION_TIMEDOUT: describe_timeout(obs, error, error_size); return;
    case CURLE_COULDNT_CONNECT: describe_connect_failure(obs, error, error_size); return;
    case CURLE_COULDNT_RESOLVE_HOST: fixed = "could not resolve host"; break;
    case CURLE_TOO_MANY_REDIRECTS: fixed = "too many redirects"; break;
    case CURLE_UNSUPPORTED_PROTOCOL: fixed = "unsupported protocol: only http and https"; break;
    case CURLE_URL_MALFORMAT: fixed = "malformed URL"; break;
    case CURLE_GOT_NOTHING: fixed = "empty reply from server"; break;
    case CURLE_WEIRD_SERVER_REPLY: fixed = "invalid HTTP response"; break;
    case CURLE_PARTIAL_FILE: fixed = "response ended before its announced length"; break;
    case CURLE_BAD_CONTENT_ENCODING: fixed = "could not decode the response body"; break;
    case CURLE_SEND_ERROR:
        fixed = obs->os_errno == ECONNRESET ? "connection reset while sending the request"
                                            : "connection failed while sending the request";
        break;
    case CURLE_RECV_ERROR:
        fixed = obs->os_errno == ECONNRESET ? "connection reset while reading the response"
                                            : "connection failed while reading the response";
        break;
    case CURLE_OUT_OF_MEMORY: fixed = "checker out of memory"; break;
    default: break;
    }
    if (fixed)
        snprintf(error, error_size, "%s", fixed);
    else
        curl_sentence(obs, error, error_size);
}

/* Length of at most `max` bytes of `text` that does not cut a UTF-8 sequence. */
static size_t quote_length(const char *text, size_t max)
{
    size_t len = strlen(text);
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void chk_verdict(const struct chk_observation *obs, Sw__Monitors__Result *result, char *error,
                 size_t error_size)
{
    bool completed = obs->code == CURLE_OK || (obs->code == CURLE_WRITE_ERROR && obs->body_capped);
    result->has_status_code = obs->http_code > 0;
    result->status_code = obs->http_code > 0 ? (int)obs->http_code : 0;
    result->status_ok = obs->http_code > 0 && chk_status_ok(obs->expected_status, obs->http_code);
    result->keyword_ok = obs->keyword_ok;
    result->ok = completed && result->status_ok && result->keyword_ok;
    fill_timings(obs, result);

    error[0] = '\0';
    if (!completed) {
        describe_failure(obs, error, error_size);
    } else if (!result->status_ok) {
        if (obs->expected_status == 0)
            snprintf(error, error_size, "expected status 2xx or 3xx, got %ld", obs->http_code);
        else
            snprintf(error, error_size, "expected status %d, got %ld", obs->expected_status,
                     obs->http_code);
    } else if (!result->keyword_ok) {
        const char *keyword = obs->keyword ? obs->keyword : "";
        size_t shown = quote_length(keyword, KEYWORD_QUOTE_MAX);
        snprintf(error, error_size, "keyword \"%.*s%s\" not found", (int)shown, keyword,
                 shown < strlen(keyword) ? "…" : "");
    }
    result->error = error[0] ? error : NULL;
}
