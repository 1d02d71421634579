/*
 * The hand-over between the transfer loop and the feeder's RPC threads:
 * a queue of leased jobs (feeder → loop), a queue of outcomes (loop →
 * reporters), and the counters that decide how much the feeder may lease.
 *
 * The blocking RPCs stay on the feeder's threads so that a slow sw-monitors
 * never stalls the transfers and their timings: the loop only ever takes the
 * mutex for a moment and never waits on it for work; it sleeps in
 * curl_multi_poll() and the exchange wakes it through the `wake_loop`
 * callback (curl_multi_wakeup) when jobs arrive or the checker stops.
 *
 * Both queues are bounded. The leaser is granted room only for jobs that can
 * run at once (at most `concurrency` queued or in flight) and whose outcomes
 * will fit in the outcome queue, counting outcomes the reporters hold while
 * they retry; so when sw-monitors cannot take results the checker stops
 * leasing instead of dropping results, and no push can ever overflow.
 *
 * The exchange owns every job and outcome queued in it (freed with the
 * exchange if still there); what a take hands out belongs to the taker.
 */
#ifndef CHK_EXCHANGE_H
#define CHK_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_metrics.h"
#include "sw_status.h"
#include "work.h"

/* The checker is stopping (leaser) or has nothing more to hand out (reporters). */
#define CHK_ESTOPPED (-SW_CANCELLED)

struct chk_exchange;

/* Milliseconds on the monotonic clock, for waits and ages. */
long long chk_mono_ms(void);

/*
 * Creates an exchange for `concurrency` transfers and `outcome_capacity`
 * (≥ concurrency) outcomes. wake_loop(wake_arg) must be callable from any
 * thread. SW_ENOMEM on failure.
 */
int chk_exchange_new(size_t concurrency, size_t outcome_capacity, void (*wake_loop)(void *),
                     void *wake_arg, struct chk_exchange **out);
void chk_exchange_free(struct chk_exchange *ex);

/* Stops leasing; the loop runs what it has, the reporters report what comes. */
void chk_exchange_stop(struct chk_exchange *ex);
bool chk_exchange_stopping(struct chk_exchange *ex);
/*
 * chk_exchange_stop() with a bound (SW_SHUTDOWN_GRACE_MS): checks still
 * running at deadline_mono_ms are abandoned (they run again when their
 * leases expire) and reporting gives up then.
 */
void chk_exchange_stop_by(struct chk_exchange *ex, long long deadline_mono_ms);
/* That deadline once stopping; 0 when there is none. */
long long chk_exchange_stop_deadline(struct chk_exchange *ex);

/* Sleeps until deadline_mono_ms, or until the checker stops when wake_on_stop. */
void chk_exchange_sleep_until(struct chk_exchange *ex, long long deadline_mono_ms,
                              bool wake_on_stop);

/*
 * Records the checker's metrics in `m` (NULL: none): sw_checker_checks_total
 * {result="ok|failed|dropped"}, sw_checker_lag_seconds (a taken job's start
 * against its scheduled time), and at scrape time sw_checker_in_flight,
 * sw_checker_queued and sw_checker_results_waiting. The registry must not
 * scrape after the exchange is freed.
 */
int chk_exchange_observe(struct chk_exchange *ex, struct sw_metrics *m);

/* ---- the leaser ---------------------------------------------------------- */

/*
 * Waits until not_before_mono_ms has passed and room for at least min_room
 * jobs has opened (any room at all when the checker is idle), then gives the
 * room, at most max. CHK_ESTOPPED once the checker is stopping.
 */
int chk_exchange_wait_room(struct chk_exchange *ex, size_t max, size_t min_room,
                           long long not_before_mono_ms, size_t *room);

/* Queues n jobs (n ≤ the room granted) and takes ownership of them. */
void chk_exchange_push_jobs(struct chk_exchange *ex, struct chk_job **jobs, size_t n);

/* The leaser has left; no job will come any more. */
void chk_exchange_leaser_done(struct chk_exchange *ex);

/* ---- the transfer loop --------------------------------------------------- */

/* Takes up to max queued jobs without waiting; they count as in flight. */
size_t chk_exchange_take_jobs(struct chk_exchange *ex, struct chk_job **out, size_t max);

/*
 * `finished` transfers ended; n of them produced the outcomes given (the
 * rest were dropped). Takes ownership of the outcomes.
 */
void chk_exchange_push_outcomes(struct chk_exchange *ex, struct chk_outcome **outcomes, size_t n,
                                size_t finished);

/* True once stopping, the leaser gone and no job left queued. */
bool chk_exchange_loop_may_exit(struct chk_exchange *ex);

/* The loop has left; the reporters drain what is queued and end. */
void chk_exchange_loop_done(struct chk_exchange *ex);
bool chk_exchange_loop_finished(struct chk_exchange *ex);

/* ---- the reporters ------------------------------------------------------- */

/*
 * Takes up to max outcomes. With `wait`, blocks until max are queued, the
 * oldest has waited flush_ms, or the loop is done; without it, takes what is
 * there. Returns CHK_ESTOPPED when the loop is done and nothing is left.
 */
int chk_exchange_take_outcomes(struct chk_exchange *ex, struct chk_outcome **out, size_t max,
                               long long flush_ms, bool wait, size_t *n);

/* n taken outcomes were reported or given up: their room opens again. */
void chk_exchange_outcomes_done(struct chk_exchange *ex, size_t n);

#endif
