/*
 * The client address of a request, for rate limits and the audit log: the
 * peer's address, unless the peer is a trusted proxy (SW_TRUSTED_PROXIES),
 * in which case the right-most X-Forwarded-For hop that is not itself a
 * trusted proxy (api.md, "Roles, account status and rate limits").
 *
 * Every X-Forwarded-For header counts, in the order received, as if joined
 * by commas (RFC 9110 §5.3); the values are walked in place from the right,
 * so a header of any length gives the right answer and nothing is copied
 * but one hop at a time. What a hop may look like:
 *   - an IPv4 or IPv6 address, optionally with spaces or tabs around it;
 *   - "[v6]", "[v6]:port" or "v4:port" (some proxies add the port): the
 *     port is dropped;
 *   - an empty element ("a,,b", a trailing comma) is skipped, as list
 *     syntax allows.
 * Anything else ("unknown", an obfuscated name, a hop too long to be an
 * address, junk) ends the walk: the answer is the last address known, i.e.
 * the trusted proxy that wrote the unreadable hop. Only trusted proxies'
 * entries are ever read, so an untrusted client cannot choose the answer by
 * sending junk. When every hop is a trusted proxy, the left-most one is the
 * client.
 *
 * Addresses come out in canonical text (inet_ntop; IPv4-mapped IPv6 as
 * IPv4), so one client has one rate-limit key however it was spelt.
 * Pure functions: no state, no allocation; the caller owns every buffer.
 */
#ifndef GW_FORWARDED_H
#define GW_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_cidr.h"

/* Room for any address in text form, with its NUL (INET6_ADDRSTRLEN is 46). */
#define GW_ADDR_TEXT_MAX 48

/*
 * The client address of a request from `peer` that carried the given
 * X-Forwarded-For header values (in order; n_values may be 0). Writes it to
 * out and sets *via_trusted_proxy when the peer is a trusted proxy. A peer
 * that does not parse is copied as it is (cut to fit) and never trusted.
 */
void gw_forwarded_client(const char *peer, const char *const *values, size_t n_values,
                         const struct sw_cidr_list *trusted, char out[GW_ADDR_TEXT_MAX],
                         bool *via_trusted_proxy);

/* True when an X-Forwarded-Proto value (NULL when absent) says https. */
bool gw_forwarded_proto_https(const char *value);

#endif
