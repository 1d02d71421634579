/*
 * The Stripe-Signature check (services/billing/signature.c). The input's
 * first line is the header and the rest the payload. The first byte, when
 * it is a digit, also asks for a header that carries a correct v1 for the
 * payload at a time given by the digits that follow, with the fuzzed header
 * appended, so that the verifying and the clock paths run too. Properties:
 * the result is one of the enum's values with a reason, and a header that
 * verifies OK against a payload does not verify against another payload.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "signature.h"
#include "sw_signature.h"

#define SECRET "whsec_fuzzing_secret"
#define NOW_S 1700000000LL
#define TOLERANCE_S 300

static void check(const char *header, const uint8_t *payload, size_t len)
{
    enum billing_sig_result r =
        billing_signature_verify(header, payload, len, SECRET, NOW_S, TOLERANCE_S);
    FUZZ_CHECK(r >= BILLING_SIG_OK && r <= BILLING_SIG_MISMATCH);
    FUZZ_CHECK(billing_signature_reason(r)[0] != '\0');
    if (r == BILLING_SIG_OK) {
        /* The same header on a payload one byte longer must not verify. */
        uint8_t *other = malloc(len + 1);
        FUZZ_CHECK(other);
        memcpy(other, payload, len);
        other[len] = 'x';
        FUZZ_CHECK(billing_signature_verify(header, other, len + 1, SECRET, NOW_S, TOLERANCE_S) !=
                   BILLING_SIG_OK);
        free(other);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *lines[2];
    size_t n = 0;
    char *copy = fuzz_lines(data, size, lines, 2, &n);
    const char *header = lines[0];
    const uint8_t *payload = (const uint8_t *)lines[1];
    size_t len = size - (size_t)(lines[1] - copy);
    check(header, payload, len);
    if (header[0] >= '0' && header[0] <= '9') {
        /* "t=<NOW_S + digit * 100 s>,v1=<correct>," and the fuzzed header. */
        long long t = NOW_S + (header[0] - '0') * 100LL;
        char signed_header[SW_SIGNATURE_HEADER_MAX];
        FUZZ_CHECK(sw_signature_header(SECRET, t, payload, len, signed_header) == 0);
        size_t hlen = strlen(signed_header) + 1 + strlen(header + 1) + 1;
        char *full = malloc(hlen);
        FUZZ_CHECK(full);
        snprintf(full, hlen, "%s,%s", signed_header, header + 1);
        check(full, payload, len);
        free(full);
    }
    free(copy);
    return 0;
}
