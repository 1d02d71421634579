#include "sw_log.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LOG_MSG_MAX 4096
#define ID_MAX 256 /* request and tenant ids are far shorter */
#define REDACTED "[REDACTED]"

/* Written once by sw_log_init() during start-up, read-only afterwards. */
static const char *log_service = "sw";
static enum sw_log_level log_min_level = SW_LOG_INFO;
/* Set and removed by sw_log_set_reporter() at start-up and shutdown; read by every line. */
static _Atomic(const struct sw_log_reporter *) log_reporter;

static const char *const LEVEL_NAMES[] = {"debug", "info", "warn", "error"};

static const char *const SECRET_KEYS[] = {
    "password", "passwd",  "token",  "secret", "authorization", "api_key",     "apikey",
    "api-key",  "refresh", "access", "cookie", "signature",     "private_key",
};

static const char *const SECRET_PREFIXES[] = {"sk_live_", "sk_test_", "rk_live_", "rk_test_",
                                              "whsec_"};

void sw_log_init(const char *service, enum sw_log_level min_level)
{
    log_service = service;
    log_min_level = min_level;
}

void sw_log_set_reporter(const struct sw_log_reporter *reporter)
{
    atomic_store(&log_reporter, reporter);
}

enum sw_log_level sw_log_level_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof LEVEL_NAMES / sizeof LEVEL_NAMES[0]; i++)
        if (strcasecmp(name, LEVEL_NAMES[i]) == 0)
            return (enum sw_log_level)i;
    return SW_LOG_INFO;
}

static bool is_key_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* True when the identifier ending just before `end` names a secret. */
static bool key_is_secret(const char *start, const char *end)
{
    size_t len = (size_t)(end - start);
    for (size_t i = 0; i < sizeof SECRET_KEYS / sizeof SECRET_KEYS[0]; i++) {
        size_t klen = strlen(SECRET_KEYS[i]);
        for (size_t off = 0; off + klen <= len; off++)
            if (strncasecmp(start + off, SECRET_KEYS[i], klen) == 0)
                return true;
    }
    return false;
}

struct scrub_out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct scrub_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && o->len + 1 < o->size; i++)
        o->buf[o->len++] = s[i];
    o->buf[o->len] = '\0';
}

/* Length of a value starting at p: up to a quote, whitespace, '&', ',' or '}'. */
static size_t value_len(const char *p, char quote)
{
    size_t n = 0;
    if (quote) {
        while (p[n] && p[n] != quote) {
            if (p[n] == '\\' && p[n + 1])
                n++;
            n++;
        }
        return n;
    }
    while (p[n] && !isspace((unsigned char)p[n]) && p[n] != '&' && p[n] != ',' && p[n] != '}' &&
           p[n] != ';')
        n++;
    return n;
}

static size_t secret_prefix_at(const char *p)
{
    for (size_t i = 0; i < sizeof SECRET_PREFIXES / sizeof SECRET_PREFIXES[0]; i++) {
        size_t n = strlen(SECRET_PREFIXES[i]);
        if (strncmp(p, SECRET_PREFIXES[i], n) == 0)
            return n;
    }
    return 0;
}

size_t sw_log_scrub(const char *in, char *out, size_t out_size)
{
    struct scrub_out o = {out, out_size, 0};
    if (out_size == 0)
        return 0;
    out[0] = '\0';
    const char *p = in;
    while (*p) {
        if ((strncasecmp(p, "Bearer ", 7) == 0 || strncasecmp(p, "Api-Key ", 8) == 0)) {
            size_t skip = (p[0] == 'B' || p[0] == 'b') ? 7 : 8;
            put(&o, p, skip);
            p += skip;
            put(&o, REDACTED, strlen(REDACTED));
            p += value_len(p, 0);
            continue;
        }
        if (secret_prefix_at(p) && (p == in || !is_key_char(p[-1]))) {
            put(&o, REDACTED, strlen(REDACTED));
            p += value_len(p, 0);
            continue;
        }
        if (is_key_char(*p) && (p == in || !is_key_char(p[-1]))) {
            const char *key_start = p;
            const char *key_end = p;
            while (is_key_char(*key_end))
                key_end++;
            /* Skip a closing quote of a JSON key, then ':' or '=' and spaces. */
            const char *q = key_end;
            if (*q == '"')
                q++;
            while (*q == ' ')
                q++;
            if ((*q == ':' || *q == '=') && key_is_secret(key_start, key_end)) {
                bool header_style = *q == ':';
                q++;
                while (*q == ' ')
                    q++;
                char quote = '\0';
                if (*q == '"' || *q == '\'')
                    quote = *q++;
                put(&o, p, (size_t)(q - p));
                put(&o, REDACTED, strlen(REDACTED));
                /* "Authorization: Bearer xyz": an unquoted header value runs to the line end. */
                p = q + (header_style && !quote ? strcspn(q, "\r\n,;&") : value_len(q, quote));
                continue;
            }
            put(&o, p, (size_t)(key_end - p));
            p = key_end;
            continue;
        }
        put(&o, p, 1);
        p++;
    }
    return o.len;
}

/*
 * Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the byte
 * at s does not start one. The ranges are those of Unicode's table 3-7.
 */
static size_t utf8_sequence_len(const unsigned char *s)
{
    unsigned char lead = s[0];
    unsigned char lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
    size_t len;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf) {
        len = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        len = 3;
        if (lead == 0xe0)
            lo = 0xa0; /* below is an overlong form */
        else if (lead == 0xed)
            hi = 0x9f; /* above are the UTF-16 surrogates */
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        len = 4;
        if (lead == 0xf0)
            lo = 0x90; /* below is an overlong form */
        else if (lead == 0xf4)
            hi = 0x8f; /* above is past U+10FFFF */
    } else {
        return 0; /* a continuation byte, an overlong lead (c0, c1) or f5..ff */
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf) /* also stops at the terminating NUL */
            return 0;
    return len;
}

size_t sw_log_utf8_escape(const char *in, char *out, size_t out_size)
{
    static const char HEX[] = "0123456789abcdef";
    if (out_size == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)in;
    size_t len = 0;
    while (*p) {
        size_t n = utf8_sequence_len(p);
        if (n > 0) {
            if (len + n >= out_size)
                break;
            memcpy(out + len, p, n);
            len += n;
            p += n;
            continue;
        }
        if (len + 4 >= out_size)
            break;
        out[len++] = '\\';
        out[len++] = 'x';
        out[len++] = HEX[*p >> 4];
        out[len++] = HEX[*p & 0x0f];
        p++;
    }
    out[len] = '\0';
    return len;
}

void sw_log(enum sw_log_level level, const char *request_id, const char *tenant_id, const char *fmt,
            ...)
{
    if (level < log_min_level)
        return;
    char raw[LOG_MSG_MAX];
    char clean[LOG_MSG_MAX];
    char msg[LOG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sw_log_scrub(raw, clean, sizeof clean);
    /* Escaping comes last: jansson refuses a string that is not UTF-8, and
     * the scrubber's cap may cut a multi-byte character. */
    sw_log_utf8_escape(clean, msg, sizeof msg);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char when[40];
    size_t n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + n, sizeof when - n, ".%03ldZ", (long)(tv.tv_usec / 1000));

    char rid[ID_MAX] = "";
    char tid[ID_MAX] = "";
    if (request_id && *request_id)
        sw_log_utf8_escape(request_id, rid, sizeof rid);
    if (tenant_id && *tenant_id)
        sw_log_utf8_escape(tenant_id, tid, sizeof tid);

    json_t *line = json_pack("{s:s, s:s, s:s, s:s}", "time", when, "level", LEVEL_NAMES[level],
                             "service", log_service, "msg", msg);
    if (line) {
        if (rid[0])
            json_object_set_new(line, "request_id", json_string(rid));
        if (tid[0])
            json_object_set_new(line, "tenant_id", json_string(tid));
        char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(line);
        if (text) {
            size_t len = strlen(text);
            text[len] = '\n'; /* replaces the NUL; we write exactly len + 1 bytes */
            ssize_t written = write(STDERR_FILENO, text, len + 1);
            (void)written;
            free(text);
        }
    }

    const struct sw_log_reporter *reporter = atomic_load(&log_reporter);
    if (reporter && level >= SW_LOG_ERROR) {
        struct sw_log_event event = {
            .level = level,
            .time_ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000,
            .message = msg,
            .request_id = rid[0] ? rid : NULL,
            .tenant_id = tid[0] ? tid : NULL,
        };
        reporter->report(reporter->arg, &event);
    }
}
