/*
 * The checker's certificate expiry (services/checker/cert.c): both date
 * forms curl produces, fractional seconds, malformed dates, and picking the
 * leaf's "Expire date" out of a CURLINFO_CERTINFO chain.
 */
#include <curl/curl.h>
#include <string.h>

#include "cert.h"
#include "sw_status.h"
#include "unit.h"

/* 2025-03-07T12:00:00Z */
#define MAR_7_2025_NOON_MS 1741348800000LL

static void test_openssl_date_form_parses_as_utc(void **state)
{
    (void)state;
    long long ms = 0;
    assert_int_equal(chk_cert_parse_date("Mar  7 12:00:00 2025 GMT", &ms), 0);
    assert_true(ms == MAR_7_2025_NOON_MS);
    assert_int_equal(chk_cert_parse_date("Mar 17 12:00:00 2025 GMT", &ms), 0);
    assert_true(ms == MAR_7_2025_NOON_MS + 10LL * 86400 * 1000);
    assert_int_equal(chk_cert_parse_date("Mar  7 12:00:00.250 2025 GMT", &ms), 0);
    assert_true(ms == MAR_7_2025_NOON_MS);
}

static void test_asn1_date_form_parses_as_utc(void **state)
{
    (void)state;
    long long ms = 0;
    assert_int_equal(chk_cert_parse_date("2025-03-07 12:00:00 GMT", &ms), 0);
    assert_true(ms == MAR_7_2025_NOON_MS);
    assert_int_equal(chk_cert_parse_date(" 1970-01-01 00:00:01 GMT", &ms), 0);
    assert_true(ms == 1000);
}

static void test_malformed_dates_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "GMT",
                         "Foo  7 12:00:00 2025 GMT",
                         "Mar 7 25:00:00 2025 GMT",
                         "2025-13-07 12:00:00 GMT",
                         "Mar  7 2025",
                         "2025-03-07"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        long long ms = 0;
        if (chk_cert_parse_date(bad[i], &ms) != SW_EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
}

static void test_leaf_expiry_is_taken_from_the_chain(void **state)
{
    (void)state;
    struct curl_slist *leaf = NULL, *issuer = NULL;
    leaf = curl_slist_append(leaf, "Subject:CN = example.com");
    leaf = curl_slist_append(leaf, "Start date:Dec  7 12:00:00 2024 GMT");
    leaf = curl_slist_append(leaf, "Expire date:Mar  7 12:00:00 2025 GMT");
    issuer = curl_slist_append(issuer, "Expire date:Jan  1 00:00:00 2030 GMT");
    struct curl_slist *chain[2] = {leaf, issuer};
    struct curl_certinfo certinfo = {.num_of_certs = 2, .certinfo = chain};
    long long ms = 0;
    assert_int_equal(chk_cert_expiry_ms(&certinfo, &ms), 0);
    assert_true(ms == MAR_7_2025_NOON_MS);
    curl_slist_free_all(leaf);
    curl_slist_free_all(issuer);
}

static void test_missing_chain_or_date_is_not_found(void **state)
{
    (void)state;
    long long ms = 0;
    assert_int_equal(chk_cert_expiry_ms(NULL, &ms), SW_ENOTFOUND);
    struct curl_certinfo empty = {.num_of_certs = 0, .certinfo = NULL};
    assert_int_equal(chk_cert_expiry_ms(&empty, &ms), SW_ENOTFOUND);
    struct curl_slist *leaf = curl_slist_append(NULL, "Subject:CN = example.com");
    struct curl_certinfo no_date = {.num_of_certs = 1, .certinfo = &leaf};
    assert_int_equal(chk_cert_expiry_ms(&no_date, &ms), SW_ENOTFOUND);
    curl_slist_free_all(leaf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_date_form_parses_as_utc),
        cmocka_unit_test(test_asn1_date_form_parses_as_utc),
        cmocka_unit_test(test_malformed_dates_are_refused),
        cmocka_unit_test(test_leaf_expiry_is_taken_from_the_chain),
        cmocka_unit_test(test_missing_chain_or_date_is_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
