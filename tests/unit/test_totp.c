/* sw-auth's TOTP (RFC 6238 through liboath), otpauth URLs and recovery codes. */
#include <string.h>

#include "sw_random.h"
#include "totp.h"
#include "unit.h"

/* RFC 6238's SHA-1 secret, "12345678901234567890", in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static int setup(void **state)
{
    (void)state;
    return sw_random_init() == 0 && auth_totp_init() == 0 ? 0 : -1;
}

/* RFC 6238 appendix B, SHA-1 column (8 digits). */
static void test_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct {
        long long at;
        const char *code;
    } vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char code[9];
        assert_int_equal(auth_totp_code(RFC_SECRET, vectors[i].at, 8, code), 0);
        assert_string_equal(code, vectors[i].code);
    }
}

static void test_six_digit_code_matches_its_step_and_neighbours(void **state)
{
    (void)state;
    char code[7];
    assert_int_equal(auth_totp_code(RFC_SECRET, 1111111109, 6, code), 0);
    assert_string_equal(code, "081804"); /* the last six digits of the vector */
    long long step = 1111111109 / 30;
    assert_int_equal(auth_totp_match(RFC_SECRET, code, 1111111109, -1), step);
    assert_int_equal(auth_totp_match(RFC_SECRET, code, 1111111109 + 30, -1), step);
    assert_int_equal(auth_totp_match(RFC_SECRET, code, 1111111109 - 30, -1), step);
    assert_int_equal(auth_totp_match(RFC_SECRET, code, 1111111109 + 90, -1), -1);
}

static void test_a_code_is_not_accepted_twice(void **state)
{
    (void)state;
    char code[7];
    assert_int_equal(auth_totp_code(RFC_SECRET, 1234567890, 6, code), 0);
    long long step = auth_totp_match(RFC_SECRET, code, 1234567890, -1);
    assert_true(step > 0);
    assert_int_equal(auth_totp_match(RFC_SECRET, code, 1234567890, step), -1);
}

static void test_malformed_codes_never_match(void **state)
{
    (void)state;
    assert_int_equal(auth_totp_match(RFC_SECRET, "", 59, -1), -1);
    assert_int_equal(auth_totp_match(RFC_SECRET, "12345", 59, -1), -1);
    assert_int_equal(auth_totp_match(RFC_SECRET, "1234567", 59, -1), -1);
    assert_int_equal(auth_totp_match(RFC_SECRET, "28708a", 59, -1), -1);
    assert_int_equal(auth_totp_match("not base32!", "287082", 59, -1), -1);
}

static void test_new_secrets_are_160_bit_base32_and_differ(void **state)
{
    (void)state;
    char a[AUTH_TOTP_SECRET_TEXT], b[AUTH_TOTP_SECRET_TEXT], code[7];
    assert_int_equal(auth_totp_secret_new(a), 0);
    assert_int_equal(auth_totp_secret_new(b), 0);
    assert_int_equal(strlen(a), 32);
    assert_string_not_equal(a, b);
    assert_int_equal(auth_totp_code(a, 1700000000, 6, code), 0);
    assert_true(auth_totp_match(a, code, 1700000000, -1) > 0);
}

static void test_otpauth_url_names_issuer_account_and_parameters(void **state)
{
    (void)state;
    char url[512];
    assert_int_equal(auth_otpauth_url("StatusWatch", "a+b@example.com", "gezdgnbv", url,
                                      sizeof url),
                     0);
    assert_string_equal(url, "otpauth://totp/StatusWatch%3Aa%2Bb%40example.com?secret=GEZDGNBV"
                             "&issuer=StatusWatch&algorithm=SHA1&digits=6&period=30");
    assert_int_not_equal(auth_otpauth_url("StatusWatch", "x@example.com", "GEZDGNBV", url, 40), 0);
}

static void test_recovery_codes_are_cleaned_to_their_stored_form(void **state)
{
    (void)state;
    char code[AUTH_RECOVERY_TEXT], clean[AUTH_RECOVERY_TEXT];
    auth_recovery_code_new(code);
    assert_int_equal(strlen(code), 11);
    assert_int_equal(code[5], '-');
    assert_int_equal(auth_recovery_code_clean(code, clean), 0);
    assert_string_equal(clean, code);
    assert_int_equal(auth_recovery_code_clean("ABCDE FGHIJ", clean), 0);
    assert_string_equal(clean, "abcde-fghij");
    assert_int_equal(auth_recovery_code_clean("abcdefghij", clean), 0);
    assert_string_equal(clean, "abcde-fghij");
    assert_int_not_equal(auth_recovery_code_clean("abcde-fghi", clean), 0);
    assert_int_not_equal(auth_recovery_code_clean("abcde-fghijk", clean), 0);
    assert_int_not_equal(auth_recovery_code_clean("abcde-fgh1j", clean), 0); /* 1 is not base32 */
    assert_int_not_equal(auth_recovery_code_clean("123456", clean), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors),
        cmocka_unit_test(test_six_digit_code_matches_its_step_and_neighbours),
        cmocka_unit_test(test_a_code_is_not_accepted_twice),
        cmocka_unit_test(test_malformed_codes_never_match),
        cmocka_unit_test(test_new_secrets_are_160_bit_base32_and_differ),
        cmocka_unit_test(test_otpauth_url_names_issuer_account_and_parameters),
        cmocka_unit_test(test_recovery_codes_are_cleaned_to_their_stored_form),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
