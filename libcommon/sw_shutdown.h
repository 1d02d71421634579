/*
 * The bound on a graceful stop. After SIGTERM a process stops taking new
 * work and finishes what it holds (requests, batches, checks); the watchdog
 * makes sure that ends: if the process is still alive grace_ms plus
 * SW_SHUTDOWN_MARGIN_MS after sw_shutdown_watchdog(), the watchdog logs what
 * was stopping and ends the process with status 1. A process that finishes
 * in time exits 0 as usual and the watchdog dies with it.
 */
#ifndef SW_SHUTDOWN_H
#define SW_SHUTDOWN_H

/* Time left for freeing and closing once the work itself is done or abandoned. */
/* Closing takes a while: CivetWeb (the operations port, the gateway) notices a stop at
 * its 2 s poll quantum, and each RPC worker closes its PostgreSQL connection. */
#define SW_SHUTDOWN_MARGIN_MS 5000

/* Starts the watchdog (a detached thread) for a stop of at most grace_ms. */
void sw_shutdown_watchdog(int grace_ms);

/* Monotonic milliseconds: grace deadlines do not move with the clock. */
long long sw_mono_ms(void);

#endif
