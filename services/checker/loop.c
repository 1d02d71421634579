#include "loop.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probe_dns.h"
#include "sw_log.h"

/*
 * Longest single sleep in curl_multi_poll(). curl's own timers and
 * chk_loop_wake() end it sooner; the bound only matters if a wake-up were
 * ever lost, and then costs at most this much delay.
 */
#define POLL_MAX_MS 1000

struct chk_loop {
    const struct chk_settings *settings; /* borrowed */
    CURLM *multi;                        /* owned */
    struct chk_probe *in_flight;         /* owned: the probes whose handles are in `multi` */
    struct chk_dns_probe *dns_in_flight; /* owned: DNS queries (probe_dns.h) */
    size_t active;                       /* transfers and DNS queries in flight */
    struct curl_waitfd *waitfds;         /* the DNS queries' sockets for one poll */
    size_t n_waitfds, waitfds_capacity;
    size_t capacity;               /* the concurrency */
    struct chk_job **jobs;         /* scratch for one take, capacity entries */
    struct chk_outcome **outcomes; /* this round's outcomes, capacity entries */
    size_t n_outcomes;
    size_t n_finished; /* jobs finished this round, with or without outcome */
};

int chk_loop_new(const struct chk_settings *settings, struct chk_loop **out)
{
    *out = NULL;
    struct chk_loop *loop = calloc(1, sizeof *loop);
    if (!loop)
        return SW_ENOMEM;
    loop->settings = settings;
    loop->capacity = (size_t)settings->concurrency;
    loop->multi = curl_multi_init();
    loop->jobs = calloc(loop->capacity, sizeof *loop->jobs);
    loop->outcomes = calloc(loop->capacity, sizeof *loop->outcomes);
    loop->waitfds_capacity = loop->capacity * CHK_DNS_MAX_FDS;
    loop->waitfds = calloc(loop->waitfds_capacity, sizeof *loop->waitfds);
    if (!loop->multi || !loop->jobs || !loop->outcomes || !loop->waitfds) {
        chk_loop_free(loop);
        return SW_ENOMEM;
    }
    *out = loop;
    return 0;
}

void chk_loop_wake(void *loop)
{
    struct chk_loop *l = loop;
    curl_multi_wakeup(l->multi);
}

static void list_add(struct chk_loop *loop, struct chk_probe *probe)
{
    probe->prev = NULL;
    probe->next = loop->in_flight;
    if (loop->in_flight)
        loop->in_flight->prev = probe;
    loop->in_flight = probe;
    loop->active++;
}

static void list_remove(struct chk_loop *loop, struct chk_probe *probe)
{
    if (probe->prev)
        probe->prev->next = probe->next;
    else
        loop->in_flight = probe->next;
    if (probe->next)
        probe->next->prev = probe->prev;
    probe->prev = probe->next = NULL;
    loop->active--;
}

/* Takes a transfer out of the multi handle and the in-flight list; the probe is the caller's. */
static void detach(struct chk_loop *loop, struct chk_probe *probe)
{
    curl_multi_remove_handle(loop->multi, probe->easy);
    list_remove(loop, probe);
}

/* Hands this round's outcomes over and frees their slots. */
static void flush(struct chk_loop *loop, struct chk_exchange *ex)
{
    if (loop->n_finished == 0)
        return;
    chk_exchange_push_outcomes(ex, loop->outcomes, loop->n_outcomes, loop->n_finished);
    loop->n_outcomes = 0;
    loop->n_finished = 0;
}

/* One job is over; `outcome` may be NULL when it could not produce one. */
static void finished(struct chk_loop *loop, struct chk_exchange *ex, struct chk_outcome *outcome)
{
    /* Cannot fill up in one round (see chk_loop_run), but never overrun it. */
    if (loop->n_outcomes == loop->capacity)
        flush(loop, ex);
    if (outcome) {
        loop->outcomes[loop->n_outcomes++] = outcome;
        sw_log_debug("check of %s: %s", outcome->endpoint_id,
                     outcome->result.ok ? "ok" : outcome->error);
    }
    loop->n_finished++;
}

/* finished(), once making the outcome returned rc: without memory for it, the job has none. */
static void finished_made(struct chk_loop *loop, struct chk_exchange *ex, int rc,
                          struct chk_outcome *outcome)
{
    if (rc != 0)
        sw_log_error("out of memory: a check runs again when its lease expires");
    finished(loop, ex, outcome);
}

/* A job that cannot run gets a result saying so, rather than silence. */
static void refuse(struct chk_loop *loop, struct chk_exchange *ex, struct chk_job *job,
                   const char *why)
{
    struct chk_outcome *outcome = NULL;
    int rc = chk_probe_refuse_job(job, why, &outcome);
    chk_job_free(job);
    finished_made(loop, ex, rc, outcome);
}

/*
 * Whether the probe of job was made (rc 0). Otherwise SW_EINVAL fails the
 * check with `why`; any other error leaves no result (the server leases the
 * check again when this lease expires) and logs that `what` could not be made.
 */
static bool made(struct chk_loop *loop, struct chk_exchange *ex, struct chk_job *job, int rc,
                 const char *why, const char *what)
{
    if (rc == 0)
        return true;
    if (rc == SW_EINVAL) {
        refuse(loop, ex, job, why);
        return false;
    }
    sw_log_error("cannot prepare %s (%s)", what, sw_status_name(-rc));
    chk_job_free(job);
    finished(loop, ex, NULL);
    return false;
}

/* A DNS check: its query joins the loop's poll (probe_dns.h). */
static void start_dns(struct chk_loop *loop, struct chk_exchange *ex, struct chk_job *job)
{
    struct chk_dns_probe *p = NULL;
    int rc = chk_dns_probe_new(job, loop->settings->dns_servers, &loop->settings->allow, &p);
    if (!made(loop, ex, job, rc, "unsupported DNS record type or name", "a DNS query"))
        return;
    chk_dns_probe_link(p, &loop->dns_in_flight);
    loop->active++;
}

/* Ends a DNS probe that is over and records its outcome. */
static void finish_dns(struct chk_loop *loop, struct chk_exchange *ex, struct chk_dns_probe *p)
{
    chk_dns_probe_unlink(p, &loop->dns_in_flight);
    loop->active--;
    struct chk_outcome *outcome = NULL;
    int rc = chk_dns_probe_finish(p, &outcome);
    chk_dns_probe_free(p);
    finished_made(loop, ex, rc, outcome);
}

/*
 * The DNS queries' sockets for the next poll, in list order, and how long the
 * poll may sleep for their timers (at most max_ms).
 */
static int gather_dns(struct chk_loop *loop, int max_ms)
{
    loop->n_waitfds = 0;
    long wait_ms = max_ms;
    for (struct chk_dns_probe *p = loop->dns_in_flight; p; p = chk_dns_probe_next(p)) {
        loop->n_waitfds += chk_dns_probe_fds(p, loop->waitfds + loop->n_waitfds,
                                             loop->waitfds_capacity - loop->n_waitfds);
        long ms = chk_dns_probe_wait_ms(p);
        if (ms < wait_ms)
            wait_ms = ms;
    }
    return (int)wait_ms;
}

/* After a poll: each query handles what became ready (its own descriptors) and its timers. */
static void step_dns(struct chk_loop *loop, struct chk_exchange *ex)
{
    size_t at = 0;
    struct chk_dns_probe *p = loop->dns_in_flight;
    while (p) {
        struct chk_dns_probe *next = chk_dns_probe_next(p);
        /* The descriptors gathered for p are the next ones, in the same order. */
        struct curl_waitfd mine[CHK_DNS_MAX_FDS];
        size_t n = chk_dns_probe_fds(p, mine, CHK_DNS_MAX_FDS);
        if (at + n > loop->n_waitfds)
            n = at < loop->n_waitfds ? loop->n_waitfds - at : 0;
        bool over = chk_dns_probe_step(p, loop->waitfds + at, n);
        at += n;
        if (over)
            finish_dns(loop, ex, p);
        p = next;
    }
}

static bool is_dns(const struct chk_job *job) { return strcmp(job->kind, CHK_KIND_DNS) == 0; }

static void start_jobs(struct chk_loop *loop, struct chk_exchange *ex)
{
    size_t n = chk_exchange_take_jobs(ex, loop->jobs, loop->capacity - loop->active);
    for (size_t i = 0; i < n; i++) {
        struct chk_job *job = loop->jobs[i];
        if (is_dns(job)) {
            start_dns(loop, ex, job);
            continue;
        }
        struct chk_probe *probe = NULL;
        int rc = chk_probe_new(job, &loop->settings->allow, &probe);
        if (!made(loop, ex, job, rc, "unsupported HTTP method", "a transfer"))
            continue;
        chk_probe_start(probe);
        CURLMcode mc = curl_multi_add_handle(loop->multi, probe->easy);
        if (mc != CURLM_OK) {
            sw_log_error("cannot start a transfer: %s", curl_multi_strerror(mc));
            chk_probe_free(probe);
            finished(loop, ex, NULL);
            continue;
        }
        list_add(loop, probe);
    }
}

static void reap(struct chk_loop *loop, struct chk_exchange *ex)
{
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(loop->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURLcode code = msg->data.result; /* read before the handle is removed */
        char *owner = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &owner);
        struct chk_probe *probe = (struct chk_probe *)owner;
        detach(loop, probe);
        if (chk_probe_next_hop(probe, code)) {
            /* A redirect followed hop by hop (redirect.h): the same transfer goes on. */
            if (curl_multi_add_handle(loop->multi, probe->easy) == CURLM_OK) {
                list_add(loop, probe);
                continue;
            }
            code = CURLE_FAILED_INIT;
        }
        struct chk_outcome *outcome = NULL;
        int rc = chk_probe_finish(probe, code, &outcome);
        chk_probe_free(probe);
        finished_made(loop, ex, rc, outcome);
    }
}

/* After a fatal curl error: end every transfer without a result. */
static void abandon_in_flight(struct chk_loop *loop, struct chk_exchange *ex)
{
    size_t abandoned = loop->active;
    while (loop->in_flight) {
        struct chk_probe *probe = loop->in_flight;
        detach(loop, probe);
        chk_probe_free(probe);
        loop->n_finished++;
    }
    while (loop->dns_in_flight) {
        struct chk_dns_probe *p = loop->dns_in_flight;
        chk_dns_probe_unlink(p, &loop->dns_in_flight);
        loop->active--;
        chk_dns_probe_free(p);
        loop->n_finished++;
    }
    flush(loop, ex);
    if (abandoned > 0)
        sw_log_error("abandoned %zu checks in flight; they run again when their leases expire",
                     abandoned);
}

int chk_loop_run(struct chk_loop *loop, struct chk_exchange *ex)
{
    /*
     * One round: start what was leased, let curl work, collect what finished.
     * The outcomes of a round fit the scratch array: a job taken this round
     * adds at most one, and jobs taken never exceed the free slots.
     */
    int rc = 0;
    for (;;) {
        start_jobs(loop, ex);
        int running = 0;
        CURLMcode mc = curl_multi_perform(loop->multi, &running);
        if (mc == CURLM_OK) {
            reap(loop, ex);
            flush(loop, ex);
            long long stop_by = loop->active > 0 ? chk_exchange_stop_deadline(ex) : 0;
            long long now = chk_mono_ms();
            if (stop_by > 0 && now >= stop_by)
                abandon_in_flight(loop, ex); /* past the grace: their leases bring them back */
            if (loop->active == 0 && chk_exchange_loop_may_exit(ex))
                break;
            int wait_ms = stop_by > now && stop_by - now < POLL_MAX_MS ? (int)(stop_by - now)
                                                                       : POLL_MAX_MS;
            wait_ms = gather_dns(loop, wait_ms);
            mc = curl_multi_poll(loop->multi, loop->waitfds, (unsigned)loop->n_waitfds, wait_ms,
                                 NULL);
            if (mc == CURLM_OK)
                step_dns(loop, ex);
        }
        if (mc != CURLM_OK) {
            sw_log_error("transfer loop failed: %s", curl_multi_strerror(mc));
            rc = SW_EINTERNAL;
            break;
        }
    }
    if (rc != 0)
        abandon_in_flight(loop, ex);
    chk_exchange_loop_done(ex);
    return rc;
}

void chk_loop_free(struct chk_loop *loop)
{
    if (!loop)
        return;
    while (loop->in_flight) {
        struct chk_probe *probe = loop->in_flight;
        detach(loop, probe);
        chk_probe_free(probe);
    }
    while (loop->dns_in_flight) {
        struct chk_dns_probe *p = loop->dns_in_flight;
        chk_dns_probe_unlink(p, &loop->dns_in_flight);
        chk_dns_probe_free(p);
    }
    free(loop->waitfds);
    for (size_t i = 0; i < loop->n_outcomes; i++)
        chk_outcome_free(loop->outcomes[i]);
    if (loop->multi)
        curl_multi_cleanup(loop->multi);
    free(loop->jobs);
    free(loop->outcomes);
    free(loop);
}
