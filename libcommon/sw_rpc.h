/*
 * Request/reply RPC over nng with protobuf envelopes.
 *
 * Server: a REP socket served by a fixed pool of worker threads. Each worker
 * owns one nng_ctx and (when the service has a database) one PGconn, and
 * loops receive → look up the method → handler → send, so nothing is shared
 * on the hot path. Every server also answers "<service>.Health".
 *
 * Client: a REQ socket that dials in the background (and re-dials after the
 * peer restarts). Each call opens its own nng_ctx with automatic resend off
 * and waits at most its deadline; a timeout or a missing peer is SW_EUNAVAIL,
 * never a hang. A client may be used by many threads at once.
 */
#ifndef SW_RPC_H
#define SW_RPC_H

#include <libpq-fe.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "envelope.pb-c.h"
#include "sw_migrate.h"
#include "sw_reply.h"

/* What a handler sees of one request. Everything is borrowed. */
struct sw_rpc_ctx {
    const Sw__Envelope *env; /* caller identity, request id, deadline */
    PGconn *db;              /* this worker's connection, NULL without a database */
    void *service;           /* the service's shared, read-only state */
};

/*
 * A method handler. It fills `reply` (status, field errors, body). Returning
 * a negative SW_E… code with the reply still OK sets that status with a
 * generic message.
 */
typedef int (*sw_rpc_fn)(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                         struct sw_reply *reply);

struct sw_rpc_method {
    const char *name; /* "auth.Register" */
    sw_rpc_fn fn;
};

struct sw_rpc_server_opts {
    const char *service;      /* "auth"; answers "<service>.Health" */
    const char *url;          /* REP address to listen on */
    int workers;
    const char *database_url; /* NULL: workers get no connection */
    const struct sw_rpc_method *methods;
    size_t n_methods;
    const struct sw_migration *migrations; /* checked by Health */
    size_t n_migrations;
    void *service_ctx;
};

struct sw_rpc_server;

/* Starts listening and the workers. On error nothing is left running. */
int sw_rpc_server_start(const struct sw_rpc_server_opts *opts, struct sw_rpc_server **out);
/* Closes the socket, joins the workers and frees everything. */
void sw_rpc_server_stop(struct sw_rpc_server *srv);

/* Caller identity and correlation copied into each request's envelope. */
struct sw_rpc_meta {
    const char *request_id;
    const char *tenant_id;
    const char *tenant_schema;
    const char *user_id;
    const char *role;
    const char *client_ip;
    const char *session_id;
};

struct sw_rpc_client;

int sw_rpc_client_open(const char *url, struct sw_rpc_client **out);
void sw_rpc_client_close(struct sw_rpc_client *client);

/* A reply and, when it is OK and a descriptor was given, its unpacked body. */
struct sw_rpc_result {
    Sw__Reply *reply;
    ProtobufCMessage *body;
};

/*
 * Sends `req` as method `method` and waits at most timeout_ms. Returns 0 when
 * a reply arrived (look at result->reply->status), SW_EUNAVAIL on timeout or
 * no peer, SW_EINTERNAL if the reply could not be decoded. The result is
 * released with sw_rpc_result_free() whatever the return value.
 */
int sw_rpc_call(struct sw_rpc_client *client, const struct sw_rpc_meta *meta, const char *method,
                const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
                int timeout_ms, struct sw_rpc_result *result);

void sw_rpc_result_free(struct sw_rpc_result *result);

/* Milliseconds since the Unix epoch (deadlines travel as absolute times). */
long long sw_now_ms(void);

#endif
