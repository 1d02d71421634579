/*
 * The outcome of one RPC as a handler builds it: a status, a machine code, a
 * safe message, field errors, and the packed reply body. It is the only error
 * channel of a handler: a handler returns nothing, and what it put here is
 * what the caller gets. The struct owns its body buffer; sw_reply_reset()
 * frees it. The RPC server turns it into the protobuf Reply on the wire.
 */
#ifndef SW_REPLY_H
#define SW_REPLY_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sw_status.h"

#define SW_REPLY_MAX_FIELDS 16

struct sw_field_error {
    char field[64];
    char message[256];
};

/* A rate limit's state, as sw_ratelimit.h computes it and the reply carries it. */
struct sw_rate_state {
    int limit;
    int remaining; /* slots left in the window */
    int reset_s;   /* seconds until the oldest hit leaves the window (the window when none) */
    bool limited;  /* no slot was left */
};

struct sw_reply {
    int status;    /* enum sw_status */
    char code[64]; /* "" → the status's default code */
    char message[256];
    struct sw_field_error fields[SW_REPLY_MAX_FIELDS];
    size_t n_fields;
    uint8_t *body; /* owned; packed reply message */
    size_t body_len;
    bool has_rate; /* the call was counted against a rate limit */
    struct sw_rate_state rate;
};

void sw_reply_init(struct sw_reply *reply);
void sw_reply_reset(struct sw_reply *reply);

/* True while nothing has failed. */
static inline bool sw_reply_ok(const struct sw_reply *reply) { return reply->status == 0; }

/*
 * The outcome of work whose steps returned rc and may have failed the reply
 * on their own: rc, or SW_EPRECOND when only the reply says it failed — what
 * sw_pg_end() needs to roll back.
 */
static inline int sw_reply_outcome(const struct sw_reply *reply, int rc)
{
    return rc ? rc : sw_reply_ok(reply) ? 0 : SW_EPRECOND;
}

/* Sets an error status with a machine code (NULL → default) and a message. */
void sw_reply_fail(struct sw_reply *reply, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Records the failure of a helper that returned the negative SW_E… code rc,
 * with a generic message, unless the reply already says what failed. Does
 * nothing when rc is 0. Returns rc, so `return sw_reply_fail_rc(reply, rc);`
 * reads as one step.
 */
int sw_reply_fail_rc(struct sw_reply *reply, int rc);

/* Adds a field error and makes the status INVALID_ARGUMENT. */
void sw_reply_field(struct sw_reply *reply, const char *field, const char *message);

/* Packs msg as the reply body; on failure the reply becomes INTERNAL. */
void sw_reply_body(struct sw_reply *reply, const ProtobufCMessage *msg);

struct sw_rpc_ctx;

/*
 * The caller's tenant, for a method that acts on it: the envelope's
 * tenant_id; NULL, with the reply failed as UNAUTHENTICATED, when the call
 * carries none.
 */
const char *sw_reply_caller_tenant(const struct sw_rpc_ctx *ctx, struct sw_reply *reply);

/*
 * True when the call speaks for a staff account (api.md "Staff": the gateway
 * verified a staff token; the envelope's role is "staff" and its user_id the
 * account); otherwise false, with the reply failed as PERMISSION_DENIED.
 */
bool sw_reply_caller_staff(const struct sw_rpc_ctx *ctx, struct sw_reply *reply);

#endif
