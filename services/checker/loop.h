/*
 * The transfer loop: one thread, one curl multi handle, every check in
 * flight at once. It takes leased jobs from the exchange, turns each into a
 * probe (an easy handle) and adds it, drives the transfers with
 * curl_multi_perform(), sleeps in curl_multi_poll() until a socket is ready,
 * a curl timer is due or chk_loop_wake() is called, and pushes the outcome of
 * every finished transfer back to the exchange in one hand-over per round.
 *
 * The loop owns the multi handle and every probe in flight. It never blocks
 * on anything but curl_multi_poll(), so an RPC or a slow peer never delays
 * another check's timings. chk_loop_run() returns when the exchange says the
 * checker is stopping and nothing is left to run; every transfer it started
 * has then finished (each is bounded by its timeout).
 */
#ifndef CHK_LOOP_H
#define CHK_LOOP_H

#include "exchange.h"
#include "settings.h"

struct chk_loop;

/* Creates the multi handle; the settings are borrowed. SW_ENOMEM on failure. */
int chk_loop_new(const struct chk_settings *settings, struct chk_loop **out);

/* Wakes the loop from any thread (the exchange's wake_loop callback). */
void chk_loop_wake(void *loop);

/*
 * Runs transfers until the exchange lets the loop exit, then marks the loop
 * done in the exchange. SW_EINTERNAL if curl failed in a way the loop cannot
 * go on from (the transfers in flight are then abandoned, never reported).
 */
int chk_loop_run(struct chk_loop *loop, struct chk_exchange *ex);

void chk_loop_free(struct chk_loop *loop);

#endif
