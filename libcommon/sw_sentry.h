/*
 * Error reports to Sentry, optional: with SENTRY_DSN set, every error-level
 * log line and every crash becomes a Sentry event, sent in Sentry's envelope
 * format (POST <scheme>://<host>[:port]/api/<project>/envelope/) with libcurl.
 *
 * A report is the log line itself: sw_log() hands the reporter the message
 * after sw_log_scrub() and the ids after the same escaping, so a report holds
 * nothing the log would not. The logging thread only copies the line into a
 * bounded queue (a full queue drops the report and counts it); one background
 * thread sends, one event at a time, with a short timeout, no redirects and
 * no proxy. sw_sentry_stop() gives the queue at most SW_SENTRY_FLUSH_MS to
 * drain.
 *
 * A crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) cannot send: the handler
 * writes a "fatal" envelope, assembled from parts built at start-up with
 * async-signal-safe calls only, into the spool folder (SW_SENTRY_SPOOL_DIR,
 * default <var>/sentry) and re-raises the signal. The next process to start
 * with a DSN sends whatever the spool holds, then deletes it.
 *
 * State: the one reporter of a process is made by sw_sentry_start() during
 * start-up, before other threads exist, and registered with the logger and
 * the crash handler; sw_sentry_stop() removes and frees it after the
 * service's threads have stopped. Nothing else is global.
 */
#ifndef SW_SENTRY_H
#define SW_SENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_config.h"

#define SW_SENTRY_CLIENT "statuswatch/1.0"
#define SW_SENTRY_FLUSH_MS 2000   /* the most sw_sentry_stop() waits for the queue */
#define SW_SENTRY_QUEUE 64        /* reports waiting to be sent; more are dropped */
#define SW_SENTRY_EVENT_ID_LEN 33 /* 32 hex digits and the NUL */
#define SW_SENTRY_MAX_SPOOLED 32  /* spooled envelopes sent per start-up */
#define SW_SENTRY_SPOOL_MAX 65536 /* a larger spool file is not one of ours */

/* A DSN, https://<public key>@<host>[:port][/<path>]/<project id>, taken apart. */
struct sw_sentry_dsn {
    bool https;
    char public_key[128];
    char project_id[32];
    char dsn[SW_URL_MAX];      /* as the envelope header repeats it (no legacy secret) */
    char endpoint[SW_URL_MAX]; /* <scheme>://<host>[:port][/<path>]/api/<project>/envelope/ */
};

/*
 * Parses text; SW_EINVAL when it is not an http(s) DSN with a key, a host
 * and a numeric project id. A legacy "key:secret@" secret is dropped.
 */
int sw_sentry_dsn_parse(const char *text, struct sw_sentry_dsn *out);

/* Who reports: the same for every event of a process. */
struct sw_sentry_origin {
    const char *service;     /* "auth", "gateway", … (tag and logger "sw-<service>") */
    const char *server_name; /* the host name */
    const char *environment; /* SW_ENV: "development" or "production" */
    const char *release;     /* SENTRY_RELEASE; NULL when unknown */
};

/* One event, as the logger gave it. */
struct sw_sentry_event {
    const char *event_id; /* 32 lower-case hex digits */
    long long time_ms;
    bool fatal;             /* level "fatal", else "error" */
    const char *message;    /* already scrubbed and escaped */
    const char *request_id; /* NULL when none */
    const char *tenant_id;  /* NULL when none */
};

/*
 * Builds the envelope: its header ({event_id, dsn, sent_at}), the item header
 * ({type: "event", length}) and the event, each on one line. *out is
 * NUL-terminated and owned by the caller (free()).
 */
int sw_sentry_envelope(const struct sw_sentry_dsn *dsn, const struct sw_sentry_origin *origin,
                       const struct sw_sentry_event *event, long long sent_at_ms, char **out,
                       size_t *out_len);

/* A new event id: 32 random hex digits (sw_random_init() must have run). */
void sw_sentry_event_id(char out[SW_SENTRY_EVENT_ID_LEN]);

/*
 * The crash envelope, prepared at start-up: everything but the time and the
 * signal's name, which the handler fills in with async-signal-safe calls.
 * Exposed for the unit test; the reporter keeps its own.
 */
struct sw_sentry_crash {
    char envelope_header[2 * SW_URL_MAX];
    char event_head[128];  /* {"event_id":"…","timestamp": */
    char event_tail[2048]; /* ,"platform":"c",…,"message":{"formatted":"… */
    size_t envelope_header_len, event_head_len, event_tail_len;
};

int sw_sentry_crash_prepare(const struct sw_sentry_dsn *dsn, const struct sw_sentry_origin *origin,
                            const char *event_id, struct sw_sentry_crash *out);

/* Writes the crash envelope of signal sig at time_s to fd; async-signal-safe. 0 or -1. */
int sw_sentry_crash_write(const struct sw_sentry_crash *crash, int fd, int sig, long long time_s);

struct sw_sentry;

/*
 * Reads SENTRY_DSN (and SENTRY_RELEASE, SW_SENTRY_SPOOL_DIR,
 * SW_SENTRY_TIMEOUT_MS). Without a DSN, *out is NULL and nothing happens.
 * Otherwise starts the sender (which first sends the spool), registers with
 * the logger and installs the crash handlers. SW_EINVAL, logged naming the
 * variable, for a malformed DSN or, in production, one that is not https://.
 * Call during start-up, before other threads exist.
 */
int sw_sentry_start(const struct sw_config *cfg, const char *service, struct sw_sentry **out);

/*
 * Unregisters, sends what is queued for at most SW_SENTRY_FLUSH_MS, stops the
 * sender and frees everything. Call after the threads that log have
 * stopped. NULL is a no-op.
 */
void sw_sentry_stop(struct sw_sentry *sentry);

#endif
