/*
 * The checker's body reader (services/checker/body.c): the keyword is found
 * wherever chunk boundaries fall, the cap stops reading without losing what
 * came before it, and without a keyword nothing is kept.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "body.h"
#include "unit.h"

/* Feeds `text` in two chunks split at `at`; true when the keyword was found. */
static bool found_split(const char *keyword, const char *text, size_t at)
{
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, keyword, CHK_BODY_CAP), 0);
    size_t len = strlen(text);
    assert_int_equal(chk_body_feed(&body, text, at), at);
    assert_int_equal(chk_body_feed(&body, text + at, len - at), len - at);
    bool found = chk_body_keyword_ok(&body);
    chk_body_free(&body);
    return found;
}

static void test_keyword_is_found_at_every_split_position(void **state)
{
    (void)state;
    const char *text = "xx-needle-xx";
    for (size_t at = 0; at <= strlen(text); at++)
        if (!found_split("needle", text, at))
            fail_msg("split at %zu: keyword not found", at);
}

static void test_keyword_arriving_one_byte_at_a_time_is_found(void **state)
{
    (void)state;
    struct chk_body body;
    const char *text = "aaaaneedlbneedle";
    assert_int_equal(chk_body_init(&body, "needle", CHK_BODY_CAP), 0);
    for (size_t i = 0; text[i]; i++) {
        assert_false(body.found);
        assert_int_equal(chk_body_feed(&body, text + i, 1), 1);
    }
    assert_true(chk_body_keyword_ok(&body));
    chk_body_free(&body);
}

static void test_near_misses_do_not_count(void **state)
{
    (void)state;
    for (size_t at = 0; at <= 14; at++) {
        assert_false(found_split("needle", "needl-eedle-Needle", at));
    }
    /* Case matters. */
    assert_false(found_split("Needle", "xx-needle-xx", 4));
}

static void test_one_character_keyword(void **state)
{
    (void)state;
    assert_true(found_split("!", "abc!", 3));
    assert_true(found_split("!", "abc!", 4));
    assert_false(found_split("!", "abcd", 2));
}

static void test_keyword_longer_than_the_chunks_is_found(void **state)
{
    (void)state;
    const char *keyword = "a-rather-long-keyword-spanning-many-chunks";
    char text[128];
    snprintf(text, sizeof text, "prefix %s suffix", keyword);
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, keyword, CHK_BODY_CAP), 0);
    for (size_t i = 0; text[i]; i += 3) {
        size_t len = strlen(text + i) < 3 ? strlen(text + i) : 3;
        chk_body_feed(&body, text + i, len);
    }
    assert_true(body.found);
    chk_body_free(&body);
}

static void test_without_keyword_only_length_is_counted(void **state)
{
    (void)state;
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, "", 100), 0);
    assert_null(body.window);
    assert_int_equal(chk_body_feed(&body, "0123456789", 10), 10);
    assert_int_equal(body.received, 10);
    assert_true(chk_body_keyword_ok(&body));
    chk_body_free(&body);
    assert_int_equal(chk_body_init(&body, NULL, 100), 0);
    assert_true(chk_body_keyword_ok(&body));
    chk_body_free(&body);
}

static void test_cap_stops_reading_but_keeps_what_came_before(void **state)
{
    (void)state;
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, "early", 16), 0);
    assert_int_equal(chk_body_feed(&body, "early---", 8), 8);
    assert_false(body.capped);
    /* Only 8 of these 10 bytes fit: fewer accepted means "stop the transfer". */
    assert_int_equal(chk_body_feed(&body, "0123456789", 10), 8);
    assert_true(body.capped);
    assert_int_equal(body.received, 16);
    assert_true(chk_body_keyword_ok(&body));
    assert_int_equal(chk_body_feed(&body, "more", 4), 0);
    chk_body_free(&body);
}

static void test_keyword_beyond_or_across_the_cap_is_not_found(void **state)
{
    (void)state;
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, "late", 10), 0);
    /* "la" fits within the cap, "te" does not. */
    assert_int_equal(chk_body_feed(&body, "--------late", 12), 10);
    assert_true(body.capped);
    assert_false(chk_body_keyword_ok(&body));
    chk_body_free(&body);
}

static void test_body_exactly_at_the_cap_is_not_cut(void **state)
{
    (void)state;
    struct chk_body body;
    assert_int_equal(chk_body_init(&body, NULL, 8), 0);
    assert_int_equal(chk_body_feed(&body, "12345678", 8), 8);
    assert_false(body.capped);
    chk_body_free(&body);
}

static void test_write_callback_multiplies_size_and_count(void **state)
{
    (void)state;
    struct chk_body body;
    char data[12] = "abcdefghijk";
    assert_int_equal(chk_body_init(&body, "hij", CHK_BODY_CAP), 0);
    assert_int_equal(chk_body_write(data, 1, 11, &body), 11);
    assert_true(body.found);
    chk_body_free(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyword_is_found_at_every_split_position),
        cmocka_unit_test(test_keyword_arriving_one_byte_at_a_time_is_found),
        cmocka_unit_test(test_near_misses_do_not_count),
        cmocka_unit_test(test_one_character_keyword),
        cmocka_unit_test(test_keyword_longer_than_the_chunks_is_found),
        cmocka_unit_test(test_without_keyword_only_length_is_counted),
        cmocka_unit_test(test_cap_stops_reading_but_keeps_what_came_before),
        cmocka_unit_test(test_keyword_beyond_or_across_the_cap_is_not_found),
        cmocka_unit_test(test_body_exactly_at_the_cap_is_not_cut),
        cmocka_unit_test(test_write_callback_multiplies_size_and_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
