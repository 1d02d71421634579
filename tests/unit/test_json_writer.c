/*
 * The gateway's JSON writer (services/gateway/json_writer.c): what it writes
 * is what jansson's compact dump gives for the same values, except reals of
 * at most three decimals, written shortest, which read back as the same
 * double.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sw_json_writer.h"
#include "unit.h"

/* jansson's text for v (released). */
static char *dumped(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(v);
    return text;
}

static void assert_written(struct sw_jw *j, const char *expected)
{
    size_t len = 0;
    const char *text = sw_jw_text(j, &len);
    assert_non_null(text);
    assert_string_equal(text, expected);
    assert_int_equal(len, strlen(expected));
}

static void test_strings_are_escaped_as_jansson_escapes_them(void **state)
{
    (void)state;
    static const char *const SAMPLES[] = {
        "",
        "plain",
        "quote \" and backslash \\",
        "slash / stays",
        "tab\tline\nreturn\r",
        "\b\f\x01\x1f\x7f",
        "é ünïcödé ✓ 🙂",
        "https://example.com/health?a=1&b=2",
    };
    for (size_t i = 0; i < ARRAY_LEN(SAMPLES); i++) {
        struct sw_jw j;
        sw_jw_init(&j);
        sw_jw_string(&j, SAMPLES[i]);
        char *expected = dumped(json_string(SAMPLES[i]));
        assert_written(&j, expected);
        free(expected);
        sw_jw_free(&j);
    }
}

static void test_an_object_of_every_kind_of_value_matches_jansson(void **state)
{
    (void)state;
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_object_begin(&j);
    sw_jw_key(&j, "id");
    sw_jw_string(&j, "a1");
    sw_jw_key(&j, "n");
    sw_jw_int(&j, -9223372036854775807LL - 1);
    sw_jw_key(&j, "big");
    sw_jw_int(&j, 9223372036854775807LL);
    sw_jw_key(&j, "zero");
    sw_jw_int(&j, 0);
    sw_jw_key(&j, "ok");
    sw_jw_bool(&j, true);
    sw_jw_key(&j, "no");
    sw_jw_bool(&j, false);
    sw_jw_key(&j, "none");
    sw_jw_null(&j);
    sw_jw_key(&j, "absent");
    sw_jw_string(&j, NULL);
    sw_jw_key(&j, "list");
    sw_jw_array_begin(&j);
    sw_jw_int(&j, 1);
    sw_jw_object_begin(&j);
    sw_jw_object_end(&j);
    sw_jw_array_begin(&j);
    sw_jw_array_end(&j);
    sw_jw_string(&j, "x");
    sw_jw_array_end(&j);
    sw_jw_key(&j, "real");
    sw_jw_real(&j, 1.0 / 3.0);
    sw_jw_object_end(&j);

    json_t *doc = json_pack("{s:s, s:I, s:I, s:I, s:b, s:b, s:n, s:n, s:[i, {}, [], s], s:f}", "id",
                            "a1", "n", (json_int_t)(-9223372036854775807LL - 1), "big",
                            (json_int_t)9223372036854775807LL, "zero", (json_int_t)0, "ok", 1, "no",
                            0, "none", "absent", "list", 1, "x", "real", 1.0 / 3.0);
    char *expected = dumped(doc);
    assert_written(&j, expected);
    free(expected);
    sw_jw_free(&j);
}

static void test_reals_of_three_decimals_are_shortest_and_read_back_the_same(void **state)
{
    (void)state;
    static const struct {
        double value;
        const char *text;
    } CASES[] = {
        {98.334, "98.334"}, {100.0, "100.0"}, {0.0, "0.0"},
        {0.5, "0.5"},       {99.9, "99.9"},   {33.33, "33.33"},
        {0.001, "0.001"},   {-2.25, "-2.25"}, {12345.678, "12345.678"},
    };
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        struct sw_jw j;
        sw_jw_init(&j);
        sw_jw_real(&j, CASES[i].value);
        assert_written(&j, CASES[i].text);
        json_t *back = json_loads(CASES[i].text, JSON_DECODE_ANY, NULL);
        assert_non_null(back);
        assert_true(json_number_value(back) == CASES[i].value);
        json_decref(back);
        sw_jw_free(&j);
    }
    /* More decimals than that: jansson's form. */
    struct sw_jw j;
    sw_jw_init(&j);
    sw_jw_real(&j, 98.3345);
    char *expected = dumped(json_real(98.3345));
    assert_written(&j, expected);
    free(expected);
    sw_jw_free(&j);
}

static void test_a_large_document_grows_the_buffer(void **state)
{
    (void)state;
    struct sw_jw j;
    sw_jw_init(&j);
    json_t *doc = json_array();
    sw_jw_array_begin(&j);
    for (int i = 0; i < 5000; i++) {
        sw_jw_string(&j, "a string long enough to need several reallocations");
        json_array_append_new(doc,
                              json_string("a string long enough to need several reallocations"));
    }
    sw_jw_array_end(&j);
    char *expected = dumped(doc);
    assert_written(&j, expected);
    free(expected);
    sw_jw_free(&j);
}

static void test_nesting_past_the_limit_fails_instead_of_overflowing(void **state)
{
    (void)state;
    struct sw_jw j;
    sw_jw_init(&j);
    for (int i = 0; i < SW_JW_MAX_DEPTH + 4; i++)
        sw_jw_array_begin(&j);
    size_t len = 0;
    assert_null(sw_jw_text(&j, &len));
    sw_jw_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_are_escaped_as_jansson_escapes_them),
        cmocka_unit_test(test_an_object_of_every_kind_of_value_matches_jansson),
        cmocka_unit_test(test_reals_of_three_decimals_are_shortest_and_read_back_the_same),
        cmocka_unit_test(test_a_large_document_grows_the_buffer),
        cmocka_unit_test(test_nesting_past_the_limit_fails_instead_of_overflowing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
