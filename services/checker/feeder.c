#include "feeder.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "monitors.pb-c.h"
#include "sw_log.h"

#define LEASE_METHOD "monitors.LeaseChecks"
#define REPORT_METHOD "monitors.ReportResults"
/* During a long outage, repeat the warning every this many failed attempts. */
#define OUTAGE_REPEAT_EVERY 20

/* Exponential backoff with ±20 % jitter, so that many checkers do not retry in step. */
struct backoff {
    int next_ms;
    unsigned seed;
};

/* Logs an outage once when it starts, now and then while it lasts, and when it ends. */
struct outage {
    const char *what; /* "leasing", "reporting" */
    int failures;
    long long since_mono_ms;
};

struct reporter {
    struct chk_feeder *feeder;
    struct chk_outcome **held;          /* the batch in hand, batch entries */
    Sw__Monitors__Result **result_ptrs; /* its request array, batch entries */
    struct backoff backoff;
    pthread_t thread;
    bool started;
};

struct chk_feeder {
    const struct chk_settings *settings; /* borrowed */
    struct sw_rpc_client *client;        /* borrowed */
    struct chk_exchange *ex;             /* borrowed */
    struct chk_job **jobs;               /* the leaser's scratch, batch entries */
    pthread_t leaser;
    bool leaser_started;
    struct reporter reporters[CHK_REPORTERS];
    pthread_mutex_t outage_lock; /* the reporters share one outage record */
    struct outage report_outage;
};

static void backoff_reset(struct backoff *b) { b->next_ms = CHK_BACKOFF_MIN_MS; }

static int backoff_next(struct backoff *b)
{
    int base = b->next_ms;
    b->next_ms = base * 2 > CHK_BACKOFF_MAX_MS ? CHK_BACKOFF_MAX_MS : base * 2;
    int spread = base / 5;
    return base - spread + (spread > 0 ? rand_r(&b->seed) % (2 * spread + 1) : 0);
}

static void outage_failed(struct outage *o, int status, int retry_ms)
{
    if (o->failures++ == 0) {
        o->since_mono_ms = chk_mono_ms();
        sw_log_warn("%s: sw-monitors failed (%s); retrying in %d ms with backoff", o->what,
                    sw_status_name(status), retry_ms);
    } else if (o->failures % OUTAGE_REPEAT_EVERY == 0) {
        sw_log_warn("%s: sw-monitors still failing (%s) after %d attempts over %lld ms", o->what,
                    sw_status_name(status), o->failures, chk_mono_ms() - o->since_mono_ms);
    }
}

static void outage_over(struct outage *o)
{
    if (o->failures == 0)
        return;
    sw_log_info("%s: sw-monitors answers again after %d failed attempts over %lld ms", o->what,
                o->failures, chk_mono_ms() - o->since_mono_ms);
    o->failures = 0;
}

/*
 * SW_OK, or the status to act on: the reply's when sw-monitors refused,
 * UNAVAILABLE when nothing answered in time, INTERNAL for a reply that did
 * not decode.
 */
static int call(struct chk_feeder *f, const char *method, const ProtobufCMessage *req,
                const ProtobufCMessageDescriptor *reply_desc, struct sw_rpc_result *result)
{
    /* Both may run twice: results are stored idempotently, and checks leased by a lost
     * answer are leased again when that lease expires. */
    struct sw_rpc_meta meta = {.request_id = f->settings->checker_id, .idempotent = true};
    return -sw_rpc_call(f->client, &meta, method, req, reply_desc, f->settings->rpc_timeout_ms,
                        result);
}

/* ---- the leaser ---------------------------------------------------------- */

/* Copies the leased checks into jobs; returns how many were queued. */
static size_t queue_leased(struct chk_feeder *f, const Sw__Monitors__LeaseChecksReply *reply,
                           size_t room)
{
    size_t n = 0;
    if (reply->n_checks > room)
        sw_log_error("leasing: sw-monitors handed out %zu checks for %zu asked; the extra ones "
                     "run when their lease expires",
                     reply->n_checks, room);
    for (size_t i = 0; i < reply->n_checks && n < room; i++) {
        if (chk_job_from_check(reply->checks[i], &f->jobs[n]) != 0) {
            sw_log_error("leasing: out of memory; a check runs when its lease expires");
            continue;
        }
        f->jobs[n]->user_agent = f->settings->user_agent;
        n++;
    }
    chk_exchange_push_jobs(f->ex, f->jobs, n);
    return n;
}

static void *lease_main(void *arg)
{
    struct chk_feeder *f = arg;
    const struct chk_settings *s = f->settings;
    struct backoff backoff = {.seed = (unsigned)getpid() ^ (unsigned)time(NULL)};
    struct outage outage = {.what = "leasing"};
    backoff_reset(&backoff);
    /*
     * Under full load every finished transfer frees one slot; waiting for a
     * few to accumulate keeps lease calls, each a database query, in batches.
     */
    size_t batch = (size_t)s->batch;
    size_t min_room = (batch < (size_t)s->concurrency ? batch : (size_t)s->concurrency) / 8;
    if (min_room < 1)
        min_room = 1;
    long long not_before = 0;

    for (;;) {
        size_t room = 0;
        if (chk_exchange_wait_room(f->ex, batch, min_room, not_before, &room) != 0)
            break;
        Sw__Monitors__LeaseChecksRequest req = SW__MONITORS__LEASE_CHECKS_REQUEST__INIT;
        req.checker_id = (char *)s->checker_id;
        req.region = (char *)s->region;
        req.max_checks = (int32_t)room;
        req.has_lease_seconds = 1;
        req.lease_seconds = s->lease_seconds;
        struct sw_rpc_result res;
        int status =
            call(f, LEASE_METHOD, &req.base, &sw__monitors__lease_checks_reply__descriptor, &res);
        if (status != SW_OK) {
            sw_rpc_result_free(&res);
            int delay_ms = backoff_next(&backoff);
            outage_failed(&outage, status, delay_ms);
            not_before = chk_mono_ms() + delay_ms;
            continue;
        }
        outage_over(&outage);
        backoff_reset(&backoff);
        const Sw__Monitors__LeaseChecksReply *reply =
            (const Sw__Monitors__LeaseChecksReply *)res.body;
        size_t leased = reply->n_checks;
        size_t queued = queue_leased(f, reply, room);
        sw_rpc_result_free(&res);
        if (queued > 0)
            sw_log_debug("leased %zu check%s", queued, queued == 1 ? "" : "s");
        /* A lease that did not fill the room means nothing more is due yet. */
        not_before = leased < room ? chk_mono_ms() + s->poll_ms : 0;
    }
    chk_exchange_leaser_done(f->ex);
    return NULL;
}

/* ---- the reporters --------------------------------------------------------- */

/* Statuses after which sending the same results again may succeed. */
static bool worth_retrying(int status)
{
    switch (status) {
    case SW_UNAVAILABLE:
    case SW_DEADLINE_EXCEEDED:
    case SW_RESOURCE_EXHAUSTED:
    case SW_INTERNAL:
    case SW_UNKNOWN:
    case SW_ABORTED:
    case SW_CANCELLED:
    case SW_UNIMPLEMENTED: /* sw-monitors is older than this checker, or starting up */ return true;
    default: return false;
    }
}

static void report_failed(struct chk_feeder *f, int status, int retry_ms)
{
    pthread_mutex_lock(&f->outage_lock);
    outage_failed(&f->report_outage, status, retry_ms);
    pthread_mutex_unlock(&f->outage_lock);
}

static void report_succeeded(struct chk_feeder *f)
{
    pthread_mutex_lock(&f->outage_lock);
    outage_over(&f->report_outage);
    pthread_mutex_unlock(&f->outage_lock);
}

/* Sends the n outcomes held; SW_OK or the status to act on. */
static int report(struct reporter *r, size_t n)
{
    struct chk_feeder *f = r->feeder;
    size_t failing = 0;
    for (size_t i = 0; i < n; i++) {
        r->result_ptrs[i] = &r->held[i]->result;
        failing += !r->held[i]->result.ok;
    }
    Sw__Monitors__ReportResultsRequest req = SW__MONITORS__REPORT_RESULTS_REQUEST__INIT;
    req.checker_id = (char *)f->settings->checker_id;
    req.region = (char *)f->settings->region;
    req.n_results = n;
    req.results = r->result_ptrs;
    long long started = chk_mono_ms();
    struct sw_rpc_result res;
    int status =
        call(f, REPORT_METHOD, &req.base, &sw__monitors__report_results_reply__descriptor, &res);
    if (status == SW_OK) {
        const Sw__Monitors__ReportResultsReply *reply =
            (const Sw__Monitors__ReportResultsReply *)res.body;
        sw_log_info("reported %zu result%s (%zu failing): %d stored, %d duplicates, in %lld ms", n,
                    n == 1 ? "" : "s", failing, reply->stored, reply->duplicates,
                    chk_mono_ms() - started);
    }
    sw_rpc_result_free(&res);
    return status;
}

static void release_held(struct reporter *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        chk_outcome_free(r->held[i]);
    chk_exchange_outcomes_done(r->feeder->ex, n);
}

/* At shutdown, with sw-monitors still failing: let go of everything left. */
static void give_up(struct reporter *r, size_t held)
{
    size_t dropped = held, more = 0;
    release_held(r, held);
    while (chk_exchange_take_outcomes(r->feeder->ex, r->held, (size_t)r->feeder->settings->batch, 0,
                                      false, &more) == 0 &&
           more > 0) {
        dropped += more;
        release_held(r, more);
    }
    sw_log_warn("reporting: gave up on %zu results at shutdown; their checks run again when "
                "their leases expire",
                dropped);
}

static void *report_main(void *arg)
{
    struct reporter *r = arg;
    struct chk_feeder *f = r->feeder;
    size_t batch = (size_t)f->settings->batch;
    long long give_up_at = 0;
    size_t n = 0;

    for (;;) {
        if (n == 0) {
            if (chk_exchange_take_outcomes(f->ex, r->held, batch, CHK_FLUSH_MS, true, &n) != 0)
                break;
        } else if (n < batch) {
            /* A batch being retried takes along whatever queued meanwhile. */
            size_t more = 0;
            chk_exchange_take_outcomes(f->ex, r->held + n, batch - n, 0, false, &more);
            n += more;
        }
        int status = report(r, n);
        if (status == SW_OK) {
            report_succeeded(f);
            backoff_reset(&r->backoff);
            release_held(r, n);
            n = 0;
            continue;
        }
        if (!worth_retrying(status)) {
            sw_log_error("reporting: sw-monitors refused %zu results (%s); dropping them", n,
                         sw_status_name(status));
            release_held(r, n);
            n = 0;
            continue;
        }
        int delay_ms = backoff_next(&r->backoff);
        report_failed(f, status, delay_ms);
        long long now = chk_mono_ms();
        if (chk_exchange_loop_finished(f->ex)) {
            if (give_up_at == 0) {
                long long stop_by = chk_exchange_stop_deadline(f->ex) + CHK_REPORT_MARGIN_MS;
                give_up_at = now + CHK_DRAIN_MS;
                if (stop_by > CHK_REPORT_MARGIN_MS && stop_by < give_up_at)
                    give_up_at = stop_by;
            }
            if (now + delay_ms >= give_up_at) {
                give_up(r, n);
                break;
            }
        }
        chk_exchange_sleep_until(f->ex, now + delay_ms, false);
    }
    return NULL;
}

/* ---- lifecycle ------------------------------------------------------------ */

/* Also ends a feeder that chk_feeder_start() did not finish building. */
void chk_feeder_stop(struct chk_feeder *feeder)
{
    if (!feeder)
        return;
    if (feeder->leaser_started)
        pthread_join(feeder->leaser, NULL);
    for (int i = 0; i < CHK_REPORTERS; i++) {
        struct reporter *r = &feeder->reporters[i];
        if (r->started)
            pthread_join(r->thread, NULL);
        free(r->held);
        free(r->result_ptrs);
    }
    pthread_mutex_destroy(&feeder->outage_lock);
    free(feeder->jobs);
    free(feeder);
}

int chk_feeder_start(const struct chk_settings *settings, struct sw_rpc_client *client,
                     struct chk_exchange *ex, struct chk_feeder **out)
{
    *out = NULL;
    struct chk_feeder *f = calloc(1, sizeof *f);
    if (!f)
        return SW_ENOMEM;
    int rc = SW_ENOMEM;
    f->settings = settings;
    f->client = client;
    f->ex = ex;
    f->report_outage.what = "reporting";
    pthread_mutex_init(&f->outage_lock, NULL);
    size_t batch = (size_t)settings->batch;
    f->jobs = calloc(batch, sizeof *f->jobs);
    if (!f->jobs)
        goto out;
    for (int i = 0; i < CHK_REPORTERS; i++) {
        struct reporter *r = &f->reporters[i];
        r->feeder = f;
        r->backoff.seed = ((unsigned)getpid() * 31u + (unsigned)i) ^ (unsigned)time(NULL);
        backoff_reset(&r->backoff);
        r->held = calloc(batch, sizeof *r->held);
        r->result_ptrs = calloc(batch, sizeof *r->result_ptrs);
        if (!r->held || !r->result_ptrs)
            goto out;
    }
    rc = SW_EINTERNAL;
    f->leaser_started = pthread_create(&f->leaser, NULL, lease_main, f) == 0;
    if (!f->leaser_started)
        goto out;
    for (int i = 0; i < CHK_REPORTERS; i++) {
        struct reporter *r = &f->reporters[i];
        r->started = pthread_create(&r->thread, NULL, report_main, r) == 0;
        if (!r->started)
            goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        sw_log_error("cannot start the feeder threads");
        /*
         * Threads that did start end once the exchange stops and the loop,
         * which never ran, counts as done.
         */
        chk_exchange_stop(ex);
        chk_exchange_loop_done(ex);
        chk_feeder_stop(f);
        return rc;
    }
    *out = f;
    return 0;
}
