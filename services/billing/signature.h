/*
 * Stripe-Signature verification: the header is "t=<unix s>,v1=<hex>[,v1=…]"
 * (other keys such as v0 ignored); a v1 must equal HMAC-SHA256 keyed with the
 * whole webhook secret over "<t>.<payload>", compared in constant time, and t
 * must be within `tolerance_s` of now.
 */
#ifndef BILLING_SIGNATURE_H
#define BILLING_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

enum billing_sig_result {
    BILLING_SIG_OK = 0,
    BILLING_SIG_MISSING,   /* no header */
    BILLING_SIG_MALFORMED, /* no single numeric t=, or no v1= */
    BILLING_SIG_STALE,     /* t outside the tolerance */
    BILLING_SIG_MISMATCH,  /* no v1 matches */
};

enum billing_sig_result billing_signature_verify(const char *header, const uint8_t *payload,
                                                 size_t len, const char *secret, long long now_s,
                                                 long long tolerance_s);

/* A sentence for the log and the 400 answer. */
const char *billing_signature_reason(enum billing_sig_result r);

#endif
