/*
 * The gateway's graceful stop, before mg_stop (which aborts the writes of
 * requests still being answered, so it must come last):
 *
 * 1. gw_stop_accepting: every listening socket of the HTTP server is shut
 *    down (connections waiting in its backlog are reset: no request on them
 *    was read, so a client sends it again elsewhere) and replaced, on the
 *    same descriptor, by an idle listening socket on a loopback ephemeral
 *    port, so that CivetWeb's accept loop keeps waiting quietly and the port
 *    is free for the next process at once.
 * 2. gw_wait_idle: waits until no request has been in flight for a moment
 *    (gateway.in_flight, counted by gw_dispatch), or until the deadline.
 * 3. gw_stop_http: mg_stop, with the idle sockets shut down just after it
 *    began, so that the accept loop wakes at once and sees the stop (else it
 *    sleeps out its poll, 2 s).
 */
#ifndef GW_DRAIN_H
#define GW_DRAIN_H

#include <civetweb.h>

#include "gateway.h"

#define GW_MAX_LISTENERS 8

/* The descriptors of the HTTP server's listening sockets, once they are idle. */
struct gw_listeners {
    int fd[GW_MAX_LISTENERS];
    int n;
};

/* Stops taking connections; fills *out with the descriptors it replaced. */
void gw_stop_accepting(struct mg_context *http, struct gw_listeners *out);

/* mg_stop, with the accept loop woken once it is under way. */
void gw_stop_http(struct mg_context *http, const struct gw_listeners *listeners);

/* Waits for the requests in flight (until deadline_mono_ms); how many are left. */
int gw_wait_idle(struct gateway *gw, long long deadline_mono_ms);

#endif
