/*
 * sw_sentry: DSNs taken apart, envelopes built as Sentry reads them, start-up
 * refusals, and the reporter end to end against a small local receiver: an
 * error-level log line arrives scrubbed with its ids, a crash is spooled by
 * the signal handler and sent by the next start, and stopping is bounded
 * when nothing answers.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sw_log.h"
#include "sw_random.h"
#include "sw_sentry.h"
#include "sw_status.h"
#include "unit.h"

static const struct sw_sentry_origin ORIGIN = {"auth", "host-1", "development", "1.2.3"};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- An envelope, taken apart and checked ---- */

struct parsed {
    json_t *header;
    json_t *item;
    json_t *event;
};

static void parsed_free(struct parsed *p)
{
    json_decref(p->header);
    json_decref(p->item);
    json_decref(p->event);
}

/* Three lines: header, item header, event; the item's length is the event's. */
static struct parsed parse_envelope(const char *text, size_t len)
{
    struct parsed p = {NULL, NULL, NULL};
    const char *nl1 = memchr(text, '\n', len);
    assert_non_null(nl1);
    const char *nl2 = memchr(nl1 + 1, '\n', len - (size_t)(nl1 + 1 - text));
    assert_non_null(nl2);
    json_error_t error;
    p.header = json_loadb(text, (size_t)(nl1 - text), 0, &error);
    p.item = json_loadb(nl1 + 1, (size_t)(nl2 - nl1 - 1), 0, &error);
    assert_non_null(p.header);
    assert_non_null(p.item);
    assert_string_equal(json_string_value(json_object_get(p.item, "type")), "event");
    size_t event_len = (size_t)json_integer_value(json_object_get(p.item, "length"));
    const char *event = nl2 + 1;
    assert_true(event + event_len <= text + len);
    assert_true(event + event_len == text + len || event[event_len] == '\n');
    p.event = json_loadb(event, event_len, 0, &error);
    if (!p.event)
        fail_msg("event does not parse: %s", error.text);
    return p;
}

static const char *get_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const char *tag(const struct parsed *p, const char *key)
{
    return get_str(json_object_get(p->event, "tags"), key);
}

/* ---- DSN ---- */

static void test_dsn_with_port_gives_the_envelope_endpoint(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("https://abc123@o1.ingest.sentry.io:8443/42", &dsn), 0);
    assert_true(dsn.https);
    assert_string_equal(dsn.public_key, "abc123");
    assert_string_equal(dsn.project_id, "42");
    assert_string_equal(dsn.endpoint, "https://o1.ingest.sentry.io:8443/api/42/envelope/");
    assert_string_equal(dsn.dsn, "https://abc123@o1.ingest.sentry.io:8443/42");
}

static void test_dsn_keeps_a_path_prefix_and_plain_http(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("http://publickey@127.0.0.1:9000/sentry/7/", &dsn), 0);
    assert_false(dsn.https);
    assert_string_equal(dsn.endpoint, "http://127.0.0.1:9000/sentry/api/7/envelope/");
    assert_string_equal(dsn.dsn, "http://publickey@127.0.0.1:9000/sentry/7");
    assert_int_equal(sw_sentry_dsn_parse("https://k@[::1]:443/1", &dsn), 0);
    assert_string_equal(dsn.endpoint, "https://[::1]:443/api/1/envelope/");
}

static void test_dsn_drops_a_legacy_secret(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("https://pub:very-secret@sentry.example.com/5", &dsn), 0);
    assert_string_equal(dsn.public_key, "pub");
    assert_null(strstr(dsn.dsn, "very-secret"));
    assert_null(strstr(dsn.endpoint, "very-secret"));
}

static void test_dsn_refuses_what_is_not_a_dsn(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "sentry.example.com/42",
        "ftp://key@sentry.example.com/42",
        "https://sentry.example.com/42",       /* no key */
        "https://@sentry.example.com/42",      /* empty key */
        "https://key@/42",                     /* no host */
        "https://key@sentry.example.com",      /* no project */
        "https://key@sentry.example.com/",     /* empty project */
        "https://key@sentry.example.com/abc",  /* not numeric */
        "https://key@sentry.example.com:0/42", /* port 0 */
        "https://key@sentry.example.com:99999/42",
        "https://key@sentry.example.com/42?x=1",
        "https://key@sentry.example.com//42",
        "https://k ey@sentry.example.com/42",
        "https://key@sentry.exa mple.com/42",
        "https://key@sentry.example.com:80:80/42",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct sw_sentry_dsn dsn;
        if (sw_sentry_dsn_parse(bad[i], &dsn) != SW_EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

/* ---- Envelopes ---- */

static void test_envelope_carries_the_event_with_its_ids_and_origin(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("https://pk@sentry.example.com/42", &dsn), 0);
    const char *id = "0123456789abcdef0123456789abcdef";
    struct sw_sentry_event ev = {id,      1700000000123LL, false, "query failed: \"x\"",
                                 "req-1", "tenant-1"};
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(sw_sentry_envelope(&dsn, &ORIGIN, &ev, 1700000001000LL, &text, &len), 0);
    assert_int_equal(len, strlen(text));
    struct parsed p = parse_envelope(text, len);
    assert_string_equal(get_str(p.header, "event_id"), id);
    assert_string_equal(get_str(p.header, "dsn"), "https://pk@sentry.example.com/42");
    assert_string_equal(get_str(p.header, "sent_at"), "2023-11-14T22:13:21.000Z");
    assert_string_equal(get_str(p.event, "event_id"), id);
    assert_string_equal(get_str(p.event, "timestamp"), "2023-11-14T22:13:20.123Z");
    assert_string_equal(get_str(p.event, "platform"), "c");
    assert_string_equal(get_str(p.event, "level"), "error");
    assert_string_equal(get_str(p.event, "logger"), "sw-auth");
    assert_string_equal(get_str(p.event, "server_name"), "host-1");
    assert_string_equal(get_str(p.event, "environment"), "development");
    assert_string_equal(get_str(p.event, "release"), "1.2.3");
    assert_string_equal(get_str(json_object_get(p.event, "message"), "formatted"),
                        "query failed: \"x\"");
    assert_string_equal(tag(&p, "service"), "auth");
    assert_string_equal(tag(&p, "request_id"), "req-1");
    assert_string_equal(tag(&p, "tenant_id"), "tenant-1");
    parsed_free(&p);
    free(text);
}

static void test_envelope_leaves_out_absent_ids_and_release(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("https://pk@sentry.example.com/42", &dsn), 0);
    struct sw_sentry_origin origin = ORIGIN;
    origin.release = NULL;
    struct sw_sentry_event ev = {"0123456789abcdef0123456789abcdef", 0, true, "boom", NULL, NULL};
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(sw_sentry_envelope(&dsn, &origin, &ev, 0, &text, &len), 0);
    struct parsed p = parse_envelope(text, len);
    assert_string_equal(get_str(p.event, "level"), "fatal");
    assert_null(json_object_get(p.event, "release"));
    assert_string_equal(tag(&p, "service"), "auth");
    assert_null(tag(&p, "request_id"));
    assert_null(tag(&p, "tenant_id"));
    parsed_free(&p);
    free(text);
}

static void test_event_ids_are_32_hex_digits(void **state)
{
    (void)state;
    char a[SW_SENTRY_EVENT_ID_LEN], b[SW_SENTRY_EVENT_ID_LEN];
    sw_sentry_event_id(a);
    sw_sentry_event_id(b);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);
}

/* Reads what fd holds from the start (at most max bytes). */
static size_t read_back(int fd, char *buf, size_t max)
{
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    size_t n = 0;
    ssize_t got;
    while (n < max && (got = read(fd, buf + n, max - n)) > 0)
        n += (size_t)got;
    return n;
}

static void test_crash_envelope_is_a_fatal_event_with_a_correct_length(void **state)
{
    (void)state;
    struct sw_sentry_dsn dsn;
    assert_int_equal(sw_sentry_dsn_parse("http://pk@127.0.0.1:1/42", &dsn), 0);
    struct sw_sentry_crash crash;
    const char *id = "fedcba9876543210fedcba9876543210";
    assert_int_equal(sw_sentry_crash_prepare(&dsn, &ORIGIN, id, &crash), 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(sw_sentry_crash_write(&crash, fileno(f), SIGSEGV, 1700000000LL), 0);
    char buf[8192];
    size_t len = read_back(fileno(f), buf, sizeof buf);
    fclose(f);
    struct parsed p = parse_envelope(buf, len);
    assert_string_equal(get_str(p.header, "event_id"), id);
    assert_string_equal(get_str(p.header, "dsn"), "http://pk@127.0.0.1:1/42");
    assert_string_equal(get_str(p.event, "event_id"), id);
    assert_int_equal(json_integer_value(json_object_get(p.event, "timestamp")), 1700000000LL);
    assert_string_equal(get_str(p.event, "level"), "fatal");
    assert_string_equal(get_str(p.event, "platform"), "c");
    assert_string_equal(get_str(json_object_get(p.event, "message"), "formatted"),
                        "fatal signal SIGSEGV");
    assert_string_equal(tag(&p, "service"), "auth");
    parsed_free(&p);
}

/* ---- Start-up ---- */

static struct sw_config config_in(const char *var_dir, bool production)
{
    struct sw_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.var_dir, sizeof cfg.var_dir, "%s", var_dir);
    cfg.production = production;
    return cfg;
}

static void test_start_without_a_dsn_does_nothing(void **state)
{
    (void)state;
    unsetenv("SENTRY_DSN");
    struct sw_config cfg = config_in("/nonexistent", false);
    struct sw_sentry *sentry = (struct sw_sentry *)&cfg; /* must be overwritten */
    assert_int_equal(sw_sentry_start(&cfg, "auth", &sentry), 0);
    assert_null(sentry);
    sw_sentry_stop(NULL);
}

static void test_start_refuses_a_malformed_dsn(void **state)
{
    (void)state;
    setenv("SENTRY_DSN", "https://sentry.example.com/42", 1);
    struct sw_config cfg = config_in("/tmp", false);
    struct sw_sentry *sentry = NULL;
    assert_int_equal(sw_sentry_start(&cfg, "auth", &sentry), SW_EINVAL);
    assert_null(sentry);
    unsetenv("SENTRY_DSN");
}

static void test_production_refuses_a_plain_http_dsn(void **state)
{
    (void)state;
    setenv("SENTRY_DSN", "http://pk@127.0.0.1:9/42", 1);
    struct sw_config cfg = config_in("/tmp", true);
    struct sw_sentry *sentry = NULL;
    assert_int_equal(sw_sentry_start(&cfg, "auth", &sentry), SW_EINVAL);
    assert_null(sentry);
    unsetenv("SENTRY_DSN");
}

/* ---- A local receiver standing in for Sentry ---- */

#define MAX_REQUESTS 8

struct request {
    char head[4096]; /* request line and headers */
    char *body;
    size_t body_len;
};

struct receiver {
    int fd;
    int port;
    bool answer; /* false: accept and never answer */
    pthread_t thread;
    pthread_mutex_t lock;
    struct request requests[MAX_REQUESTS];
    size_t n;
    volatile bool stop;
};

/* Reads one request from conn and records it; false on a short read. */
static bool read_request(struct receiver *r, int conn)
{
    char buf[65536];
    size_t len = 0;
    char *end = NULL;
    while (!end && len < sizeof buf - 1) {
        ssize_t got = read(conn, buf + len, sizeof buf - 1 - len);
        if (got <= 0)
            return false;
        len += (size_t)got;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end)
        return false;
    const char *cl = strstr(buf, "Content-Length:");
    size_t body_len = cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
    size_t head_len = (size_t)(end - buf) + 4;
    while (len < head_len + body_len && len < sizeof buf - 1) {
        ssize_t got = read(conn, buf + len, sizeof buf - 1 - len);
        if (got <= 0)
            return false;
        len += (size_t)got;
    }
    pthread_mutex_lock(&r->lock);
    if (r->n < MAX_REQUESTS) {
        struct request *req = &r->requests[r->n++];
        snprintf(req->head, sizeof req->head, "%.*s", (int)head_len, buf);
        req->body = calloc(1, body_len + 1);
        memcpy(req->body, buf + head_len, body_len);
        req->body_len = body_len;
    }
    pthread_mutex_unlock(&r->lock);
    return true;
}

static void *receiver_main(void *arg)
{
    struct receiver *r = arg;
    int held[8];
    size_t n_held = 0;
    while (!r->stop) {
        struct pollfd pfd = {r->fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int conn = accept(r->fd, NULL, NULL);
        if (conn < 0)
            continue;
        if (!r->answer) {
            if (n_held < ARRAY_LEN(held))
                held[n_held++] = conn;
            else
                close(conn);
            continue;
        }
        if (read_request(r, conn)) {
            static const char OK[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                     "Connection: close\r\n\r\n{}";
            ssize_t w = write(conn, OK, sizeof OK - 1);
            (void)w;
        }
        close(conn);
    }
    for (size_t i = 0; i < n_held; i++)
        close(held[i]);
    return NULL;
}

static void receiver_start(struct receiver *r, bool answer)
{
    memset(r, 0, sizeof *r);
    r->answer = answer;
    pthread_mutex_init(&r->lock, NULL);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(r->fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(r->fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(r->fd, 16), 0);
    socklen_t alen = sizeof addr;
    assert_int_equal(getsockname(r->fd, (struct sockaddr *)&addr, &alen), 0);
    r->port = ntohs(addr.sin_port);
    assert_int_equal(pthread_create(&r->thread, NULL, receiver_main, r), 0);
}

static size_t receiver_count(struct receiver *r)
{
    pthread_mutex_lock(&r->lock);
    size_t n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}

static void receiver_stop(struct receiver *r)
{
    r->stop = true;
    pthread_join(r->thread, NULL);
    close(r->fd);
    for (size_t i = 0; i < r->n; i++)
        free(r->requests[i].body);
    pthread_mutex_destroy(&r->lock);
}

/* A fresh spool folder under /tmp, and SENTRY_DSN naming the receiver. */
static void use_receiver(const struct receiver *r, char spool[64])
{
    snprintf(spool, 64, "/tmp/sw-sentry-test-XXXXXX");
    assert_non_null(mkdtemp(spool));
    setenv("SW_SENTRY_SPOOL_DIR", spool, 1);
    char dsn[128];
    snprintf(dsn, sizeof dsn, "http://publickey@127.0.0.1:%d/42", r->port);
    setenv("SENTRY_DSN", dsn, 1);
}

static size_t spool_files(const char *spool, const char *suffix)
{
    DIR *dir = opendir(spool);
    assert_non_null(dir);
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name), slen = strlen(suffix);
        n += len > slen && strcmp(e->d_name + len - slen, suffix) == 0;
    }
    closedir(dir);
    return n;
}

static void remove_spool(const char *spool)
{
    DIR *dir = opendir(spool);
    assert_non_null(dir);
    const struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            assert_int_equal(unlinkat(dirfd(dir), e->d_name, 0), 0);
    closedir(dir);
    assert_int_equal(rmdir(spool), 0);
    unsetenv("SW_SENTRY_SPOOL_DIR");
    unsetenv("SENTRY_DSN");
}

static void test_error_line_arrives_scrubbed_with_its_ids(void **state)
{
    (void)state;
    struct receiver r;
    char spool[64];
    receiver_start(&r, true);
    use_receiver(&r, spool);
    struct sw_config cfg = config_in("/tmp", false);
    struct sw_sentry *sentry = NULL;
    assert_int_equal(sw_sentry_start(&cfg, "auth", &sentry), 0);
    assert_non_null(sentry);
    sw_log(SW_LOG_WARN, "req-0", NULL, "a warning is not reported");
    sw_log(SW_LOG_ERROR, "req-7", "tenant-9",
           "login failed password=hunter2 Authorization: Bearer eyJabc.def");
    sw_sentry_stop(sentry); /* flushes */
    assert_int_equal(receiver_count(&r), 1);
    const struct request *req = &r.requests[0];
    assert_non_null(strstr(req->head, "POST /api/42/envelope/ HTTP/1.1"));
    assert_non_null(strstr(req->head, "X-Sentry-Auth: Sentry sentry_version=7, "
                                      "sentry_client=statuswatch/1.0, sentry_key=publickey"));
    assert_non_null(strstr(req->head, "Content-Type: application/x-sentry-envelope"));
    assert_null(strstr(req->body, "hunter2"));
    assert_null(strstr(req->body, "eyJabc"));
    struct parsed p = parse_envelope(req->body, req->body_len);
    assert_string_equal(tag(&p, "service"), "auth");
    assert_string_equal(tag(&p, "request_id"), "req-7");
    assert_string_equal(tag(&p, "tenant_id"), "tenant-9");
    assert_non_null(
        strstr(get_str(json_object_get(p.event, "message"), "formatted"), "password=[REDACTED]"));
    parsed_free(&p);
    receiver_stop(&r);
    remove_spool(spool);
}

static void test_crash_is_spooled_and_sent_by_the_next_start(void **state)
{
    (void)state;
    struct receiver r;
    char spool[64];
    receiver_start(&r, true);
    use_receiver(&r, spool);
    struct sw_config cfg = config_in("/tmp", false);
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        struct sw_sentry *sentry = NULL;
        if (sw_sentry_start(&cfg, "notify", &sentry) != 0)
            _exit(3);
        raise(SIGSEGV);
        // cppcheck-suppress unreachableCode ; only if the handler failed to re-raise
        _exit(4);
    }
    int wstatus = 0;
    assert_int_equal(waitpid(child, &wstatus, 0), child);
    assert_true(WIFSIGNALED(wstatus));
    assert_int_equal(WTERMSIG(wstatus), SIGSEGV);
    assert_int_equal(spool_files(spool, ".envelope"), 1);
    assert_int_equal(spool_files(spool, ".tmp"), 0);
    assert_int_equal(receiver_count(&r), 0); /* the crashing process sent nothing */

    struct sw_sentry *sentry = NULL;
    assert_int_equal(sw_sentry_start(&cfg, "notify", &sentry), 0);
    long long deadline = now_ms() + 5000;
    while (receiver_count(&r) == 0 && now_ms() < deadline)
        usleep(20000);
    sw_sentry_stop(sentry);
    assert_int_equal(receiver_count(&r), 1);
    struct parsed p = parse_envelope(r.requests[0].body, r.requests[0].body_len);
    assert_string_equal(get_str(p.event, "level"), "fatal");
    assert_string_equal(tag(&p, "service"), "notify");
    assert_string_equal(get_str(json_object_get(p.event, "message"), "formatted"),
                        "fatal signal SIGSEGV");
    parsed_free(&p);
    assert_int_equal(spool_files(spool, ".envelope"), 0);
    receiver_stop(&r);
    remove_spool(spool);
}

static void test_logging_never_waits_and_stop_is_bounded(void **state)
{
    (void)state;
    struct receiver r;
    char spool[64];
    receiver_start(&r, false); /* accepts and never answers */
    use_receiver(&r, spool);
    struct sw_config cfg = config_in("/tmp", false);
    struct sw_sentry *sentry = NULL;
    assert_int_equal(sw_sentry_start(&cfg, "auth", &sentry), 0);
    long long started = now_ms();
    for (int i = 0; i < 3 * SW_SENTRY_QUEUE; i++)
        sw_log(SW_LOG_ERROR, NULL, NULL, "error %d", i);
    assert_true(now_ms() - started < 1000);
    started = now_ms();
    sw_sentry_stop(sentry);
    long long took = now_ms() - started;
    if (took > SW_SENTRY_FLUSH_MS + 1000)
        fail_msg("stop took %lld ms", took);
    receiver_stop(&r);
    remove_spool(spool);
}

int main(void)
{
    if (sw_random_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dsn_with_port_gives_the_envelope_endpoint),
        cmocka_unit_test(test_dsn_keeps_a_path_prefix_and_plain_http),
        cmocka_unit_test(test_dsn_drops_a_legacy_secret),
        cmocka_unit_test(test_dsn_refuses_what_is_not_a_dsn),
        cmocka_unit_test(test_envelope_carries_the_event_with_its_ids_and_origin),
        cmocka_unit_test(test_envelope_leaves_out_absent_ids_and_release),
        cmocka_unit_test(test_event_ids_are_32_hex_digits),
        cmocka_unit_test(test_crash_envelope_is_a_fatal_event_with_a_correct_length),
        cmocka_unit_test(test_start_without_a_dsn_does_nothing),
        cmocka_unit_test(test_start_refuses_a_malformed_dsn),
        cmocka_unit_test(test_production_refuses_a_plain_http_dsn),
        cmocka_unit_test(test_error_line_arrives_scrubbed_with_its_ids),
        cmocka_unit_test(test_crash_is_spooled_and_sent_by_the_next_start),
        cmocka_unit_test(test_logging_never_waits_and_stop_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
