/*
 * JSON-lines logging on stderr: one object per line with time, level,
 * service, request id, tenant id and message. Every message passes through
 * sw_log_scrub() first, so secrets (passwords, tokens, keys, Authorization
 * values, Stripe keys) never reach the log even when a caller slips.
 *
 * A message that is not valid UTF-8 is still logged, never dropped: after
 * scrubbing, each byte that does not belong to a well-formed UTF-8 sequence
 * becomes the four characters \xhh (two lower-case hex digits), so the JSON
 * string of a lone 0xff byte reads "\\xff". Well-formed multi-byte
 * characters pass unchanged. The request and tenant ids are treated alike
 * (and capped at 255 bytes).
 * A message is capped at 4095 bytes after formatting, scrubbing and escaping.
 *
 * sw_log_init() is called once during start-up; afterwards logging is
 * thread-safe (each line is one write(2)).
 *
 * An error reporter (sw_sentry.h) may be registered once at start-up: it
 * sees every error-level line as written, after scrubbing and escaping, so
 * a report can never hold more than the log does.
 */
#ifndef SW_LOG_H
#define SW_LOG_H

#include <stddef.h>

enum sw_log_level { SW_LOG_DEBUG, SW_LOG_INFO, SW_LOG_WARN, SW_LOG_ERROR };

/* Sets the service name and minimum level; call once before threads start. */
void sw_log_init(const char *service, enum sw_log_level min_level);

/* One error-level line as the reporter sees it; the strings live for the call only. */
struct sw_log_event {
    enum sw_log_level level;
    long long time_ms;      /* when the line was written (epoch milliseconds) */
    const char *message;    /* scrubbed and escaped, as in the line */
    const char *request_id; /* escaped as in the line; NULL when the line has none */
    const char *tenant_id;  /* likewise */
};

/*
 * What receives error-level lines: report(arg, event) runs in the thread that
 * logged, so it must neither block nor log at error level itself.
 */
struct sw_log_reporter {
    void (*report)(void *arg, const struct sw_log_event *event);
    void *arg;
};

/*
 * Registers the one reporter, or removes it (NULL). The caller owns it and
 * keeps it alive while registered: set it during start-up, remove it once the
 * threads that log have stopped.
 */
void sw_log_set_reporter(const struct sw_log_reporter *reporter);

/* Parses "debug", "info", "warn" or "error"; returns SW_LOG_INFO otherwise. */
enum sw_log_level sw_log_level_parse(const char *name);

/* Writes one log line. request_id and tenant_id may be NULL. */
void sw_log(enum sw_log_level level, const char *request_id, const char *tenant_id, const char *fmt,
            ...) __attribute__((format(printf, 4, 5)));

#define sw_log_info(...) sw_log(SW_LOG_INFO, NULL, NULL, __VA_ARGS__)
#define sw_log_warn(...) sw_log(SW_LOG_WARN, NULL, NULL, __VA_ARGS__)
#define sw_log_error(...) sw_log(SW_LOG_ERROR, NULL, NULL, __VA_ARGS__)
#define sw_log_debug(...) sw_log(SW_LOG_DEBUG, NULL, NULL, __VA_ARGS__)

/*
 * Copies `in` to `out` (at most out_size bytes, always NUL-terminated) with
 * secret values replaced by "[REDACTED]": values of keys that name a secret
 * (password, token, secret, authorization, api_key, refresh, access, cookie)
 * in `key=value`, `key: value` and JSON `"key": "value"` forms, the credential
 * after "Bearer " / "Api-Key ", and Stripe-style keys (sk_live_…, sk_test_…,
 * rk_…, whsec_…). Returns the length written.
 */
size_t sw_log_scrub(const char *in, char *out, size_t out_size);

/*
 * Copies `in` to `out` (at most out_size bytes, always NUL-terminated) as
 * valid UTF-8: well-formed sequences (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) are kept, every other byte becomes
 * \xhh. Stops before a sequence or escape that would not fit whole.
 * Returns the length written.
 */
size_t sw_log_utf8_escape(const char *in, char *out, size_t out_size);

#endif
