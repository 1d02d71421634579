/*
 * Events over nng PUB/SUB. A message is "<topic>\0<payload>"; subscribers
 * filter on the topic. PUB/SUB may drop messages (a subscriber that is not
 * connected yet, a full queue), so an event that must not be lost is written
 * to its owner's outbox table first and the message is only a wake-up;
 * consumers also poll the owner's ListEventsSince.
 *
 * struct sw_pub is safe to use from many threads. struct sw_sub runs one
 * thread that calls the callback for each message; the callback must not
 * block for long. Each open has its matching close, which frees everything.
 */
#ifndef SW_PUBSUB_H
#define SW_PUBSUB_H

#include <stddef.h>

struct sw_pub;

/* Listens on url (ipc:// folders are created). */
int sw_pub_open(const char *url, struct sw_pub **out);
/* Publishes one message; never blocks. SW_EUNAVAIL if nng refused it. */
int sw_pub_send(struct sw_pub *pub, const char *topic, const char *payload);
void sw_pub_close(struct sw_pub *pub);

typedef void (*sw_sub_fn)(void *arg, const char *topic, const char *payload);

struct sw_sub;

/*
 * Dials url in the background (re-dialling after the publisher restarts) and
 * subscribes to the given topics. On error nothing is left running and the
 * callback is never called.
 */
int sw_sub_open(const char *url, const char *const *topics, size_t n_topics, sw_sub_fn fn,
                void *arg, struct sw_sub **out);
/* Stops the thread (no callback runs after this returns) and frees everything. */
void sw_sub_close(struct sw_sub *sub);

#endif
