/* Registration rules of sw-auth: password policy, e-mail syntax, names. */
#include <string.h>

#include "rules.h"
#include "sw_status.h"
#include "unit.h"

/* Fills buf with n copies of the UTF-8 sequence `unit` and terminates it. */
static char *repeat(char *buf, size_t size, const char *unit, size_t n)
{
    size_t ulen = strlen(unit);
    assert_true(n * ulen < size);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * ulen, unit, ulen);
    buf[n * ulen] = '\0';
    return buf;
}

static void assert_password_ok(const char *pw)
{
    const char *msg = auth_rule_password(pw);
    if (msg)
        fail_msg("password \"%s\" refused: %s", pw, msg);
}

static void assert_password_refused(const char *pw)
{
    if (!auth_rule_password(pw))
        fail_msg("password \"%s\" accepted", pw);
}

static void assert_email_ok(const char *email)
{
    const char *msg = auth_rule_email(email);
    if (msg)
        fail_msg("e-mail \"%s\" refused: %s", email, msg);
}

static void assert_email_refused(const char *email)
{
    if (!auth_rule_email(email))
        fail_msg("e-mail \"%s\" accepted", email);
}

/* ---- password ---------------------------------------------------------- */

static void test_password_of_twelve_characters_with_all_classes_is_accepted(void **state)
{
    (void)state;
    assert_password_ok("Abcdefgh1!xy");
    assert_password_ok("correct Horse 9");
}

static void test_password_of_eleven_characters_is_refused(void **state)
{
    (void)state;
    assert_password_refused("Abcdefgh1!x");
    assert_non_null(strstr(auth_rule_password("Abcdefgh1!x"), "12"));
}

static void test_short_password_is_refused(void **state)
{
    (void)state;
    assert_password_refused("Ab1!");
}

static void test_missing_password_is_required(void **state)
{
    (void)state;
    assert_string_equal(auth_rule_password(""), "This field is required.");
    assert_string_equal(auth_rule_password(NULL), "This field is required.");
}

static void test_password_without_upper_case_is_refused(void **state)
{
    (void)state;
    assert_password_refused("abcdefgh1!xy");
}

static void test_password_without_lower_case_is_refused(void **state)
{
    (void)state;
    assert_password_refused("ABCDEFGH1!XY");
}

static void test_password_without_digit_is_refused(void **state)
{
    (void)state;
    assert_password_refused("Abcdefghi!xy");
}

static void test_password_without_symbol_is_refused(void **state)
{
    (void)state;
    assert_password_refused("Abcdefghi1xy");
}

static void test_password_length_counts_code_points_not_bytes(void **state)
{
    (void)state;
    /* 11 code points but 13 bytes: too short. */
    assert_password_refused("P\xc3\xa4sswörd1!a");
    /* 12 code points (14 bytes): long enough. */
    assert_password_ok("P\xc3\xa4sswörd1!ab");
}

static void test_password_of_128_characters_is_accepted(void **state)
{
    (void)state;
    char pw[200];
    repeat(pw, sizeof pw, "a", 128);
    memcpy(pw, "Aa1!", 4);
    assert_password_ok(pw);
}

static void test_password_of_129_characters_is_refused(void **state)
{
    (void)state;
    char pw[200];
    repeat(pw, sizeof pw, "a", 129);
    memcpy(pw, "Aa1!", 4);
    assert_password_refused(pw);
}

/* ---- e-mail -------------------------------------------------------------- */

static void test_ordinary_emails_are_accepted(void **state)
{
    (void)state;
    assert_email_ok("ada@example.com");
    assert_email_ok("first.last+tag@mail.example.co.uk");
    assert_email_ok("a@b.io");
    assert_email_ok("o'brien_99@ex-ample.org");
}

static void test_missing_email_is_required(void **state)
{
    (void)state;
    assert_string_equal(auth_rule_email(""), "This field is required.");
    assert_string_equal(auth_rule_email(NULL), "This field is required.");
}

static void test_email_without_at_sign_is_refused(void **state)
{
    (void)state;
    assert_email_refused("plainaddress");
}

static void test_email_with_empty_parts_is_refused(void **state)
{
    (void)state;
    assert_email_refused("@example.com");
    assert_email_refused("ada@");
}

static void test_email_with_two_at_signs_is_refused(void **state)
{
    (void)state;
    assert_email_refused("ada@@example.com");
    assert_email_refused("ada@home@example.com");
}

static void test_email_domain_without_dot_is_refused(void **state)
{
    (void)state;
    assert_email_refused("ada@localhost");
}

static void test_email_domain_with_bad_labels_is_refused(void **state)
{
    (void)state;
    assert_email_refused("ada@.example.com");
    assert_email_refused("ada@example..com");
    assert_email_refused("ada@example.com.");
    assert_email_refused("ada@-example.com");
    assert_email_refused("ada@example-.com");
    assert_email_refused("ada@exa_mple.com");
    assert_email_refused("ada@example.c");
}

static void test_email_local_part_with_bad_dots_is_refused(void **state)
{
    (void)state;
    assert_email_refused(".ada@example.com");
    assert_email_refused("ada.@example.com");
    assert_email_refused("a..da@example.com");
}

static void test_email_with_spaces_or_specials_is_refused(void **state)
{
    (void)state;
    assert_email_refused("a da@example.com");
    assert_email_refused("ada@exa mple.com");
    assert_email_refused("<ada>@example.com");
    assert_email_refused("ada,b@example.com");
    assert_email_refused(" ada@example.com");
}

static void test_email_local_part_over_64_characters_is_refused(void **state)
{
    (void)state;
    char email[200];
    repeat(email, sizeof email, "a", 65);
    strcat(email, "@example.com");
    assert_email_refused(email);
    repeat(email, sizeof email, "a", 64);
    strcat(email, "@example.com");
    assert_email_ok(email);
}

static void test_email_over_254_characters_is_refused(void **state)
{
    (void)state;
    /* ada@ + 4 labels of 60 + ".com": 4 + 244 + 4 = 252 is fine, one more label is not. */
    char email[400] = "ada@";
    char label[64];
    for (int i = 0; i < 4; i++) {
        strcat(email, repeat(label, sizeof label, "d", 60));
        strcat(email, ".");
    }
    strcat(email, "com");
    assert_true(strlen(email) <= 254);
    assert_email_ok(email);
    strcat(email, ".");
    strcat(email, repeat(label, sizeof label, "e", 10));
    assert_true(strlen(email) > 254);
    assert_email_refused(email);
}

/* ---- organisation name --------------------------------------------------- */

static void test_org_name_of_two_characters_is_accepted(void **state)
{
    (void)state;
    assert_null(auth_rule_org_name("AB"));
    assert_null(auth_rule_org_name("Acme Ltd"));
}

static void test_org_name_of_one_character_is_refused(void **state)
{
    (void)state;
    assert_non_null(auth_rule_org_name("A"));
}

static void test_missing_org_name_is_required(void **state)
{
    (void)state;
    assert_string_equal(auth_rule_org_name(""), "This field is required.");
    assert_string_equal(auth_rule_org_name(NULL), "This field is required.");
}

static void test_org_name_of_100_characters_is_accepted(void **state)
{
    (void)state;
    char name[200];
    assert_null(auth_rule_org_name(repeat(name, sizeof name, "x", 100)));
}

static void test_org_name_of_101_characters_is_refused(void **state)
{
    (void)state;
    char name[200];
    assert_non_null(auth_rule_org_name(repeat(name, sizeof name, "x", 101)));
}

static void test_org_name_length_counts_code_points(void **state)
{
    (void)state;
    char name[400];
    /* One code point in two bytes is still too short. */
    assert_non_null(auth_rule_org_name("\xc3\x9c"));
    assert_null(auth_rule_org_name("\xc3\x9c\xc3\x96"));
    /* 100 two-byte code points (200 bytes) fit the limit. */
    assert_null(auth_rule_org_name(repeat(name, sizeof name, "\xc3\xa9", 100)));
    assert_non_null(auth_rule_org_name(repeat(name, sizeof name, "\xc3\xa9", 101)));
}

static void test_org_name_with_control_characters_is_refused(void **state)
{
    (void)state;
    assert_non_null(auth_rule_org_name("Acme\nLtd"));
    assert_non_null(auth_rule_org_name("Acme\x7f"));
}

static void test_org_name_is_checked_after_trimming(void **state)
{
    (void)state;
    char name[128];
    assert_int_equal(auth_trim("   A  ", name, sizeof name), 0);
    assert_string_equal(name, "A");
    assert_non_null(auth_rule_org_name(name));
    assert_int_equal(auth_trim(" \t ", name, sizeof name), 0);
    assert_string_equal(auth_rule_org_name(name), "This field is required.");
}

static void test_trim_removes_surrounding_white_space(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(auth_trim("  Acme Ltd \t\n", out, sizeof out), 0);
    assert_string_equal(out, "Acme Ltd");
    assert_int_equal(auth_trim("Acme", out, sizeof out), 0);
    assert_string_equal(out, "Acme");
}

static void test_trim_refuses_what_does_not_fit(void **state)
{
    (void)state;
    char out[5];
    assert_int_equal(auth_trim("  abcde  ", out, sizeof out), SW_EINVAL);
    assert_int_equal(auth_trim("  abcd  ", out, sizeof out), 0);
    assert_string_equal(out, "abcd");
}

/* ---- e-mail normalisation ------------------------------------------------ */

static void test_normalize_email_lower_cases_and_trims(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(auth_normalize_email("  Ada.Lovelace@Example.COM \n", out, sizeof out), 0);
    assert_string_equal(out, "ada.lovelace@example.com");
}

static void test_normalize_email_refuses_what_does_not_fit(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(auth_normalize_email("ada@example.com", out, sizeof out), SW_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_of_twelve_characters_with_all_classes_is_accepted),
        cmocka_unit_test(test_password_of_eleven_characters_is_refused),
        cmocka_unit_test(test_short_password_is_refused),
        cmocka_unit_test(test_missing_password_is_required),
        cmocka_unit_test(test_password_without_upper_case_is_refused),
        cmocka_unit_test(test_password_without_lower_case_is_refused),
        cmocka_unit_test(test_password_without_digit_is_refused),
        cmocka_unit_test(test_password_without_symbol_is_refused),
        cmocka_unit_test(test_password_length_counts_code_points_not_bytes),
        cmocka_unit_test(test_password_of_128_characters_is_accepted),
        cmocka_unit_test(test_password_of_129_characters_is_refused),
        cmocka_unit_test(test_ordinary_emails_are_accepted),
        cmocka_unit_test(test_missing_email_is_required),
        cmocka_unit_test(test_email_without_at_sign_is_refused),
        cmocka_unit_test(test_email_with_empty_parts_is_refused),
        cmocka_unit_test(test_email_with_two_at_signs_is_refused),
        cmocka_unit_test(test_email_domain_without_dot_is_refused),
        cmocka_unit_test(test_email_domain_with_bad_labels_is_refused),
        cmocka_unit_test(test_email_local_part_with_bad_dots_is_refused),
        cmocka_unit_test(test_email_with_spaces_or_specials_is_refused),
        cmocka_unit_test(test_email_local_part_over_64_characters_is_refused),
        cmocka_unit_test(test_email_over_254_characters_is_refused),
        cmocka_unit_test(test_org_name_of_two_characters_is_accepted),
        cmocka_unit_test(test_org_name_of_one_character_is_refused),
        cmocka_unit_test(test_missing_org_name_is_required),
        cmocka_unit_test(test_org_name_of_100_characters_is_accepted),
        cmocka_unit_test(test_org_name_of_101_characters_is_refused),
        cmocka_unit_test(test_org_name_length_counts_code_points),
        cmocka_unit_test(test_org_name_with_control_characters_is_refused),
        cmocka_unit_test(test_org_name_is_checked_after_trimming),
        cmocka_unit_test(test_trim_removes_surrounding_white_space),
        cmocka_unit_test(test_trim_refuses_what_does_not_fit),
        cmocka_unit_test(test_normalize_email_lower_cases_and_trims),
        cmocka_unit_test(test_normalize_email_refuses_what_does_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
