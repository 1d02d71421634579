#include "sw_sentry.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sw_file.h"
#include "sw_log.h"
#include "sw_random.h"
#include "sw_status.h"
#include "sw_thread.h"
#include "sw_time.h"

#define MESSAGE_MAX 4096 /* sw_log's cap */
#define ID_MAX 256       /* sw_log's cap on request and tenant ids */
#define WARN_EVERY_MS 60000

_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "the crash handler reads a lock-free pointer");

/* A report waiting in the queue: a copy of the log line. */
struct queued {
    long long time_ms;
    char message[MESSAGE_MAX];
    char request_id[ID_MAX];
    char tenant_id[ID_MAX];
};

/* The crash signals, with the names a report gives them. */
static const struct {
    int sig;
    const char *name;
    size_t name_len;
} CRASH_SIGNALS[] = {
    {SIGSEGV, "SIGSEGV", 7}, {SIGABRT, "SIGABRT", 7}, {SIGBUS, "SIGBUS", 6},
    {SIGFPE, "SIGFPE", 6},   {SIGILL, "SIGILL", 6},
};
#define N_CRASH_SIGNALS (sizeof CRASH_SIGNALS / sizeof CRASH_SIGNALS[0])

struct sw_sentry {
    struct sw_sentry_dsn dsn;
    char service[32];
    char server_name[256];
    char environment[16];
    char release[128];
    struct sw_sentry_origin origin; /* points into the fields above */
    int timeout_ms;
    char spool_dir[SW_URL_MAX];
    int spool_fd; /* the spool folder, open for the crash handler's openat() */
    struct sw_sentry_crash crash;
    char crash_tmp[128]; /* <service>-<pid>-<event id>.tmp, renamed when complete */
    char crash_name[128];
    struct sigaction previous[N_CRASH_SIGNALS];
    struct curl_slist *headers;
    struct sw_log_reporter hook;

    struct sw_thread sender; /* sends the queue; its lock guards the queue */
    /* Under lock: */
    struct queued *queue; /* SW_SENTRY_QUEUE slots, a ring */
    size_t head, count;
    unsigned long dropped;
    bool stopping;
    long long deadline_ms; /* monotonic; set by sw_sentry_stop() */

    /* The sender's own: */
    unsigned long dropped_told;
    unsigned long failures; /* since the last warning */
    long long warned_ms;
};

/* The reporter the crash handler writes with: set at start-up, cleared at stop. */
static _Atomic(const struct sw_sentry *) crash_reporter;
/* The first crash writes the report; a second (another thread) only dies. */
static atomic_flag crash_written = ATOMIC_FLAG_INIT;

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- DSN ---- */

static bool is_key_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_'; }

static bool is_host_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* host, [v6] or either with :port (1..65535). */
static bool host_ok(const char *host, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_host_char(host[i]))
            return false;
    const char *end = host + n;
    const char *port = NULL;
    if (host[0] == '[') {
        const char *close = memchr(host, ']', n);
        if (!close || close == host + 1)
            return false;
        if (close + 1 < end) {
            if (close[1] != ':')
                return false;
            port = close + 2;
        }
    } else {
        const char *colon = memchr(host, ':', n);
        if (colon == host || memchr(host, '[', n) || memchr(host, ']', n))
            return false;
        if (colon) {
            if (memchr(colon + 1, ':', (size_t)(end - colon - 1)))
                return false;
            port = colon + 1;
        }
    }
    if (port) {
        size_t len = (size_t)(end - port);
        if (!all_digits(port, len) || len > 5)
            return false;
        long value = 0;
        for (size_t i = 0; i < len; i++)
            value = value * 10 + (port[i] - '0');
        if (value < 1 || value > 65535)
            return false;
    }
    return true;
}

int sw_sentry_dsn_parse(const char *text, struct sw_sentry_dsn *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return SW_EINVAL;
    const char *scheme;
    if (strncmp(text, "https://", 8) == 0) {
        out->https = true;
        scheme = "https";
    } else if (strncmp(text, "http://", 7) == 0) {
        scheme = "http";
    } else {
        return SW_EINVAL;
    }
    const char *p = text + strlen(scheme) + 3;
    if (strpbrk(p, "?# \t\r\n"))
        return SW_EINVAL;
    const char *slash = strchr(p, '/');
    const char *at = strchr(p, '@');
    if (!slash || !at || at > slash)
        return SW_EINVAL;
    /* The public key, and a legacy ":secret" after it that is never sent. */
    const char *colon = memchr(p, ':', (size_t)(at - p));
    size_t key_len = (size_t)((colon ? colon : at) - p);
    if (key_len == 0 || key_len >= sizeof out->public_key)
        return SW_EINVAL;
    for (size_t i = 0; i < key_len; i++)
        if (!is_key_char(p[i]))
            return SW_EINVAL;
    const char *host = at + 1;
    size_t host_len = (size_t)(slash - host);
    if (!host_ok(host, host_len))
        return SW_EINVAL;
    /* The path: an optional prefix, then the project id (one trailing '/' allowed). */
    size_t path_len = strlen(slash);
    if (path_len > 1 && slash[path_len - 1] == '/')
        path_len--;
    const char *last = slash + path_len;
    while (last > slash && last[-1] != '/')
        last--;
    size_t project_len = (size_t)(slash + path_len - last);
    if (!all_digits(last, project_len) || project_len >= sizeof out->project_id)
        return SW_EINVAL;
    size_t prefix_len = (size_t)(last - 1 - slash); /* between the host and "/<project>" */
    const char *prefix = slash;
    if (strstr(slash, "//"))
        return SW_EINVAL;

    memcpy(out->public_key, p, key_len);
    memcpy(out->project_id, last, project_len);
    int n = snprintf(out->dsn, sizeof out->dsn, "%s://%s@%.*s%.*s/%s", scheme, out->public_key,
                     (int)host_len, host, (int)prefix_len, prefix, out->project_id);
    int m = snprintf(out->endpoint, sizeof out->endpoint, "%s://%.*s%.*s/api/%s/envelope/", scheme,
                     (int)host_len, host, (int)prefix_len, prefix, out->project_id);
    if (n < 0 || (size_t)n >= sizeof out->dsn || m < 0 || (size_t)m >= sizeof out->endpoint) {
        memset(out, 0, sizeof *out);
        return SW_EINVAL;
    }
    return 0;
}

/* ---- Envelopes ---- */

void sw_sentry_event_id(char out[SW_SENTRY_EVENT_ID_LEN])
{
    char uuid[SW_UUID_LEN];
    sw_uuid_v4(uuid);
    size_t n = 0;
    for (const char *c = uuid; *c && n + 1 < SW_SENTRY_EVENT_ID_LEN; c++)
        if (*c != '-')
            out[n++] = *c;
    out[n] = '\0';
}

/* The fields every event of the process carries (all but id, time, level, message). */
static int set_origin(json_t *event, const struct sw_sentry_origin *origin)
{
    char logger[64];
    snprintf(logger, sizeof logger, "sw-%s", origin->service);
    int rc = json_object_set_new(event, "platform", json_string("c"));
    rc |= json_object_set_new(event, "logger", json_string(logger));
    rc |= json_object_set_new(event, "server_name", json_string(origin->server_name));
    if (origin->release && *origin->release)
        rc |= json_object_set_new(event, "release", json_string(origin->release));
    rc |= json_object_set_new(event, "environment", json_string(origin->environment));
    return rc ? SW_EINTERNAL : 0;
}

static json_t *tags_of(const struct sw_sentry_origin *origin, const struct sw_sentry_event *event)
{
    json_t *tags = json_object();
    int rc = tags ? json_object_set_new(tags, "service", json_string(origin->service)) : -1;
    if (rc == 0 && event && event->request_id && *event->request_id)
        rc = json_object_set_new(tags, "request_id", json_string(event->request_id));
    if (rc == 0 && event && event->tenant_id && *event->tenant_id)
        rc = json_object_set_new(tags, "tenant_id", json_string(event->tenant_id));
    if (rc != 0) {
        json_decref(tags);
        return NULL;
    }
    return tags;
}

static char *dump(json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(value);
    return text;
}

int sw_sentry_envelope(const struct sw_sentry_dsn *dsn, const struct sw_sentry_origin *origin,
                       const struct sw_sentry_event *event, long long sent_at_ms, char **out,
                       size_t *out_len)
{
    char when[SW_TIME_ISO_MAX], sent_at[SW_TIME_ISO_MAX];
    char *header_text = NULL, *event_text = NULL, *item_text = NULL;
    int rc = SW_EINTERNAL;
    *out = NULL;
    *out_len = 0;
    sw_time_iso_ms(event->time_ms, when);
    sw_time_iso_ms(sent_at_ms, sent_at);

    json_t *body = json_pack("{s:s, s:s, s:s}", "event_id", event->event_id, "timestamp", when,
                             "level", event->fatal ? "fatal" : "error");
    /* json_object_set_new() refuses (and frees nothing for) a NULL value. */
    if (!body || set_origin(body, origin) != 0 ||
        json_object_set_new(body, "message", json_pack("{s:s}", "formatted", event->message)) !=
            0 ||
        json_object_set_new(body, "tags", tags_of(origin, event)) != 0) {
        json_decref(body);
        goto out;
    }
    event_text = dump(body);
    header_text = dump(json_pack("{s:s, s:s, s:s}", "event_id", event->event_id, "dsn", dsn->dsn,
                                 "sent_at", sent_at));
    if (!event_text || !header_text)
        goto out;
    size_t event_len = strlen(event_text);
    item_text = dump(json_pack("{s:s, s:I}", "type", "event", "length", (json_int_t)event_len));
    if (!item_text)
        goto out;
    size_t total = strlen(header_text) + 1 + strlen(item_text) + 1 + event_len + 1;
    char *text = malloc(total + 1);
    if (!text)
        goto out;
    int n = snprintf(text, total + 1, "%s\n%s\n%s\n", header_text, item_text, event_text);
    if (n < 0 || (size_t)n != total) {
        free(text);
        goto out;
    }
    *out = text;
    *out_len = total;
    rc = 0;
out:
    free(header_text);
    free(event_text);
    free(item_text);
    return rc;
}

/* Copies text into dst (its size), failing when it does not fit. */
static int put_part(char *dst, size_t size, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (n >= size)
        return SW_EINTERNAL;
    memcpy(dst, text, n + 1);
    *len = n;
    return 0;
}

int sw_sentry_crash_prepare(const struct sw_sentry_dsn *dsn, const struct sw_sentry_origin *origin,
                            const char *event_id, struct sw_sentry_crash *out)
{
    memset(out, 0, sizeof *out);
    int rc = SW_EINTERNAL;
    char *header = dump(json_pack("{s:s, s:s}", "event_id", event_id, "dsn", dsn->dsn));
    /* The event's fields after the timestamp, as an object whose braces are dropped. */
    json_t *fields = json_pack("{s:s}", "level", "fatal");
    json_t *tags = tags_of(origin, NULL);
    char *middle = NULL;
    if (fields && tags && set_origin(fields, origin) == 0 &&
        json_object_set_new(fields, "tags", tags) == 0) {
        tags = NULL;
        middle = dump(fields);
    } else {
        json_decref(fields);
    }
    json_decref(tags);
    if (!header || !middle)
        goto out;
    char text[sizeof out->event_tail];
    size_t middle_len = strlen(middle);
    int n = snprintf(text, sizeof text, ",%.*s,\"message\":{\"formatted\":\"fatal signal ",
                     (int)(middle_len - 2), middle + 1);
    if (n < 0 || (size_t)n >= sizeof text)
        goto out;
    rc = put_part(out->event_tail, sizeof out->event_tail, &out->event_tail_len, text);
    n = snprintf(text, sizeof text, "{\"event_id\":\"%s\",\"timestamp\":", event_id);
    if (rc == 0 && (n < 0 || (size_t)n >= sizeof out->event_head))
        rc = SW_EINTERNAL;
    if (rc == 0)
        rc = put_part(out->event_head, sizeof out->event_head, &out->event_head_len, text);
    n = snprintf(text, sizeof text, "%s\n", header);
    if (rc == 0 && (n < 0 || (size_t)n >= sizeof out->envelope_header))
        rc = SW_EINTERNAL;
    if (rc == 0)
        rc = put_part(out->envelope_header, sizeof out->envelope_header, &out->envelope_header_len,
                      text);
out:
    free(header);
    free(middle);
    return rc;
}

/* The crash path: everything below runs in a signal handler. */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Decimal digits of v (>= 0) into out; returns their count. */
static size_t format_decimal(long long v, char out[24])
{
    char rev[24];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && n < sizeof rev);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    return n;
}

int sw_sentry_crash_write(const struct sw_sentry_crash *crash, int fd, int sig, long long time_s)
{
    static const char ITEM_HEAD[] = "{\"type\":\"event\",\"length\":";
    static const char ITEM_TAIL[] = "}\n";
    static const char EVENT_END[] = "\"}}\n";
    const char *name = "signal";
    size_t name_len = 6;
    for (size_t i = 0; i < N_CRASH_SIGNALS; i++)
        if (CRASH_SIGNALS[i].sig == sig) {
            name = CRASH_SIGNALS[i].name;
            name_len = CRASH_SIGNALS[i].name_len;
        }
    char ts[24], length[24];
    size_t ts_len = format_decimal(time_s < 0 ? 0 : time_s, ts);
    /* The item's length counts the event without its closing newline. */
    size_t event_len =
        crash->event_head_len + ts_len + crash->event_tail_len + name_len + sizeof EVENT_END - 2;
    size_t length_len = format_decimal((long long)event_len, length);
    if (write_all(fd, crash->envelope_header, crash->envelope_header_len) != 0 ||
        write_all(fd, ITEM_HEAD, sizeof ITEM_HEAD - 1) != 0 ||
        write_all(fd, length, length_len) != 0 ||
        write_all(fd, ITEM_TAIL, sizeof ITEM_TAIL - 1) != 0 ||
        write_all(fd, crash->event_head, crash->event_head_len) != 0 ||
        write_all(fd, ts, ts_len) != 0 ||
        write_all(fd, crash->event_tail, crash->event_tail_len) != 0 ||
        write_all(fd, name, name_len) != 0 || write_all(fd, EVENT_END, sizeof EVENT_END - 1) != 0)
        return -1;
    return 0;
}

/*
 * Writes the crash envelope to <spool>/<name>.tmp, renames it complete, and
 * dies of the same signal (SA_RESETHAND restored the default action).
 */
static void on_crash(int sig)
{
    const struct sw_sentry *s = atomic_load(&crash_reporter);
    if (s && !atomic_flag_test_and_set(&crash_written)) {
        int fd = openat(s->spool_fd, s->crash_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            int rc = sw_sentry_crash_write(&s->crash, fd, sig, (long long)now.tv_sec);
            close(fd);
            if (rc == 0)
                renameat(s->spool_fd, s->crash_tmp, s->spool_fd, s->crash_name);
            else
                unlinkat(s->spool_fd, s->crash_tmp, 0);
        }
    }
    raise(sig);
}

static void crash_handlers_install(struct sw_sentry *s)
{
    atomic_store(&crash_reporter, s);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_crash;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_ONSTACK;
    for (size_t i = 0; i < N_CRASH_SIGNALS; i++)
        sigaction(CRASH_SIGNALS[i].sig, &action, &s->previous[i]);
}

static void crash_handlers_remove(struct sw_sentry *s)
{
    for (size_t i = 0; i < N_CRASH_SIGNALS; i++)
        sigaction(CRASH_SIGNALS[i].sig, &s->previous[i], NULL);
    atomic_store(&crash_reporter, NULL);
}

/* ---- The queue (any thread) ---- */

static void report(void *arg, const struct sw_log_event *event)
{
    struct sw_sentry *s = arg;
    pthread_mutex_lock(&s->sender.lock);
    if (s->count == SW_SENTRY_QUEUE) {
        s->dropped++;
    } else {
        struct queued *q = &s->queue[(s->head + s->count) % SW_SENTRY_QUEUE];
        q->time_ms = event->time_ms;
        snprintf(q->message, sizeof q->message, "%s", event->message);
        snprintf(q->request_id, sizeof q->request_id, "%s",
                 event->request_id ? event->request_id : "");
        snprintf(q->tenant_id, sizeof q->tenant_id, "%s", event->tenant_id ? event->tenant_id : "");
        s->count++;
        pthread_cond_signal(&s->sender.wake);
    }
    pthread_mutex_unlock(&s->sender.lock);
}

/* ---- The sender thread ---- */

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
    (void)data;
    (void)arg;
    return size * n;
}

/* A failure is logged (at warn: an error would report itself) at most once a minute. */
static void note_failure(struct sw_sentry *s, const char *why)
{
    s->failures++;
    long long now = monotonic_ms();
    if (s->warned_ms && now - s->warned_ms < WARN_EVERY_MS)
        return;
    sw_log_warn("sentry: %lu report(s) not sent to %s (last: %s)", s->failures, s->dsn.endpoint,
                why);
    s->failures = 0;
    s->warned_ms = now;
}

/* The time one transfer may take: the timeout, within the flush deadline once stopping. */
static long transfer_timeout(struct sw_sentry *s)
{
    pthread_mutex_lock(&s->sender.lock);
    long long left = s->stopping ? s->deadline_ms - monotonic_ms() : s->timeout_ms;
    pthread_mutex_unlock(&s->sender.lock);
    return left < s->timeout_ms ? (long)left : (long)s->timeout_ms;
}

/* Posts one envelope; 0 when Sentry took it, else the HTTP status or -1. */
static long post(struct sw_sentry *s, CURL *curl, const char *body, size_t len)
{
    long timeout = transfer_timeout(s);
    if (timeout <= 0)
        return -1;
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, s->dsn.endpoint);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, s->dsn.https ? "https" : "http");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, SW_SENTRY_CLIENT);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        note_failure(s, curl_easy_strerror(rc));
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
        return 0;
    char why[32];
    snprintf(why, sizeof why, "HTTP %ld", status);
    note_failure(s, why);
    return status;
}

static void send_queued(struct sw_sentry *s, CURL *curl, const struct queued *q)
{
    char event_id[SW_SENTRY_EVENT_ID_LEN];
    sw_sentry_event_id(event_id);
    struct sw_sentry_event event = {
        .event_id = event_id,
        .time_ms = q->time_ms,
        .message = q->message,
        .request_id = q->request_id[0] ? q->request_id : NULL,
        .tenant_id = q->tenant_id[0] ? q->tenant_id : NULL,
    };
    char *body = NULL;
    size_t len = 0;
    if (sw_sentry_envelope(&s->dsn, &s->origin, &event, wall_ms(), &body, &len) != 0) {
        note_failure(s, "cannot build the envelope");
        return;
    }
    post(s, curl, body, len);
    free(body);
}

static bool ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n > m && strcmp(name + n - m, suffix) == 0;
}

static bool stopping(struct sw_sentry *s)
{
    pthread_mutex_lock(&s->sender.lock);
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->sender.lock);
    return stop;
}

/*
 * Sends one spooled envelope and deletes it once Sentry answered (a refusal
 * other than 429 would be refused again). Another process starting at the
 * same time may be at the same file: the lock, and the check that the file
 * is still there once locked, send it once.
 */
static bool send_spooled(struct sw_sentry *s, CURL *curl, const char *name)
{
    bool sent = false;
    char *body = NULL;
    int fd = openat(s->spool_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    struct stat held, named;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &held) != 0 ||
        fstatat(s->spool_fd, name, &named, AT_SYMLINK_NOFOLLOW) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev || !S_ISREG(held.st_mode))
        goto out;
    if (held.st_size <= 0 || held.st_size > SW_SENTRY_SPOOL_MAX) {
        sw_log_warn("sentry: %s/%s is not a crash report; removed", s->spool_dir, name);
        unlinkat(s->spool_fd, name, 0);
        goto out;
    }
    size_t len = (size_t)held.st_size;
    body = malloc(len);
    size_t got = 0;
    while (body && got < len) {
        ssize_t n = read(fd, body + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (!body || got != len)
        goto out;
    long status = post(s, curl, body, len);
    if (status == 0 || (status >= 400 && status < 500 && status != 429)) {
        unlinkat(s->spool_fd, name, 0);
        sent = status == 0;
    }
out:
    free(body);
    close(fd);
    return sent;
}

/* Sends what crashed processes left in the spool (SW_SENTRY_MAX_SPOOLED at most). */
static void send_spool(struct sw_sentry *s, CURL *curl)
{
    int dir_fd = dup(s->spool_fd);
    DIR *dir = dir_fd >= 0 ? fdopendir(dir_fd) : NULL;
    if (!dir) {
        if (dir_fd >= 0)
            close(dir_fd);
        return;
    }
    char names[SW_SENTRY_MAX_SPOOLED][256];
    size_t n = 0;
    const struct dirent *entry;
    while (n < SW_SENTRY_MAX_SPOOLED && (entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.' && ends_with(entry->d_name, ".envelope"))
            snprintf(names[n++], sizeof names[0], "%s", entry->d_name);
    closedir(dir);
    size_t sent = 0;
    for (size_t i = 0; i < n && !stopping(s); i++)
        sent += send_spooled(s, curl, names[i]);
    if (sent > 0)
        sw_log_info("sentry: sent %zu crash report(s) from %s", sent, s->spool_dir);
}

static void *sender_main(void *arg)
{
    struct sw_sentry *s = arg;
    CURL *curl = curl_easy_init();
    if (!curl)
        sw_log_warn("sentry: cannot create a transfer; error reports are dropped");
    else
        send_spool(s, curl);
    for (;;) {
        struct queued q;
        pthread_mutex_lock(&s->sender.lock);
        while (s->count == 0 && !s->stopping)
            pthread_cond_wait(&s->sender.wake, &s->sender.lock);
        if (s->count == 0 || (s->stopping && monotonic_ms() >= s->deadline_ms)) {
            s->dropped += s->count;
            s->count = 0;
            pthread_mutex_unlock(&s->sender.lock);
            break;
        }
        memcpy(&q, &s->queue[s->head], sizeof q);
        s->head = (s->head + 1) % SW_SENTRY_QUEUE;
        s->count--;
        unsigned long dropped = s->dropped;
        pthread_mutex_unlock(&s->sender.lock);
        if (curl)
            send_queued(s, curl, &q);
        if (dropped > s->dropped_told) {
            sw_log_warn("sentry: %lu error report(s) dropped: the queue was full",
                        dropped - s->dropped_told);
            s->dropped_told = dropped;
        }
    }
    curl_easy_cleanup(curl);
    return NULL;
}

/* ---- Start and stop ---- */

/* Frees what sw_sentry_start() made before the sender thread existed. */
static void sentry_free(struct sw_sentry *s)
{
    if (s->spool_fd >= 0)
        close(s->spool_fd);
    curl_slist_free_all(s->headers);
    free(s->queue);
    free(s);
}

static int open_spool(const struct sw_config *cfg, struct sw_sentry *s)
{
    char def[SW_URL_MAX + 16];
    snprintf(def, sizeof def, "%s/sentry", cfg->var_dir);
    const char *dir = sw_env_str("SW_SENTRY_SPOOL_DIR", def);
    if (strlen(dir) >= sizeof s->spool_dir) {
        sw_log_error("configuration: SW_SENTRY_SPOOL_DIR is too long");
        return SW_EINVAL;
    }
    snprintf(s->spool_dir, sizeof s->spool_dir, "%s", dir);
    if (sw_mkdirs(s->spool_dir, 0700) != 0 ||
        (s->spool_fd = open(s->spool_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        sw_log_error("configuration: SW_SENTRY_SPOOL_DIR: cannot use %s", s->spool_dir);
        return SW_EINVAL;
    }
    return 0;
}

int sw_sentry_start(const struct sw_config *cfg, const char *service, struct sw_sentry **out)
{
    *out = NULL;
    const char *text = sw_env_str("SENTRY_DSN", NULL);
    if (!text)
        return 0;
    struct sw_sentry *s = calloc(1, sizeof *s);
    if (!s)
        return SW_ENOMEM;
    s->spool_fd = -1;
    if (sw_sentry_dsn_parse(text, &s->dsn) != 0) {
        sw_log_error("configuration: SENTRY_DSN must be a DSN: https://<key>@<host>/<project id>");
        goto fail;
    }
    if (cfg->production && !s->dsn.https) {
        sw_log_error("configuration: SENTRY_DSN must be https:// in production");
        goto fail;
    }
    if (sw_env_int("SW_SENTRY_TIMEOUT_MS", 2000, 100, 10000, &s->timeout_ms) != 0 ||
        open_spool(cfg, s) != 0)
        goto fail;

    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "unknown");
    sw_log_utf8_escape(host, s->server_name, sizeof s->server_name);
    sw_log_utf8_escape(sw_env_str("SENTRY_RELEASE", ""), s->release, sizeof s->release);
    snprintf(s->service, sizeof s->service, "%s", service);
    snprintf(s->environment, sizeof s->environment, "%s",
             cfg->production ? "production" : "development");
    s->origin = (struct sw_sentry_origin){s->service, s->server_name, s->environment,
                                          s->release[0] ? s->release : NULL};

    char event_id[SW_SENTRY_EVENT_ID_LEN];
    char auth[256];
    if (sw_random_init() != 0)
        goto fail;
    sw_sentry_event_id(event_id);
    snprintf(s->crash_tmp, sizeof s->crash_tmp, "%s-%ld-%s.tmp", s->service, (long)getpid(),
             event_id);
    snprintf(s->crash_name, sizeof s->crash_name, "%s-%ld-%s.envelope", s->service, (long)getpid(),
             event_id);
    snprintf(auth, sizeof auth,
             "X-Sentry-Auth: Sentry sentry_version=7, sentry_client=" SW_SENTRY_CLIENT
             ", sentry_key=%s",
             s->dsn.public_key);
    struct curl_slist *list = NULL;
    const char *headers[] = {auth, "Content-Type: application/x-sentry-envelope", "Expect:"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        struct curl_slist *next = curl_slist_append(list, headers[i]);
        if (!next) {
            curl_slist_free_all(list);
            goto fail;
        }
        list = next;
    }
    s->headers = list;
    s->queue = calloc(SW_SENTRY_QUEUE, sizeof *s->queue);
    if (!s->queue || sw_sentry_crash_prepare(&s->dsn, &s->origin, event_id, &s->crash) != 0)
        goto fail;
    /* Reference-counted: services that use curl themselves init it again. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        goto fail;
    if (sw_thread_start(&s->sender, sender_main, s) != 0) {
        curl_global_cleanup();
        goto fail;
    }
    s->hook = (struct sw_log_reporter){report, s};
    sw_log_set_reporter(&s->hook);
    crash_handlers_install(s);
    sw_log_info("sentry: error reports go to %s; crash reports wait in %s", s->dsn.endpoint,
                s->spool_dir);
    *out = s;
    return 0;
fail:
    sentry_free(s);
    return SW_EINVAL;
}

void sw_sentry_stop(struct sw_sentry *sentry)
{
    if (!sentry)
        return;
    sw_log_set_reporter(NULL);
    pthread_mutex_lock(&sentry->sender.lock);
    sentry->stopping = true;
    sentry->deadline_ms = monotonic_ms() + SW_SENTRY_FLUSH_MS;
    pthread_cond_signal(&sentry->sender.wake);
    pthread_mutex_unlock(&sentry->sender.lock);
    sw_thread_join(&sentry->sender);
    if (sentry->dropped > sentry->dropped_told)
        sw_log_warn("sentry: %lu error report(s) not sent", sentry->dropped - sentry->dropped_told);
    crash_handlers_remove(sentry);
    curl_global_cleanup();
    sentry_free(sentry);
}
