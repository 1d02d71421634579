/*
 * Rate limits that hold across every replica: a sliding log of hits in the
 * owning service's PostgreSQL table (<schema>.rate_hits: bucket, key, at),
 * so two gateways, or two sw-auth processes, count against one window.
 * A check and its hit run under a transaction-scoped advisory lock on the
 * (bucket, key) pair, so concurrent requests cannot both take the last
 * slot. The rates are low (sign-ups, failed logins, resets: a few an hour
 * per client), so a row per hit is cheap and the answer exact: N hits in
 * any window of the rule's length, never 2N across a boundary.
 * docs/DECISIONS.md, "Rate limits", has the reasoning.
 */
#ifndef SW_RATELIMIT_H
#define SW_RATELIMIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "sw_reply.h"

struct sw_rate_rule {
    const char *bucket; /* "register", "login_ip", … */
    int limit;          /* hits allowed in the window */
    int window_s;
};

/* struct sw_rate_state is the reply's own (sw_reply.h), so a state goes on a reply as is. */

/* Reads the state of (rule, key) without counting. */
int sw_rate_peek(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                 struct sw_rate_state *out);

/* Counts one hit when a slot is left (else out->limited and nothing is counted). */
int sw_rate_take(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                 struct sw_rate_state *out);

/* Counts one hit whatever the state (a failed login after the check let it through). */
int sw_rate_record(PGconn *db, const char *table, const struct sw_rate_rule *rule, const char *key,
                   struct sw_rate_state *out);

/*
 * The rate-limit key of a client address: the address itself for IPv4, its
 * /64 for IPv6 (one customer's network hands out a whole /64), "unknown"
 * when there is none.
 */
void sw_rate_client_key(const char *ip, char *out, size_t size);

/* Puts the state on the reply (RateLimit-* headers) and, when limited, fails it 429 rate_limited.
 */
void sw_reply_rate(struct sw_reply *reply, const struct sw_rate_state *state);

#endif
