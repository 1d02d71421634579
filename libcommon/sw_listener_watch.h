/*
 * Is an RPC listener still accepting? nng 1.5 (Debian 12's libnng) has a bug
 * (nng issue #1518, fixed in 1.6): when a peer disconnects while its
 * connection is being negotiated (an ipc:// peer that connects and closes at
 * once, a TLS peer whose handshake fails, a client that gives up mid-dial),
 * the transport can report the failure to the listener as NNG_ECLOSED, which
 * the listener takes for its own close: it never accepts again. The process
 * keeps running and its existing connections keep working, but every new
 * caller waits forever: its connection is negotiated by the transport and
 * then parked, never handed to the socket.
 *
 * The watch sees that from outside nng: the kernel's connections to the
 * listener's address (/proc/net/unix for ipc://, /proc/net/tcp{,6} for
 * tcp:// and tls+tcp://) against the connections the listener handed to the
 * socket (counted by the socket's pipe events: nng's own statistics were
 * found to count only a listener's first connection). Connections waiting while the
 * listener accepts nothing for a while mean it is stuck; sw_rpc_server.c then
 * closes it, closes the connections it parked, and listens afresh.
 */
#ifndef SW_LISTENER_WATCH_H
#define SW_LISTENER_WATCH_H

#include <stdbool.h>
#include <stdint.h>

/* How long connections may wait on a listener that accepts nothing before it is restarted. */
#define SW_LISTENER_STUCK_MS 750
/* How often the listeners are looked at. */
#define SW_LISTENER_WATCH_MS 250

/* The kernel's server-side connections to url's address; -1 if they cannot be counted. */
int sw_listener_kernel_conns(const char *url);

/*
 * Once url's listener is closed: nng 1.5 never closes the connections it
 * parked there (nor frees them), so their callers would wait on them until
 * their deadline. Every socket of this process still connected on url's
 * address is replaced by /dev/null (dup2: the connection closes, its caller
 * dials again, and the descriptor nng keeps stays valid). Returns how many.
 */
int sw_listener_drop_parked(const char *url);

/* What the watch remembers of one listener between two looks. */
struct sw_listener_watch {
    long long waiting_since_ms; /* 0: nothing waiting at the last look */
    uint64_t accepted;          /* the accept count when the wait began */
};

/*
 * One look at the listener on url at now_ms, whose socket holds `pipes`
 * connections and has been handed `accepted` so far: true when connections
 * have been waiting for SW_LISTENER_STUCK_MS without one more being handed
 * over, i.e. the listener must be replaced (the watch is then reset).
 */
bool sw_listener_stuck(struct sw_listener_watch *watch, const char *url, uint64_t pipes,
                       uint64_t accepted, long long now_ms);

#endif
