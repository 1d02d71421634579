/*
 * The checker's side of the conversation with sw-monitors, on threads of its
 * own so that blocking RPCs never hold up transfers:
 *
 *   - the leaser calls monitors.LeaseChecks for as many checks as the
 *     exchange has room for (at most SW_CHECKER_BATCH), waits
 *     SW_CHECKER_POLL_MS after a lease that did not fill the room, and stops
 *     leasing when the checker stops;
 *   - CHK_REPORTERS reporters each send outcomes with monitors.ReportResults
 *     when a batch is full or about 100 ms after the first one queued, and
 *     keep a batch that could not be delivered to send again after a backoff
 *     (results are idempotent on the server, so a resend is safe). Storing
 *     results is the slowest step of the whole cycle, and sw-monitors serves
 *     it from a pool of workers, each with its own database connection: one
 *     report at a time would use one of them and cap the checker there.
 *
 * While sw-monitors is unavailable the threads back off (250 ms doubling to
 * 5 s, with jitter) and log the outage once, then a line when it ends. At
 * shutdown the reporters deliver what the loop finishes, retrying for at most
 * CHK_DRAIN_MS once the loop is done (and not past the stop's deadline plus
 * CHK_REPORT_MARGIN_MS); a result given up then is not lost for
 * good: its check is leased again when its lease expires. Nothing is ever
 * reported for a check that did not run.
 *
 * The feeder borrows the settings, the RPC client (which may be used from
 * all its threads at once) and the exchange; all must outlive it.
 */
#ifndef CHK_FEEDER_H
#define CHK_FEEDER_H

#include "exchange.h"
#include "settings.h"
#include "sw_rpc.h"

#define CHK_FLUSH_MS 100
#define CHK_DRAIN_MS 10000
/* Reporting may outlast the stop deadline (chk_exchange_stop_by) by this much. */
#define CHK_REPORT_MARGIN_MS 1000
#define CHK_BACKOFF_MIN_MS 250
#define CHK_BACKOFF_MAX_MS 5000
/* As many reports in flight as sw-monitors has workers by default (SW_WORKERS). */
#define CHK_REPORTERS 4

struct chk_feeder;

/* Starts the threads; on failure the exchange is stopped and nothing is left running. */
int chk_feeder_start(const struct chk_settings *settings, struct sw_rpc_client *client,
                     struct chk_exchange *ex, struct chk_feeder **out);

/*
 * Joins the threads and frees the feeder. The leaser ends when the exchange
 * stops; the reporters when the loop is done and its outcomes are delivered
 * or given up, so call this after chk_exchange_stop().
 */
void chk_feeder_stop(struct chk_feeder *feeder);

#endif
