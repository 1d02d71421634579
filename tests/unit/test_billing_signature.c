/* Stripe-Signature verification and the Stripe form encoding of sw-billing. */
#include <stdio.h>
#include <string.h>

#include "signature.h"
#include "stripe.h"
#include "unit.h"

#define SECRET "whsec_test_secret"
#define NOW 1700000000LL
#define PAYLOAD "{\"id\":\"evt_1\",\"object\":\"event\"}"
/* HMAC-SHA256(SECRET, "1700000000." PAYLOAD), computed independently (Python hmac). */
#define GOOD "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"
#define OTHER "1c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"

static enum billing_sig_result verify_at(const char *header, const char *payload, long long now)
{
    return billing_signature_verify(header, (const uint8_t *)payload, strlen(payload), SECRET, now,
                                    300);
}

static enum billing_sig_result verify(const char *header)
{
    return verify_at(header, PAYLOAD, NOW);
}

static void test_valid_signature_is_accepted(void **state)
{
    (void)state;
    assert_int_equal(verify("t=1700000000,v1=" GOOD), BILLING_SIG_OK);
    /* Order and extra schemes do not matter; v0 is ignored. */
    assert_int_equal(verify("v0=abc,v1=" GOOD ",t=1700000000"), BILLING_SIG_OK);
    assert_int_equal(verify("t=1700000000,v1=" OTHER ",v1=" GOOD), BILLING_SIG_OK);
    assert_int_equal(verify("t=1700000000,v1=" GOOD ",x=whatever"), BILLING_SIG_OK);
}

static void test_wrong_signature_or_body_is_refused(void **state)
{
    (void)state;
    assert_int_equal(verify("t=1700000000,v1=" OTHER), BILLING_SIG_MISMATCH);
    assert_int_equal(verify_at("t=1700000000,v1=" GOOD, PAYLOAD " ", NOW), BILLING_SIG_MISMATCH);
    /* A signature for another timestamp does not carry over. */
    assert_int_equal(verify("t=1700000001,v1=" GOOD), BILLING_SIG_MISMATCH);
    assert_int_equal(billing_signature_verify("t=1700000000,v1=" GOOD, (const uint8_t *)PAYLOAD,
                                              strlen(PAYLOAD), "whsec_other", NOW, 300),
                     BILLING_SIG_MISMATCH);
}

static void test_tolerance_is_five_minutes_both_ways(void **state)
{
    (void)state;
    assert_int_equal(verify_at("t=1700000000,v1=" GOOD, PAYLOAD, NOW + 300), BILLING_SIG_OK);
    assert_int_equal(verify_at("t=1700000000,v1=" GOOD, PAYLOAD, NOW + 301), BILLING_SIG_STALE);
    assert_int_equal(verify_at("t=1700000000,v1=" GOOD, PAYLOAD, NOW - 300), BILLING_SIG_OK);
    assert_int_equal(verify_at("t=1700000000,v1=" GOOD, PAYLOAD, NOW - 301), BILLING_SIG_STALE);
}

static void test_malformed_headers_are_refused(void **state)
{
    (void)state;
    assert_int_equal(verify(NULL), BILLING_SIG_MISSING);
    assert_int_equal(verify(""), BILLING_SIG_MISSING);
    static const char *const bad[] = {
        "v1=" GOOD,                           /* no timestamp */
        "t=1700000000",                       /* no signature */
        "t=1700000000,v0=" GOOD,              /* only v0 */
        "t=abc,v1=" GOOD,                     /* timestamp not a number */
        "t=,v1=" GOOD,                        /* empty timestamp */
        "t=-1700000000,v1=" GOOD,             /* signed timestamp */
        "t=1700000000,t=1700000000,v1=" GOOD, /* two timestamps */
        "t=1700000000,v1=zz" GOOD,            /* not hex */
        "t=1700000000,v1=" GOOD "00",         /* too long */
        "t=1700000000,v1=",                   /* empty signature */
        "garbage",
        ",,,",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        if (verify(bad[i]) != BILLING_SIG_MALFORMED)
            fail_msg("header \"%s\" was not refused as malformed", bad[i]);
}

static void test_form_encodes_nested_keys_and_values(void **state)
{
    (void)state;
    struct stripe_form form = {0};
    stripe_form_add(&form, "metadata[tenant_id]", "a b&c");
    stripe_form_add(&form, "success_url",
                    "https://x.test/billing/success?session_id={CHECKOUT_SESSION_ID}");
    assert_false(form.failed);
    assert_string_equal(form.text,
                        "metadata%5Btenant_id%5D=a%20b%26c&success_url=https%3A%2F%2Fx.test%2F"
                        "billing%2Fsuccess%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D");
    stripe_form_free(&form);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_signature_is_accepted),
        cmocka_unit_test(test_wrong_signature_or_body_is_refused),
        cmocka_unit_test(test_tolerance_is_five_minutes_both_ways),
        cmocka_unit_test(test_malformed_headers_are_refused),
        cmocka_unit_test(test_form_encodes_nested_keys_and_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
