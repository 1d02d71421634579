/*
 * The words an outage's incident quotes from its first failed check. The
 * incident is public (every page that shows the endpoint shows it), and a
 * public page shows nothing the owner did not choose to show: so the
 * checker's error is quoted without the endpoint's host name (curl's TLS
 * messages name it), without IP addresses (a refused connection names the
 * address) and without the keyword a keyword check looks for.
 */
#ifndef MON_PUBLIC_ERROR_H
#define MON_PUBLIC_ERROR_H

#include <stddef.h>

/*
 * Writes `error`, as the public may read it, into out (always terminated,
 * never cutting a UTF-8 sequence): the host of `url` becomes "the host", an
 * IPv4 or IPv6 address "an address", and the checker's `keyword "…" not
 * found` (services/checker/verdict.c) "the expected keyword was not found".
 */
void mon_public_error(const char *error, const char *url, char *out, size_t size);

#endif
