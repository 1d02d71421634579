/*
 * The signature scheme of Stripe's webhooks, which StatusWatch's own webhooks
 * use too: HMAC-SHA256 keyed with the whole secret over "<t>.<payload>",
 * sent as "t=<unix seconds>,v1=<hex>". sw-billing verifies Stripe's with it;
 * sw-notify signs its deliveries with it.
 */
#ifndef SW_SIGNATURE_H
#define SW_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SW_SIGNATURE_LEN 32
/* "t=" 20 digits ",v1=" 64 hex digits and the NUL. */
#define SW_SIGNATURE_HEADER_MAX 96

/* The MAC of "<t>.<payload>" (t given as its text) into out; false if it cannot be computed. */
bool sw_signature_mac(const char *secret, const char *t, size_t t_len, const uint8_t *payload,
                      size_t len, uint8_t out[SW_SIGNATURE_LEN]);

/* The header value for payload signed at now_s; SW_EINTERNAL if it cannot be computed. */
int sw_signature_header(const char *secret, long long now_s, const uint8_t *payload, size_t len,
                        char out[SW_SIGNATURE_HEADER_MAX]);

#endif
