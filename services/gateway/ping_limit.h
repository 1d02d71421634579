/*
 * The per-token limit of heartbeat pings (GET|POST /api/ping/{token}/): a
 * hostile or broken pinger is turned away here, in memory, before any RPC or
 * database work. Each token counts in a fixed window of one minute.
 *
 * Tokens hash (keyed SipHash, a key drawn at start-up, so that nobody can aim
 * tokens at one slot) into a fixed table of GW_PING_SLOTS slots; a token
 * whose slot another token holds in its current window takes the slot over.
 * So the table never grows, and the worst an attacker who floods fresh tokens
 * can do is reset other tokens' counts, which costs him one request per reset:
 * no more load than those requests bring anyway. Each gateway replica counts
 * on its own: with R replicas a token may ping R times its limit.
 *
 * Thread-safe: CivetWeb's workers call it concurrently.
 */
#ifndef GW_PING_LIMIT_H
#define GW_PING_LIMIT_H

#include <stdbool.h>

#define GW_PING_SLOTS 8192

struct gw_ping_limit;

/* A table allowing per_minute pings per token; NULL without memory. */
struct gw_ping_limit *gw_ping_limit_new(int per_minute);
void gw_ping_limit_free(struct gw_ping_limit *l);

/*
 * Counts one ping of token at now_ms: true when admitted. *remaining and
 * *reset_s (seconds until the window ends) describe the window either way.
 */
bool gw_ping_limit_take(struct gw_ping_limit *l, const char *token, long long now_ms,
                        int *remaining, int *reset_s);

/* The limit it was made with. */
int gw_ping_limit_per_minute(const struct gw_ping_limit *l);

#endif
