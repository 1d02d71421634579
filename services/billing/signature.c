#include "signature.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sw_signature.h"

#define SHA256_LEN SW_SIGNATURE_LEN
#define MAX_V1 8

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes exactly 64 hex digits into out; false otherwise. */
static bool decode_sig(const char *hex, size_t len, uint8_t out[SHA256_LEN])
{
    if (len != (size_t)2 * SHA256_LEN)
        return false;
    for (size_t i = 0; i < SHA256_LEN; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* Parses "1700000000" (digits only, at most 12) into *out. */
static bool parse_time(const char *text, size_t len, long long *out)
{
    if (len == 0 || len > 12)
        return false;
    long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
}

struct parsed {
    long long t;
    int n_t;
    uint8_t v1[MAX_V1][SHA256_LEN];
    int n_v1;
    bool bad_v1;
    /* the t= value as sent, signed verbatim */
    const char *t_text;
    size_t t_len;
};

static bool parse_header(const char *header, struct parsed *p)
{
    memset(p, 0, sizeof *p);
    const char *s = header;
    while (*s) {
        size_t n = strcspn(s, ",");
        const char *eq = memchr(s, '=', n);
        if (eq) {
            size_t klen = (size_t)(eq - s);
            const char *val = eq + 1;
            size_t vlen = n - klen - 1;
            if (klen == 1 && s[0] == 't') {
                p->n_t++;
                p->t_text = val;
                p->t_len = vlen;
                if (!parse_time(val, vlen, &p->t))
                    return false;
            } else if (klen == 2 && s[0] == 'v' && s[1] == '1') {
                if (p->n_v1 < MAX_V1 && decode_sig(val, vlen, p->v1[p->n_v1]))
                    p->n_v1++;
                else
                    p->bad_v1 = true;
            }
        }
        s += n;
        if (*s == ',')
            s++;
    }
    return p->n_t == 1 && p->n_v1 > 0;
}

static bool expected_sig(const struct parsed *p, const uint8_t *payload, size_t len,
                         const char *secret, uint8_t out[SHA256_LEN])
{
    return sw_signature_mac(secret, p->t_text, p->t_len, payload, len, out);
}

enum billing_sig_result billing_signature_verify(const char *header, const uint8_t *payload,
                                                 size_t len, const char *secret, long long now_s,
                                                 long long tolerance_s)
{
    if (!header || !header[0])
        return BILLING_SIG_MISSING;
    struct parsed p;
    if (!parse_header(header, &p))
        return BILLING_SIG_MALFORMED;
    uint8_t want[SHA256_LEN];
    if (!expected_sig(&p, payload, len, secret, want))
        return BILLING_SIG_MISMATCH;
    bool match = false;
    for (int i = 0; i < p.n_v1; i++)
        match |= CRYPTO_memcmp(want, p.v1[i], SHA256_LEN) == 0;
    if (!match)
        return BILLING_SIG_MISMATCH;
    long long age = now_s - p.t;
    if (age > tolerance_s || age < -tolerance_s)
        return BILLING_SIG_STALE;
    return BILLING_SIG_OK;
}

const char *billing_signature_reason(enum billing_sig_result r)
{
    switch (r) {
    case BILLING_SIG_OK: return "The signature is valid.";
    case BILLING_SIG_MISSING: return "The Stripe-Signature header is missing.";
    case BILLING_SIG_MALFORMED:
        return "The Stripe-Signature header is malformed (it needs one t= and a v1= signature).";
    case BILLING_SIG_STALE:
        return "The Stripe-Signature timestamp is outside the 5-minute tolerance.";
    case BILLING_SIG_MISMATCH: break;
    }
    return "No signature in the Stripe-Signature header matches the payload.";
}
