/*
 * sw_log_scrub(): secrets never reach the log, harmless text passes unchanged.
 * sw_log(): a message that is not valid UTF-8 is still logged, its bad bytes
 * escaped as \xhh.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sw_log.h"
#include "unit.h"

/* Scrubs `in` into a generous buffer and checks the exact result. */
static void assert_scrubs_to(const char *in, const char *expected)
{
    char out[1024];
    size_t n = sw_log_scrub(in, out, sizeof out);
    assert_string_equal(out, expected);
    assert_int_equal(n, strlen(expected));
}

/* Scrubs `in` and checks that `secret` does not survive anywhere in it. */
static void assert_hides(const char *in, const char *secret)
{
    char out[1024];
    sw_log_scrub(in, out, sizeof out);
    if (strstr(out, secret) != NULL)
        fail_msg("secret \"%s\" survived scrubbing: \"%s\"", secret, out);
    assert_non_null(strstr(out, "[REDACTED]"));
}

static void test_scrub_leaves_harmless_text_unchanged(void **state)
{
    (void)state;
    const char *texts[] = {
        "",
        "monitor 42 is up after 120 ms",
        "GET /api/v1/monitors/?page=2&limit=50 200",
        "{\"email\": \"ada@example.com\", \"name\": \"Acme Ltd\"}",
        "user=ada tenant=t_01 role=owner",
        "check https://example.com/health failed: HTTP 503",
    };
    for (size_t i = 0; i < ARRAY_LEN(texts); i++)
        assert_scrubs_to(texts[i], texts[i]);
}

static void test_scrub_hides_password_in_json(void **state)
{
    (void)state;
    assert_scrubs_to("{\"email\": \"ada@example.com\", \"password\": \"hunter2\"}",
                     "{\"email\": \"ada@example.com\", \"password\": \"[REDACTED]\"}");
}

static void test_scrub_hides_json_password_without_spaces(void **state)
{
    (void)state;
    assert_scrubs_to("{\"password\":\"hunter2\",\"x\":1}", "{\"password\":\"[REDACTED]\",\"x\":1}");
}

static void test_scrub_hides_json_password_with_escaped_quote(void **state)
{
    (void)state;
    assert_scrubs_to("{\"password\": \"a\\\"b c\", \"x\": 1}",
                     "{\"password\": \"[REDACTED]\", \"x\": 1}");
}

static void test_scrub_hides_keys_containing_secret_words(void **state)
{
    (void)state;
    assert_scrubs_to(
        "{\"new_password\": \"p\", \"refresh_token\": \"r\", \"client_secret\": \"s\"}",
        "{\"new_password\": \"[REDACTED]\", \"refresh_token\": \"[REDACTED]\", "
        "\"client_secret\": \"[REDACTED]\"}");
}

static void test_scrub_hides_token_in_key_value_form(void **state)
{
    (void)state;
    assert_scrubs_to("token=abc&x=1", "token=[REDACTED]&x=1");
}

static void test_scrub_hides_password_in_query_string(void **state)
{
    (void)state;
    assert_scrubs_to("POST /login?email=a@b.io&password=s3cret&next=/ 302",
                     "POST /login?email=a@b.io&password=[REDACTED]&next=/ 302");
}

static void test_scrub_hides_key_colon_value_form(void **state)
{
    (void)state;
    assert_scrubs_to("cookie: sw_session=xyz; path=/", "cookie: [REDACTED]; path=/");
}

static void test_scrub_is_case_insensitive_for_keys(void **state)
{
    (void)state;
    assert_scrubs_to("PASSWORD=Hunter2 Token=abc", "PASSWORD=[REDACTED] Token=[REDACTED]");
}

static void test_scrub_hides_bearer_credential(void **state)
{
    (void)state;
    assert_scrubs_to("sending Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.sig to auth",
                     "sending Bearer [REDACTED] to auth");
}

static void test_scrub_hides_authorization_bearer_header(void **state)
{
    (void)state;
    assert_hides("Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "eyJ");
}

static void test_scrub_hides_authorization_header_in_lower_case(void **state)
{
    (void)state;
    assert_hides("authorization: bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "eyJ");
}

static void test_scrub_hides_authorization_basic_header(void **state)
{
    (void)state;
    assert_hides("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpw");
}

static void test_scrub_hides_authorization_in_json(void **state)
{
    (void)state;
    assert_scrubs_to("{\"Authorization\": \"Bearer eyJabc.def.ghi\"}",
                     "{\"Authorization\": \"[REDACTED]\"}");
}

static void test_scrub_hides_api_key_credential(void **state)
{
    (void)state;
    assert_scrubs_to("Api-Key swk_0123456789abcdef used", "Api-Key [REDACTED] used");
}

static void test_scrub_hides_api_key_header(void **state)
{
    (void)state;
    assert_hides("X-Api-Key: swk_0123456789abcdef", "swk_0123456789abcdef");
}

static void test_scrub_hides_stripe_live_key(void **state)
{
    (void)state;
    assert_scrubs_to("stripe call with sk_live_51Habc0123XYZ failed",
                     "stripe call with [REDACTED] failed");
}

static void test_scrub_hides_stripe_test_key(void **state)
{
    (void)state;
    assert_scrubs_to("key sk_test_4eC39HqLyjWDarjtT1zdp7dc", "key [REDACTED]");
}

static void test_scrub_hides_stripe_restricted_key(void **state)
{
    (void)state;
    assert_scrubs_to("using rk_live_abcdef123", "using [REDACTED]");
}

static void test_scrub_hides_stripe_webhook_secret(void **state)
{
    (void)state;
    assert_scrubs_to("webhook whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw checked",
                     "webhook [REDACTED] checked");
}

static void test_scrub_hides_stripe_key_after_equals(void **state)
{
    (void)state;
    assert_scrubs_to("stripe=sk_live_abc,other=1", "stripe=[REDACTED],other=1");
}

static void test_scrub_keeps_words_that_merely_contain_a_prefix(void **state)
{
    (void)state;
    assert_scrubs_to("task_live_count=3 disk_test_ok", "task_live_count=3 disk_test_ok");
}

static void test_scrub_output_is_truncated_and_terminated(void **state)
{
    (void)state;
    char out[16];
    memset(out, 'X', sizeof out);
    size_t n = sw_log_scrub("monitor 42 is up after 120 ms", out, 8);
    assert_int_equal(n, 7);
    assert_string_equal(out, "monitor");
    /* Nothing was written past out_size. */
    for (size_t i = 8; i < sizeof out; i++)
        assert_int_equal(out[i], 'X');
}

static void test_scrub_truncation_never_exposes_the_secret(void **state)
{
    (void)state;
    char out[32];
    memset(out, 'X', sizeof out);
    size_t n = sw_log_scrub("password=correct-horse-battery", out, 12);
    assert_int_equal(n, 11);
    assert_string_equal(out, "password=[R");
    for (size_t i = 12; i < sizeof out; i++)
        assert_int_equal(out[i], 'X');
}

static void test_scrub_into_one_byte_gives_empty_string(void **state)
{
    (void)state;
    char out[4] = {'X', 'X', 'X', 'X'};
    assert_int_equal(sw_log_scrub("anything", out, 1), 0);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], 'X');
}

static void test_scrub_into_zero_bytes_writes_nothing(void **state)
{
    (void)state;
    char out[2] = {'X', 'X'};
    assert_int_equal(sw_log_scrub("anything", out, 0), 0);
    assert_int_equal(out[0], 'X');
}

static void test_log_level_names_parse(void **state)
{
    (void)state;
    assert_int_equal(sw_log_level_parse("debug"), SW_LOG_DEBUG);
    assert_int_equal(sw_log_level_parse("WARN"), SW_LOG_WARN);
    assert_int_equal(sw_log_level_parse("error"), SW_LOG_ERROR);
    assert_int_equal(sw_log_level_parse("verbose"), SW_LOG_INFO);
    assert_int_equal(sw_log_level_parse(NULL), SW_LOG_INFO);
}

/*
 * Runs sw_log() with stderr sent to a temporary file and returns the one line
 * it wrote, parsed (the caller frees it); fails the test if there is none.
 */
static json_t *log_line_of(const char *request_id, const char *message)
{
    FILE *capture = tmpfile();
    assert_non_null(capture);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(capture), STDERR_FILENO) >= 0);
    sw_log(SW_LOG_ERROR, request_id, NULL, "%s", message);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);

    char text[8192];
    rewind(capture);
    size_t n = fread(text, 1, sizeof text - 1, capture);
    fclose(capture);
    text[n] = '\0';
    if (n == 0)
        fail_msg("nothing was logged for \"%s\"", message);
    assert_int_equal(text[n - 1], '\n');
    json_error_t error;
    json_t *line = json_loads(text, 0, &error);
    if (!line)
        fail_msg("the log line is not JSON (%s): %s", error.text, text);
    return line;
}

/* Logs `message` and checks the "msg" the JSON line carries. */
static void assert_logged_as(const char *message, const char *expected)
{
    json_t *line = log_line_of(NULL, message);
    assert_string_equal(json_string_value(json_object_get(line, "msg")), expected);
    json_decref(line);
}

static void test_log_keeps_plain_ascii(void **state)
{
    (void)state;
    assert_logged_as("monitor 42 is up", "monitor 42 is up");
}

static void test_log_keeps_valid_multibyte_characters(void **state)
{
    (void)state;
    /* é (2 bytes), € (3 bytes), 😀 (4 bytes), U+10FFFF (the last code point). */
    const char *text = "caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80, \xf4\x8f\xbf\xbf";
    assert_logged_as(text, text);
}

static void test_log_escapes_a_lone_0xff(void **state)
{
    (void)state;
    assert_logged_as("bad \xff byte", "bad \\xff byte");
}

static void test_log_escapes_an_invalid_continuation_byte(void **state)
{
    (void)state;
    /* c3 wants a continuation byte (80..bf); '(' is not one and is kept. */
    assert_logged_as("x\xc3(y", "x\\xc3(y");
    /* A continuation byte with no lead. */
    assert_logged_as("x\x80y", "x\\x80y");
}

static void test_log_escapes_an_overlong_encoding(void **state)
{
    (void)state;
    /* "/" as c0 af and as e0 80 af: overlong forms are not UTF-8. */
    assert_logged_as("a\xc0\xaf/", "a\\xc0\\xaf/");
    assert_logged_as("a\xe0\x80\xaf/", "a\\xe0\\x80\\xaf/");
}

static void test_log_escapes_a_truncated_sequence(void **state)
{
    (void)state;
    /* € is e2 82 ac: cut short at the end, and cut short before a space. */
    assert_logged_as("price \xe2\x82", "price \\xe2\\x82");
    assert_logged_as("\xe2\x82 euro", "\\xe2\\x82 euro");
}

static void test_log_escapes_surrogates_and_code_points_past_unicode(void **state)
{
    (void)state;
    /* ed a0 80 is U+D800 (a surrogate), f4 90 80 80 would be U+110000. */
    assert_logged_as("s\xed\xa0\x80", "s\\xed\\xa0\\x80");
    assert_logged_as("t\xf4\x90\x80\x80", "t\\xf4\\x90\\x80\\x80");
}

static void test_log_escapes_an_invalid_request_id(void **state)
{
    (void)state;
    json_t *line = log_line_of("req-\xfe", "hello");
    assert_string_equal(json_string_value(json_object_get(line, "request_id")), "req-\\xfe");
    assert_string_equal(json_string_value(json_object_get(line, "msg")), "hello");
    json_decref(line);
}

static void test_log_still_scrubs_secrets_next_to_invalid_bytes(void **state)
{
    (void)state;
    assert_logged_as("\xff password=hunter2", "\\xff password=[REDACTED]");
}

static void test_utf8_escape_never_splits_an_escape_or_a_character(void **state)
{
    (void)state;
    char out[8];
    /* "ab" + \xff needs 2 + 4 bytes + NUL: fits in 7, not in 6. */
    assert_int_equal(sw_log_utf8_escape("ab\xff", out, 7), 6);
    assert_string_equal(out, "ab\\xff");
    assert_int_equal(sw_log_utf8_escape("ab\xff", out, 6), 2);
    assert_string_equal(out, "ab");
    /* "a" + € needs 1 + 3 bytes + NUL. */
    assert_int_equal(sw_log_utf8_escape("a\xe2\x82\xac", out, 4), 1);
    assert_string_equal(out, "a");
    assert_int_equal(sw_log_utf8_escape("anything", out, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scrub_leaves_harmless_text_unchanged),
        cmocka_unit_test(test_scrub_hides_password_in_json),
        cmocka_unit_test(test_scrub_hides_json_password_without_spaces),
        cmocka_unit_test(test_scrub_hides_json_password_with_escaped_quote),
        cmocka_unit_test(test_scrub_hides_keys_containing_secret_words),
        cmocka_unit_test(test_scrub_hides_token_in_key_value_form),
        cmocka_unit_test(test_scrub_hides_password_in_query_string),
        cmocka_unit_test(test_scrub_hides_key_colon_value_form),
        cmocka_unit_test(test_scrub_is_case_insensitive_for_keys),
        cmocka_unit_test(test_scrub_hides_bearer_credential),
        cmocka_unit_test(test_scrub_hides_authorization_bearer_header),
        cmocka_unit_test(test_scrub_hides_authorization_header_in_lower_case),
        cmocka_unit_test(test_scrub_hides_authorization_basic_header),
        cmocka_unit_test(test_scrub_hides_authorization_in_json),
        cmocka_unit_test(test_scrub_hides_api_key_credential),
        cmocka_unit_test(test_scrub_hides_api_key_header),
        cmocka_unit_test(test_scrub_hides_stripe_live_key),
        cmocka_unit_test(test_scrub_hides_stripe_test_key),
        cmocka_unit_test(test_scrub_hides_stripe_restricted_key),
        cmocka_unit_test(test_scrub_hides_stripe_webhook_secret),
        cmocka_unit_test(test_scrub_hides_stripe_key_after_equals),
        cmocka_unit_test(test_scrub_keeps_words_that_merely_contain_a_prefix),
        cmocka_unit_test(test_scrub_output_is_truncated_and_terminated),
        cmocka_unit_test(test_scrub_truncation_never_exposes_the_secret),
        cmocka_unit_test(test_scrub_into_one_byte_gives_empty_string),
        cmocka_unit_test(test_scrub_into_zero_bytes_writes_nothing),
        cmocka_unit_test(test_log_level_names_parse),
        cmocka_unit_test(test_log_keeps_plain_ascii),
        cmocka_unit_test(test_log_keeps_valid_multibyte_characters),
        cmocka_unit_test(test_log_escapes_a_lone_0xff),
        cmocka_unit_test(test_log_escapes_an_invalid_continuation_byte),
        cmocka_unit_test(test_log_escapes_an_overlong_encoding),
        cmocka_unit_test(test_log_escapes_a_truncated_sequence),
        cmocka_unit_test(test_log_escapes_surrogates_and_code_points_past_unicode),
        cmocka_unit_test(test_log_escapes_an_invalid_request_id),
        cmocka_unit_test(test_log_still_scrubs_secrets_next_to_invalid_bytes),
        cmocka_unit_test(test_utf8_escape_never_splits_an_escape_or_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
