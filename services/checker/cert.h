/*
 * The TLS certificate's expiry, read from what curl's CURLOPT_CERTINFO
 * collected about the chain of the last connection: the leaf certificate's
 * "Expire date" entry, in OpenSSL's form ("Mar  7 12:00:00 2025 GMT") or
 * curl's own ASN.1 form ("2025-03-07 12:00:00 GMT"), as milliseconds since
 * the Unix epoch. Pure functions; the certinfo belongs to the curl handle.
 */
#ifndef CHK_CERT_H
#define CHK_CERT_H

#include <curl/curl.h>

/* The leaf's expiry; SW_ENOTFOUND when there is no chain or no parsable date. */
int chk_cert_expiry_ms(const struct curl_certinfo *certinfo, long long *out_ms);

/* Parses one date in either form above; SW_EINVAL if it is neither. */
int chk_cert_parse_date(const char *text, long long *out_ms);

#endif
