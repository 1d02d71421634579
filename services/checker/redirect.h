/*
 * Redirects of checks whose method is not GET or HEAD. libcurl replays a
 * custom method on every hop, whatever the host, so such checks never use
 * CURLOPT_FOLLOWLOCATION: they stop at the first 3xx unless the endpoint
 * follows redirects, and then the probe follows them one hop at a time
 * (probe.c) with the method these rules give. The address guard judges every
 * connection of every hop, as for any transfer.
 */
#ifndef CHK_REDIRECT_H
#define CHK_REDIRECT_H

#include <stdbool.h>

/* True for the statuses a check follows: 301, 302, 303, 307 and 308. */
bool chk_redirect_status(long status);

/*
 * The method of the next hop after `status` from a request with `method`:
 * never another method than GET or HEAD on another host (it becomes GET);
 * on the same host 303 turns it into GET, as 301 and 302 do POST, and
 * 307/308 keep it (RFC 9110 §15.4 and what browsers do).
 */
const char *chk_redirect_method(const char *method, long status, bool same_host);

/* Whether two absolute URLs name the same host (case-insensitively); false if either is bad. */
bool chk_redirect_same_host(const char *from, const char *to);

#endif
