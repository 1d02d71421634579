#include "probe_dns.h"

#include <ares.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "dns_answer.h"
#include "exchange.h"
#include "probe.h"
#include "sw_rpc.h"
#include "sw_status.h"

#define CLASS_IN 1

struct chk_dns_probe {
    ares_channel channel;             /* owned */
    struct chk_job *job;              /* owned */
    const struct sw_cidr_list *allow; /* borrowed */
    long long started_unix_ms;
    long long started_mono_ms, deadline_mono_ms;
    int timeout_ms;
    bool done;
    int status; /* c-ares's, once done */
    char error[CHK_ERROR_MAX];
    bool ok;
    struct chk_dns_probe *prev, *next;
};

int chk_dns_init(void)
{
    return ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS ? 0 : SW_EINTERNAL;
}

void chk_dns_cleanup(void) { ares_library_cleanup(); }

/* A channel with the check's timing and the configured servers. */
static int open_channel(const char *servers, int timeout_ms, ares_channel *out)
{
    struct ares_options opts;
    memset(&opts, 0, sizeof opts);
    /* Two tries within the check's timeout; the deadline below is the hard bound. */
    opts.timeout = timeout_ms / 2 > 50 ? timeout_ms / 2 : 50;
    opts.tries = 2;
    opts.flags = ARES_FLAG_NOSEARCH;
    int rc = ares_init_options(out, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
    if (rc != ARES_SUCCESS)
        return SW_ENOMEM;
    if (servers && servers[0] && ares_set_servers_ports_csv(*out, servers) != ARES_SUCCESS) {
        ares_destroy(*out);
        return SW_EINVAL;
    }
    return 0;
}

bool chk_dns_servers_valid(const char *servers)
{
    ares_channel channel;
    if (open_channel(servers, 1000, &channel) != 0)
        return false;
    ares_destroy(channel);
    return true;
}

static void judge(struct chk_dns_probe *p, int status, const unsigned char *abuf, int alen)
{
    switch (status) {
    case ARES_SUCCESS:
        p->ok = chk_dns_judge(abuf, (size_t)alen, p->job->record_type, p->job->expected_value,
                              p->allow, p->error, sizeof p->error);
        return;
    case ARES_ENODATA:
        snprintf(p->error, sizeof p->error, "no %s records", p->job->record_type);
        return;
    case ARES_ENOTFOUND: snprintf(p->error, sizeof p->error, "no such name (NXDOMAIN)"); return;
    case ARES_ESERVFAIL:
        snprintf(p->error, sizeof p->error, "the resolver failed (SERVFAIL)");
        return;
    case ARES_EREFUSED:
        snprintf(p->error, sizeof p->error, "the resolver refused the query (REFUSED)");
        return;
    case ARES_ETIMEOUT:
    case ARES_ECANCELLED:
        snprintf(p->error, sizeof p->error, "timed out resolving after %d ms", p->timeout_ms);
        return;
    case ARES_ECONNREFUSED:
        snprintf(p->error, sizeof p->error, "could not reach the resolver");
        return;
    default: snprintf(p->error, sizeof p->error, "resolving failed: %s", ares_strerror(status));
    }
}

/* c-ares's callback: the query is over (answered, failed, cancelled or destroyed). */
static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct chk_dns_probe *p = arg;
    if (p->done)
        return;
    p->done = true;
    p->status = status;
    if (status != ARES_EDESTRUCTION)
        judge(p, status, abuf, alen);
}

int chk_dns_probe_new(struct chk_job *job, const char *servers, const struct sw_cidr_list *allow,
                      struct chk_dns_probe **out)
{
    *out = NULL;
    int type = chk_dns_type(job->record_type);
    const char *name = strncmp(job->url, "dns://", 6) == 0 ? job->url + 6 : "";
    if (type == 0 || !name[0])
        return SW_EINVAL;
    struct chk_dns_probe *p = calloc(1, sizeof *p);
    if (!p)
        return SW_ENOMEM;
    p->timeout_ms = chk_probe_timeout_ms(job->timeout_ms);
    p->allow = allow;
    int rc = open_channel(servers, p->timeout_ms, &p->channel);
    if (rc) {
        free(p);
        return rc;
    }
    p->job = job;
    p->started_unix_ms = sw_now_ms();
    p->started_mono_ms = chk_mono_ms();
    p->deadline_mono_ms = p->started_mono_ms + p->timeout_ms;
    ares_query(p->channel, name, CLASS_IN, type, on_answer, p);
    *out = p;
    return 0;
}

size_t chk_dns_probe_fds(struct chk_dns_probe *p, struct curl_waitfd *fds, size_t max)
{
    if (p->done)
        return 0;
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    /* c-ares's ARES_GETSOCK_WRITABLE shifts a signed 1 into the sign bit: test bits unsigned. */
    unsigned bits = (unsigned)ares_getsock(p->channel, socks, ARES_GETSOCK_MAXNUM);
    size_t n = 0;
    for (unsigned i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
        short events = 0;
        if ((bits >> i) & 1u)
            events |= CURL_WAIT_POLLIN;
        if ((bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
            events |= CURL_WAIT_POLLOUT;
        if (!events)
            continue;
        fds[n].fd = socks[i];
        fds[n].events = events;
        fds[n].revents = 0;
        n++;
    }
    return n;
}

long chk_dns_probe_wait_ms(struct chk_dns_probe *p)
{
    if (p->done)
        return 0;
    long long left = p->deadline_mono_ms - chk_mono_ms();
    struct timeval max = {.tv_sec = (time_t)(left > 0 ? left / 1000 : 0),
                          .tv_usec = (suseconds_t)(left > 0 ? (left % 1000) * 1000 : 0)};
    struct timeval tv;
    struct timeval *t = ares_timeout(p->channel, &max, &tv);
    long ms = t ? (long)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000) : (long)left;
    return ms < 0 ? 0 : ms;
}

bool chk_dns_probe_step(struct chk_dns_probe *p, const struct curl_waitfd *fds, size_t n)
{
    for (size_t i = 0; i < n && !p->done; i++) {
        if (!fds[i].revents)
            continue;
        ares_socket_t rfd =
            fds[i].revents & (CURL_WAIT_POLLIN | CURL_WAIT_POLLPRI) ? fds[i].fd : ARES_SOCKET_BAD;
        ares_socket_t wfd = fds[i].revents & CURL_WAIT_POLLOUT ? fds[i].fd : ARES_SOCKET_BAD;
        if (rfd == ARES_SOCKET_BAD && wfd == ARES_SOCKET_BAD)
            rfd = fds[i].fd; /* an error or hang-up: let c-ares read and see it */
        ares_process_fd(p->channel, rfd, wfd);
    }
    if (!p->done) /* c-ares's own timeouts and retries */
        ares_process_fd(p->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    if (!p->done && chk_mono_ms() >= p->deadline_mono_ms)
        ares_cancel(p->channel); /* calls on_answer with ARES_ECANCELLED */
    return p->done;
}

int chk_dns_probe_finish(struct chk_dns_probe *p, struct chk_outcome **out)
{
    struct chk_outcome *outcome = NULL;
    int rc = chk_outcome_new(p->job, &outcome);
    if (rc != 0)
        return rc;
    Sw__Monitors__Result *r = &outcome->result;
    long long elapsed = chk_mono_ms() - p->started_mono_ms;
    int ms = elapsed > INT_MAX ? INT_MAX : (int)(elapsed < 0 ? 0 : elapsed);
    r->started_unix_ms = p->started_unix_ms;
    r->ok = p->ok;
    r->status_ok = 1;
    /* The content assertion of a DNS check is its expected value. */
    r->keyword_ok = p->ok || p->status != ARES_SUCCESS;
    r->has_total_ms = 1;
    r->total_ms = ms;
    r->has_dns_ms = p->status == ARES_SUCCESS;
    r->dns_ms = ms;
    if (!p->ok) {
        snprintf(outcome->error, sizeof outcome->error, "%s",
                 p->error[0] ? p->error : "resolving failed");
        r->error = outcome->error;
    }
    *out = outcome;
    return 0;
}

void chk_dns_probe_free(struct chk_dns_probe *p)
{
    if (!p)
        return;
    if (p->channel)
        ares_destroy(p->channel);
    chk_job_free(p->job);
    free(p);
}

struct chk_dns_probe *chk_dns_probe_next(const struct chk_dns_probe *p) { return p->next; }

void chk_dns_probe_link(struct chk_dns_probe *p, struct chk_dns_probe **head)
{
    p->prev = NULL;
    p->next = *head;
    if (*head)
        (*head)->prev = p;
    *head = p;
}

void chk_dns_probe_unlink(struct chk_dns_probe *p, struct chk_dns_probe **head)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        *head = p->next;
    if (p->next)
        p->next->prev = p->prev;
    p->prev = p->next = NULL;
}
