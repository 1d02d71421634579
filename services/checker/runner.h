/*
 * The whole checker as one object: the RPC client to sw-monitors, the
 * exchange, the transfer loop on its own thread and the feeder's RPC
 * threads. main() starts it and, on SIGINT or SIGTERM, stops it; tests drive
 * it the same way against an in-process sw-monitors.
 *
 * Stopping is graceful: leasing stops at once, checks already leased run to
 * the end (each is bounded by its timeout), their results are reported, and
 * only then is everything freed. The runner borrows the settings, which must
 * outlive it, and owns everything else it creates.
 */
#ifndef CHK_RUNNER_H
#define CHK_RUNNER_H

#include "settings.h"

struct chk_runner;

/*
 * Starts the checker. on_fatal(arg), if given, is called from the loop's
 * thread when the transfer loop fails beyond repair, so that the owner can
 * stop it. On error nothing is left running.
 */
int chk_runner_start(const struct chk_settings *settings, void (*on_fatal)(void *), void *arg,
                     struct chk_runner **out);

/*
 * Stops gracefully within grace_ms (checks running past it are abandoned and
 * leased again later) and frees everything; SW_EINTERNAL if the loop had failed.
 */
int chk_runner_stop(struct chk_runner *runner, int grace_ms);

#endif
