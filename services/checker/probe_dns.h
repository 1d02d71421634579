/*
 * A DNS check (kind dns, url dns://name, a record type and an optional
 * expected value), resolved with c-ares inside the transfer loop: the query's
 * sockets join curl_multi_poll() as extra descriptors, so a slow resolver
 * never blocks the loop, a worker, or another check.
 *
 * Each probe has a channel of its own (fresh sockets and source port for every
 * check, as an HTTP check has a fresh connection) and a hard deadline: the
 * check's timeout, past which the query is cancelled. The servers are the
 * system's (/etc/resolv.conf) or SW_CHECKER_DNS_SERVERS. The check passes
 * when the resolver answers with at least one record of the type asked for
 * and, with an expected value, one of them equals it (addresses compared as
 * addresses, names without case or final dot, TXT exactly; an MX record
 * matches its exchange or "preference exchange"). An A or AAAA answer the
 * address rules refuse (private, loopback, … unless SW_CHECKER_ALLOW_CIDRS
 * allows it) fails the check without naming the address: a DNS check must not
 * become a window onto names of the checker's own network.
 *
 * A probe owns its channel and its job; the loop owns the probes.
 */
#ifndef CHK_PROBE_DNS_H
#define CHK_PROBE_DNS_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "sw_cidr.h"
#include "work.h"

#define CHK_KIND_DNS "dns"
/* Most descriptors one query uses at once (c-ares's ARES_GETSOCK_MAXNUM). */
#define CHK_DNS_MAX_FDS 16
#define CHK_DNS_SERVERS_MAX 512

struct chk_dns_probe;

/* Once per process, before any probe (ares_library_init); 0 or SW_EINTERNAL. */
int chk_dns_init(void);
void chk_dns_cleanup(void);

/*
 * Whether `servers` (SW_CHECKER_DNS_SERVERS: "ip[:port],…", IPv6 in brackets
 * with a port; "" for the system's) can be used; false when c-ares refuses it.
 */
bool chk_dns_servers_valid(const char *servers);

/*
 * Starts the query for `job` (taking ownership of it on success, else it stays
 * the caller's); `servers` and `allow` are borrowed and must outlive the probe.
 * SW_EINVAL for a job that cannot be run as given, SW_ENOMEM otherwise.
 */
int chk_dns_probe_new(struct chk_job *job, const char *servers, const struct sw_cidr_list *allow,
                      struct chk_dns_probe **out);

/* Appends the descriptors the query waits on to fds (at most max); returns how many. */
size_t chk_dns_probe_fds(struct chk_dns_probe *p, struct curl_waitfd *fds, size_t max);

/* Milliseconds until the probe needs attention without any socket being ready. */
long chk_dns_probe_wait_ms(struct chk_dns_probe *p);

/*
 * Lets c-ares read and write what poll found ready (fds as returned by
 * chk_dns_probe_fds with their revents), handles its timeouts and the check's
 * deadline. Returns true once the query is over.
 */
bool chk_dns_probe_step(struct chk_dns_probe *p, const struct curl_waitfd *fds, size_t n);

/* The Result of a finished probe; SW_ENOMEM on failure. */
int chk_dns_probe_finish(struct chk_dns_probe *p, struct chk_outcome **out);

void chk_dns_probe_free(struct chk_dns_probe *p);

/* The loop's list of DNS probes in flight. */
struct chk_dns_probe *chk_dns_probe_next(const struct chk_dns_probe *p);
void chk_dns_probe_link(struct chk_dns_probe *p, struct chk_dns_probe **head);
void chk_dns_probe_unlink(struct chk_dns_probe *p, struct chk_dns_probe **head);

#endif
