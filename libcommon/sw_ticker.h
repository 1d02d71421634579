/*
 * A ticker: a thread that runs a function when it is due or when woken, until
 * stopped. The function returns when (sw_now_ms) it is due next; a wake-up
 * runs it at once, and one that comes while it runs runs it again right after.
 * A long run checks sw_ticker_stopping between steps so that stop is prompt.
 *
 * A ticker started with sw_ticker_start_db owns a PostgreSQL connection for
 * its thread alone (a background job of a service: pruning, plan pushes,
 * reading outboxes, sending notifications): opened before the first run,
 * re-established before each run if it broke, closed by sw_ticker_stop.
 */
#ifndef SW_TICKER_H
#define SW_TICKER_H

#include <libpq-fe.h>
#include <stdbool.h>

struct sw_ticker;

/* One run on the ticker's thread; returns the time (sw_now_ms) of the next. */
typedef long long sw_ticker_fn(struct sw_ticker *ticker, void *arg);

/* Starts the thread, whose first run is at first_ms (sw_now_ms) or on a wake-up. */
int sw_ticker_start(long long first_ms, sw_ticker_fn *fn, void *arg, struct sw_ticker **out);

/* The same with a connection of its own to database_url (sw_ticker_db); waits up to 10 s for it. */
int sw_ticker_start_db(const char *database_url, long long first_ms, sw_ticker_fn *fn, void *arg,
                       struct sw_ticker **out);

/* The ticker's own connection (NULL without one); only its thread may use it. */
PGconn *sw_ticker_db(struct sw_ticker *ticker);

/* Has the next run start now (or as soon as the current one ends). */
void sw_ticker_wake(struct sw_ticker *ticker);

/* True once sw_ticker_stop has been called: a run should end early. */
bool sw_ticker_stopping(struct sw_ticker *ticker);

/* Stops the thread (waiting for a run to end) and frees the ticker; NULL is a no-op. */
void sw_ticker_stop(struct sw_ticker *ticker);

#endif
