/*
 * A DNS check's query through c-ares (services/checker/probe_dns.c), driven
 * the way the transfer loop drives it (its descriptors polled, then stepped)
 * against a small UDP responder on 127.0.0.1 (SW_CHECKER_DNS_SERVERS's
 * form): an answer that matches, one that does not, and a resolver that
 * never answers, which the check's deadline ends.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exchange.h"
#include "probe_dns.h"
#include "sw_cidr.h"
#include "sw_log.h"
#include "unit.h"

struct responder {
    int fd;
    int port;
    atomic_bool silent; /* receive and never answer */
    pthread_t thread;
};

static struct responder R;
static struct sw_cidr_list NO_ALLOW;

/* Answers every query with one A record, 93.184.216.34, unless silent. */
static void *serve(void *arg)
{
    struct responder *r = arg;
    unsigned char q[512], a[600];
    for (;;) {
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(r->fd, q, sizeof q, 0, (struct sockaddr *)&from, &len);
        if (n < 12)
            return NULL; /* closed */
        if (r->silent)
            continue;
        memcpy(a, q, (size_t)n);
        a[2] = 0x81;
        a[3] = 0x80;
        a[7] = 1; /* one answer */
        static const unsigned char RR[] = {0xC0, 0x0C, 0, 1, 0,  1,   0,   0,
                                           0,    60,   0, 4, 93, 184, 216, 34};
        memcpy(a + n, RR, sizeof RR);
        sendto(r->fd, a, (size_t)n + sizeof RR, 0, (struct sockaddr *)&from, len);
    }
}

static int setup(void **state)
{
    (void)state;
    sw_log_init("test", SW_LOG_ERROR);
    if (chk_dns_init() != 0)
        return -1;
    R.fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(R.fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(R.fd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    R.port = ntohs(sa.sin_port);
    return pthread_create(&R.thread, NULL, serve, &R);
}

static int teardown(void **state)
{
    (void)state;
    shutdown(R.fd, SHUT_RDWR);
    close(R.fd);
    pthread_join(R.thread, NULL);
    chk_dns_cleanup();
    return 0;
}

/* Runs one DNS check to its end as the loop would; the outcome is the caller's. */
static struct chk_outcome *run(const char *expected, int timeout_ms, long long *elapsed_ms)
{
    char servers[64];
    snprintf(servers, sizeof servers, "127.0.0.1:%d", R.port);
    Sw__Monitors__Check check = SW__MONITORS__CHECK__INIT;
    check.endpoint_id = "0b3f4a9e-0000-4000-8000-000000000002";
    check.url = "dns://www.example.com";
    check.method = "GET";
    check.kind = "dns";
    check.record_type = "A";
    check.expected_value = (char *)expected;
    check.timeout_ms = timeout_ms;
    struct chk_job *job = NULL;
    struct chk_dns_probe *p = NULL;
    assert_int_equal(chk_job_from_check(&check, &job), 0);
    long long start = chk_mono_ms();
    assert_int_equal(chk_dns_probe_new(job, servers, &NO_ALLOW, &p), 0);
    for (;;) {
        struct curl_waitfd fds[CHK_DNS_MAX_FDS];
        struct pollfd pfds[CHK_DNS_MAX_FDS];
        size_t n = chk_dns_probe_fds(p, fds, CHK_DNS_MAX_FDS);
        for (size_t i = 0; i < n; i++) {
            pfds[i].fd = fds[i].fd;
            pfds[i].events = (short)(((fds[i].events & CURL_WAIT_POLLIN) ? POLLIN : 0) |
                                     ((fds[i].events & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
        }
        poll(pfds, n, (int)chk_dns_probe_wait_ms(p));
        for (size_t i = 0; i < n; i++)
            fds[i].revents = (short)(((pfds[i].revents & POLLIN) ? CURL_WAIT_POLLIN : 0) |
                                     ((pfds[i].revents & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
        if (chk_dns_probe_step(p, fds, n))
            break;
        assert_true(chk_mono_ms() - start < 5000);
    }
    *elapsed_ms = chk_mono_ms() - start;
    struct chk_outcome *o = NULL;
    assert_int_equal(chk_dns_probe_finish(p, &o), 0);
    chk_dns_probe_free(p);
    return o;
}

static void test_an_answer_that_matches_passes(void **state)
{
    (void)state;
    long long ms = 0;
    R.silent = false;
    struct chk_outcome *o = run("93.184.216.34", 2000, &ms);
    assert_true(o->result.ok);
    assert_null(o->result.error);
    assert_true(o->result.has_dns_ms && o->result.has_total_ms);
    assert_false(o->result.has_status_code);
    chk_outcome_free(o);
    o = run("", 2000, &ms);
    assert_true(o->result.ok);
    chk_outcome_free(o);
}

static void test_a_different_answer_fails_saying_what_came(void **state)
{
    (void)state;
    long long ms = 0;
    R.silent = false;
    struct chk_outcome *o = run("1.2.3.4", 2000, &ms);
    assert_false(o->result.ok);
    assert_false(o->result.keyword_ok);
    assert_string_equal(o->error, "expected \"1.2.3.4\", got \"93.184.216.34\"");
    chk_outcome_free(o);
}

static void test_a_silent_resolver_ends_at_the_checks_timeout(void **state)
{
    (void)state;
    long long ms = 0;
    R.silent = true;
    struct chk_outcome *o = run("", 400, &ms);
    R.silent = false;
    assert_false(o->result.ok);
    assert_string_equal(o->error, "timed out resolving after 400 ms");
    assert_true(ms >= 350 && ms < 1500);
    assert_false(o->result.has_dns_ms);
    chk_outcome_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_answer_that_matches_passes),
        cmocka_unit_test(test_a_different_answer_fails_saying_what_came),
        cmocka_unit_test(test_a_silent_resolver_ends_at_the_checks_timeout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
