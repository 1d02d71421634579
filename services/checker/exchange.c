#include "exchange.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "sw_rpc.h"

/* A fixed-capacity FIFO of pointers. */
struct ring {
    void **items;
    size_t capacity, head, count;
};

struct chk_exchange {
    pthread_mutex_t mutex;
    pthread_cond_t changed; /* the feeder's threads wait on it; broadcast on every change */
    void (*wake_loop)(void *);
    void *wake_arg;

    size_t concurrency;
    size_t outcome_capacity;
    struct ring jobs;     /* struct chk_job *, leased and not yet started */
    struct ring outcomes; /* struct chk_outcome *, waiting for a reporter */
    size_t in_flight;     /* jobs the loop took and has not finished */
    size_t reporting;     /* outcomes the reporters hold */
    bool stopping, leaser_done, loop_done;
    struct sw_metric *checks, *lag; /* NULL until chk_exchange_observe() */
    struct sw_metric *in_flight_gauge, *queued_gauge, *waiting_gauge;
    long long stop_by_mono_ms; /* 0: none; else checks still running then are abandoned */
};

/* Schedule lag in seconds: from 100 ms to 5 minutes late. */
static const double LAG_BUCKETS[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

long long chk_mono_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int ring_init(struct ring *ring, size_t capacity)
{
    ring->items = calloc(capacity, sizeof *ring->items);
    ring->capacity = capacity;
    ring->head = ring->count = 0;
    return ring->items ? 0 : SW_ENOMEM;
}

static void ring_push(struct ring *ring, void *item)
{
    ring->items[(ring->head + ring->count) % ring->capacity] = item;
    ring->count++;
}

static void *ring_peek(const struct ring *ring) { return ring->items[ring->head]; }

static void *ring_pop(struct ring *ring)
{
    void *item = ring->items[ring->head];
    ring->head = (ring->head + 1) % ring->capacity;
    ring->count--;
    return item;
}

/* Waits on `changed` until deadline_mono_ms (≤ 0: no deadline). Called locked. */
static void wait_changed(struct chk_exchange *ex, long long deadline_mono_ms)
{
    if (deadline_mono_ms <= 0) {
        pthread_cond_wait(&ex->changed, &ex->mutex);
        return;
    }
    struct timespec until = {(time_t)(deadline_mono_ms / 1000),
                             (long)(deadline_mono_ms % 1000) * 1000000L};
    pthread_cond_timedwait(&ex->changed, &ex->mutex, &until);
}

/* The mutex and the condition variable (on the monotonic clock); SW_ENOMEM if either fails. */
static int sync_init(struct chk_exchange *ex)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return SW_ENOMEM;
    /* Deadlines are monotonic: a wall-clock step must not stretch a backoff. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rv = pthread_cond_init(&ex->changed, &attr);
    pthread_condattr_destroy(&attr);
    if (rv != 0)
        return SW_ENOMEM;
    if (pthread_mutex_init(&ex->mutex, NULL) != 0) {
        pthread_cond_destroy(&ex->changed);
        return SW_ENOMEM;
    }
    return 0;
}

/* Also frees an exchange whose rings were not (all) allocated. */
void chk_exchange_free(struct chk_exchange *ex)
{
    if (!ex)
        return;
    while (ex->jobs.count > 0)
        chk_job_free(ring_pop(&ex->jobs));
    while (ex->outcomes.count > 0)
        chk_outcome_free(ring_pop(&ex->outcomes));
    free(ex->jobs.items);
    free(ex->outcomes.items);
    pthread_cond_destroy(&ex->changed);
    pthread_mutex_destroy(&ex->mutex);
    free(ex);
}

int chk_exchange_new(size_t concurrency, size_t outcome_capacity, void (*wake_loop)(void *),
                     void *wake_arg, struct chk_exchange **out)
{
    *out = NULL;
    struct chk_exchange *ex = calloc(1, sizeof *ex);
    if (!ex || sync_init(ex) != 0) {
        free(ex);
        return SW_ENOMEM;
    }
    if (outcome_capacity < concurrency)
        outcome_capacity = concurrency;
    ex->concurrency = concurrency;
    ex->outcome_capacity = outcome_capacity;
    ex->wake_loop = wake_loop;
    ex->wake_arg = wake_arg;
    if (ring_init(&ex->jobs, concurrency) != 0 || ring_init(&ex->outcomes, outcome_capacity) != 0) {
        chk_exchange_free(ex);
        return SW_ENOMEM;
    }
    *out = ex;
    return 0;
}

/* Sets *flag (a member of ex) under the lock and tells every waiting thread. */
static void raise_flag(struct chk_exchange *ex, bool *flag)
{
    pthread_mutex_lock(&ex->mutex);
    *flag = true;
    pthread_cond_broadcast(&ex->changed);
    pthread_mutex_unlock(&ex->mutex);
}

/* *flag (a member of ex), read under the lock. */
static bool read_flag(struct chk_exchange *ex, const bool *flag)
{
    pthread_mutex_lock(&ex->mutex);
    bool value = *flag;
    pthread_mutex_unlock(&ex->mutex);
    return value;
}

void chk_exchange_stop(struct chk_exchange *ex)
{
    raise_flag(ex, &ex->stopping);
    ex->wake_loop(ex->wake_arg);
}

bool chk_exchange_stopping(struct chk_exchange *ex) { return read_flag(ex, &ex->stopping); }

void chk_exchange_stop_by(struct chk_exchange *ex, long long deadline_mono_ms)
{
    pthread_mutex_lock(&ex->mutex);
    ex->stop_by_mono_ms = deadline_mono_ms;
    pthread_mutex_unlock(&ex->mutex);
    chk_exchange_stop(ex);
}

long long chk_exchange_stop_deadline(struct chk_exchange *ex)
{
    pthread_mutex_lock(&ex->mutex);
    long long deadline = ex->stopping ? ex->stop_by_mono_ms : 0;
    pthread_mutex_unlock(&ex->mutex);
    return deadline;
}

void chk_exchange_sleep_until(struct chk_exchange *ex, long long deadline_mono_ms,
                              bool wake_on_stop)
{
    pthread_mutex_lock(&ex->mutex);
    while (chk_mono_ms() < deadline_mono_ms && !(wake_on_stop && ex->stopping))
        wait_changed(ex, deadline_mono_ms);
    pthread_mutex_unlock(&ex->mutex);
}

/* ---- the leaser ---------------------------------------------------------- */

/* Room for new jobs, at most max. Called locked. */
static size_t room_locked(const struct chk_exchange *ex, size_t max)
{
    size_t busy = ex->jobs.count + ex->in_flight;
    size_t held = busy + ex->outcomes.count + ex->reporting;
    size_t room = ex->concurrency - busy;
    size_t outcome_room = ex->outcome_capacity > held ? ex->outcome_capacity - held : 0;
    if (outcome_room < room)
        room = outcome_room;
    return room < max ? room : max;
}

int chk_exchange_wait_room(struct chk_exchange *ex, size_t max, size_t min_room,
                           long long not_before_mono_ms, size_t *room)
{
    int rc = 0;
    pthread_mutex_lock(&ex->mutex);
    for (;;) {
        if (ex->stopping) {
            rc = CHK_ESTOPPED;
            break;
        }
        long long now = chk_mono_ms();
        if (now < not_before_mono_ms) {
            wait_changed(ex, not_before_mono_ms);
            continue;
        }
        *room = room_locked(ex, max);
        bool idle = ex->jobs.count + ex->in_flight == 0;
        if (*room >= min_room || (*room > 0 && idle))
            break;
        wait_changed(ex, 0);
    }
    pthread_mutex_unlock(&ex->mutex);
    return rc;
}

void chk_exchange_push_jobs(struct chk_exchange *ex, struct chk_job **jobs, size_t n)
{
    if (n == 0)
        return;
    pthread_mutex_lock(&ex->mutex);
    for (size_t i = 0; i < n; i++)
        ring_push(&ex->jobs, jobs[i]);
    pthread_mutex_unlock(&ex->mutex);
    ex->wake_loop(ex->wake_arg);
}

void chk_exchange_leaser_done(struct chk_exchange *ex)
{
    raise_flag(ex, &ex->leaser_done);
    ex->wake_loop(ex->wake_arg);
}

/* ---- the transfer loop --------------------------------------------------- */

size_t chk_exchange_take_jobs(struct chk_exchange *ex, struct chk_job **out, size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&ex->mutex);
    while (n < max && ex->jobs.count > 0)
        out[n++] = ring_pop(&ex->jobs);
    ex->in_flight += n;
    pthread_mutex_unlock(&ex->mutex);
    long long now = sw_now_ms();
    for (size_t i = 0; ex->lag && i < n; i++) {
        long long late = now - out[i]->scheduled_unix_ms;
        sw_metric_observe(ex->lag, NULL, late > 0 ? (double)late / 1000 : 0);
    }
    return n;
}

void chk_exchange_push_outcomes(struct chk_exchange *ex, struct chk_outcome **outcomes, size_t n,
                                size_t finished)
{
    long long now = chk_mono_ms();
    size_t ok = 0; /* counted before the hand-over: a reporter may free them at once */
    for (size_t i = 0; i < n; i++)
        ok += outcomes[i]->result.ok;
    pthread_mutex_lock(&ex->mutex);
    for (size_t i = 0; i < n; i++) {
        outcomes[i]->ready_mono_ms = now;
        ring_push(&ex->outcomes, outcomes[i]);
    }
    ex->in_flight -= finished;
    pthread_cond_broadcast(&ex->changed);
    pthread_mutex_unlock(&ex->mutex);
    sw_metric_add(ex->checks, (const char *[]){"ok"}, (double)ok);
    sw_metric_add(ex->checks, (const char *[]){"failed"}, (double)(n - ok));
    sw_metric_add(ex->checks, (const char *[]){"dropped"}, (double)(finished - n));
}

/* At scrape time: what is queued, running and waiting to be reported. */
static void collect(void *arg, PGconn *db)
{
    (void)db;
    struct chk_exchange *ex = arg;
    pthread_mutex_lock(&ex->mutex);
    double in_flight = (double)ex->in_flight, queued = (double)ex->jobs.count,
           waiting = (double)(ex->outcomes.count + ex->reporting);
    pthread_mutex_unlock(&ex->mutex);
    sw_metric_set(ex->in_flight_gauge, NULL, in_flight);
    sw_metric_set(ex->queued_gauge, NULL, queued);
    sw_metric_set(ex->waiting_gauge, NULL, waiting);
}

int chk_exchange_observe(struct chk_exchange *ex, struct sw_metrics *m)
{
    if (!m)
        return 0;
    ex->checks =
        sw_metrics_counter(m, "sw_checker_checks_total",
                           "Checks finished, by result (dropped: no result could be made).",
                           "result");
    ex->lag = sw_metrics_histogram(m, "sw_checker_lag_seconds",
                                   "How late a check started after its scheduled time.", NULL,
                                   LAG_BUCKETS, sizeof LAG_BUCKETS / sizeof LAG_BUCKETS[0]);
    ex->in_flight_gauge = sw_metrics_gauge(m, "sw_checker_in_flight", "Checks running now.", NULL);
    ex->queued_gauge = sw_metrics_gauge(m, "sw_checker_queued",
                                        "Leased checks waiting for a transfer slot.", NULL);
    ex->waiting_gauge = sw_metrics_gauge(m, "sw_checker_results_waiting",
                                         "Results not yet stored by sw-monitors.", NULL);
    for (const char *const *r = (const char *const[]){"ok", "failed", "dropped", NULL}; *r; r++)
        sw_metric_add(ex->checks, r, 0);
    if (!ex->checks || !ex->lag || !ex->in_flight_gauge || !ex->queued_gauge || !ex->waiting_gauge)
        return SW_EINTERNAL;
    return sw_metrics_on_scrape(m, collect, ex);
}

bool chk_exchange_loop_may_exit(struct chk_exchange *ex)
{
    pthread_mutex_lock(&ex->mutex);
    bool may_exit = ex->stopping && ex->leaser_done && ex->jobs.count == 0;
    pthread_mutex_unlock(&ex->mutex);
    return may_exit;
}

void chk_exchange_loop_done(struct chk_exchange *ex) { raise_flag(ex, &ex->loop_done); }

bool chk_exchange_loop_finished(struct chk_exchange *ex) { return read_flag(ex, &ex->loop_done); }

/* ---- the reporters ------------------------------------------------------- */

int chk_exchange_take_outcomes(struct chk_exchange *ex, struct chk_outcome **out, size_t max,
                               long long flush_ms, bool wait, size_t *n)
{
    int rc = 0;
    *n = 0;
    pthread_mutex_lock(&ex->mutex);
    for (;;) {
        size_t queued = ex->outcomes.count;
        if (queued == 0 && ex->loop_done) {
            rc = CHK_ESTOPPED;
            break;
        }
        if (!wait || queued >= max || (queued > 0 && ex->loop_done))
            break;
        long long flush_at =
            queued > 0 ? ((struct chk_outcome *)ring_peek(&ex->outcomes))->ready_mono_ms + flush_ms
                       : 0;
        if (queued > 0 && chk_mono_ms() >= flush_at)
            break;
        wait_changed(ex, flush_at);
    }
    while (rc == 0 && *n < max && ex->outcomes.count > 0)
        out[(*n)++] = ring_pop(&ex->outcomes);
    ex->reporting += *n;
    pthread_mutex_unlock(&ex->mutex);
    return rc;
}

void chk_exchange_outcomes_done(struct chk_exchange *ex, size_t n)
{
    pthread_mutex_lock(&ex->mutex);
    ex->reporting -= n;
    pthread_cond_broadcast(&ex->changed);
    pthread_mutex_unlock(&ex->mutex);
}
