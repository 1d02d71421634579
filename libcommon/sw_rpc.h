/*
 * Request/reply RPC over nng with protobuf envelopes: the typed contract
 * every service is built on.
 *
 * Server. A service describes each method once, in a table: its name, the
 * descriptor of its request message, its handler, and which callers may use
 * it. The server listens on one or more listeners; each listener has its own
 * REP socket, its own pool of worker threads (each owning one nng_ctx and one
 * PGconn) and one caller role: the gateway on behalf of a verified user
 * (public), another service (internal), or a checker. A worker receives,
 * unpacks the envelope and the request (a message that does not unpack is
 * INVALID_ARGUMENT), refuses a method the listener's callers may not use
 * (PERMISSION_DENIED), calls handler(ctx, request, reply), frees the
 * request, rolls back whatever transaction the handler left open, and sends
 * the reply. The reply is the handler's only error channel. A listener that
 * nng 1.5 stops serving (a peer hung up mid-handshake) is replaced within
 * about a second (sw_listener_watch.h).
 *
 * Trust. Locally the listeners are ipc:// sockets in a private folder, one
 * per caller role, so a caller reaches only what its socket serves. In a
 * cluster they are tls+tcp:// with mutual TLS (sw_tls.h): a listener accepts
 * only peers whose certificate was signed by the CA of its caller role.
 *
 * Client. A REQ socket that dials in the background (and re-dials after the
 * peer restarts). Each call opens its own nng_ctx with automatic resend off
 * and waits at most its deadline; a timeout or a missing peer is SW_EUNAVAIL,
 * never a hang. A client may be used by many threads at once.
 *
 * Stopping without losing calls. On SIGTERM a server drains
 * (sw_rpc_server_drain): requests already running finish and are answered;
 * any request that arrives from then on is not run but answered UNAVAILABLE
 * with code SW_RPC_SHUTTING_DOWN, and the client sends such a call again
 * (after 20 ms, doubling to 200 ms) until another replica or the restarted
 * process answers or the deadline passes. Because that answer proves the
 * request did not run, every call is retried, writes included, and none runs
 * twice. A connection that closes under a call (nng 1.5 then fails the call
 * with NNG_ECONNRESET; the peer died or closed between two requests) is
 * retried only when the caller said the call is idempotent
 * (sw_rpc_meta.idempotent: reads, and writes stored idempotently), or when a
 * peer of this client announced its drain within the last
 * SW_RPC_DRAIN_MEMORY_MS, in which case the reset is that drain's close,
 * which runs nothing it did not answer. docs/DECISIONS.md ("Graceful
 * stops") has the reasoning.
 */
#ifndef SW_RPC_H
#define SW_RPC_H

#include <libpq-fe.h>
#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "envelope.pb-c.h"
#include "sw_reply.h"

struct sw_metrics;
struct sw_tls;

/* Who is calling: the role of the listener a request arrived on. */
enum sw_rpc_caller {
    SW_RPC_PUBLIC = 1u << 0,   /* the gateway, for a user it verified */
    SW_RPC_INTERNAL = 1u << 1, /* another StatusWatch service */
    SW_RPC_CHECKER = 1u << 2,  /* a checker: leasing and reporting only */
};
#define SW_RPC_ANY (SW_RPC_PUBLIC | SW_RPC_INTERNAL | SW_RPC_CHECKER)

/* Short name of a caller role ("public", "internal", "checker"), for logs. */
const char *sw_rpc_caller_name(enum sw_rpc_caller caller);

/* What a handler sees of one request. Everything is borrowed. */
struct sw_rpc_ctx {
    const Sw__Envelope *env;   /* caller identity, request id, deadline */
    enum sw_rpc_caller caller; /* the listener's role */
    PGconn *db;                /* this worker's connection, NULL without a database */
    void *service;             /* the service's shared state (thread-safe or read-only) */
    const void *host;          /* the process's host (sw_service.c), for the health method */
};

/*
 * A method handler. `request` is the unpacked request message of the
 * method's descriptor (assign it to a pointer of its type). The handler
 * validates, does its work, and fills `reply`: a body, or a failure.
 */
/* A handler's type; headers declare handlers as `sw_rpc_handler_fn name;`. */
typedef void sw_rpc_handler_fn(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
typedef sw_rpc_handler_fn *sw_rpc_handler;

struct sw_rpc_method {
    const char *name;                          /* "auth.Register" */
    const ProtobufCMessageDescriptor *request; /* what the body unpacks as */
    sw_rpc_handler handler;
    unsigned callers; /* enum sw_rpc_caller bits allowed */
};

struct sw_rpc_listener {
    const char *url;           /* ipc://, tcp://, tls+tcp:// */
    enum sw_rpc_caller caller; /* the one role served here */
    int workers;
};

struct sw_rpc_server_opts {
    const char *service; /* "auth", for logs */
    const struct sw_rpc_listener *listeners;
    size_t n_listeners;
    const char *database_url; /* NULL: workers get no connection */
    const struct sw_rpc_method *methods;
    size_t n_methods;
    void *service_ctx;
    const void *host;
    const struct sw_tls *tls; /* required for tls+tcp:// listeners */
    /* Borrowed; NULL: none. Gets sw_rpc_requests_total{method,status} (status: the
     * reply's upper-case name), sw_rpc_request_duration_seconds{method} and
     * sw_rpc_in_flight{listener} and sw_rpc_workers{listener}. */
    struct sw_metrics *metrics;
};

struct sw_rpc_server;

/* Starts every listener and its workers. On error nothing is left running. */
int sw_rpc_server_start(const struct sw_rpc_server_opts *opts, struct sw_rpc_server **out);
/* The reply code of a request refused, not run, because its server is draining. */
#define SW_RPC_SHUTTING_DOWN "shutting_down"
/* How long after such a reply a connection reset is taken for that drain's close. */
#define SW_RPC_DRAIN_MEMORY_MS 2000

/*
 * Refuses new requests (SW_RPC_SHUTTING_DOWN) and waits up to grace_ms for
 * the running ones to be answered; 0 once they are, SW_EUNAVAIL if some
 * were still running at the deadline. Call sw_rpc_server_stop after it.
 */
int sw_rpc_server_drain(struct sw_rpc_server *srv, int grace_ms);
/* Closes the sockets, joins the workers and frees everything. */
void sw_rpc_server_stop(struct sw_rpc_server *srv);

/* Caller identity and correlation copied into each request's envelope; NULL: absent. */
struct sw_rpc_meta {
    const char *request_id;
    const char *tenant_id;
    const char *tenant_schema;
    const char *user_id;
    const char *role;
    const char *client_ip;
    const char *session_id;
    const char *actor_type; /* for the audit log: user | api_key | staff */
    const char *actor_email;
    const char *user_agent;
    /* Running it twice is harmless: a reset connection is retried (see Client above). */
    bool idempotent;
};

struct sw_rpc_client;

/*
 * Dials url in the background. For tls+tcp:// `tls` gives this process's
 * certificate and `server_name` the service the peer must prove to be.
 */
int sw_rpc_client_open(const char *url, const struct sw_tls *tls, const char *server_name,
                       struct sw_rpc_client **out);
void sw_rpc_client_close(struct sw_rpc_client *client);

/* A reply and, when it is OK and a descriptor was given, its unpacked body. */
struct sw_rpc_result {
    Sw__Reply *reply; /* NULL when no reply arrived */
    ProtobufCMessage *body;
};

/*
 * Sends `req` as method `method` and waits at most timeout_ms. Returns the
 * outcome as an error code: 0 when the reply is OK (and result->body holds
 * the unpacked reply when reply_desc was given), the negated reply status
 * when the service refused (result->reply says why), SW_EUNAVAIL on timeout
 * or no peer, SW_EINTERNAL if the reply could not be decoded. The result is
 * released with sw_rpc_result_free() whatever the return value.
 */
int sw_rpc_call(struct sw_rpc_client *client, const struct sw_rpc_meta *meta, const char *method,
                const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
                int timeout_ms, struct sw_rpc_result *result);

void sw_rpc_result_free(struct sw_rpc_result *result);

/* The identity of the request being served, for a call it makes downstream. */
struct sw_rpc_meta sw_rpc_meta_of(const Sw__Envelope *env);

/* Milliseconds since the Unix epoch (deadlines travel as absolute times). */
long long sw_now_ms(void);

/* Milliseconds left before the request's deadline (2^40 when none; at least -2^40). */
long long sw_rpc_ms_left(const Sw__Envelope *env);

#endif
