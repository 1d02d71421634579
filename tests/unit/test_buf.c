/* The growable buffer: growth, its ceiling, formatting and handing over ownership. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sw_buf.h"
#include "sw_status.h"
#include "unit.h"

static void test_a_new_buffer_is_empty_and_allocates_nothing(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    sw_buf_free(&b);
}

static void test_appends_grow_and_stay_nul_terminated(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 1 << 20);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sw_buf_append(&b, "abc", 3), 0);
    assert_int_equal(b.len, 3000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[3000], '\0');
    assert_memory_equal(b.data + 2997, "abc", 3);
    sw_buf_free(&b);
    assert_null(b.data);
}

static void test_contents_may_reach_max_exactly(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 10);
    assert_int_equal(sw_buf_append(&b, "0123456789", 10), 0);
    assert_string_equal(b.data, "0123456789");
    assert_int_equal(b.cap, 11); /* growth never passes max + 1 */
    sw_buf_free(&b);
}

static void test_an_append_past_max_fails_and_keeps_the_contents(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 10);
    assert_int_equal(sw_buf_append(&b, "01234", 5), 0);
    assert_int_equal(sw_buf_append(&b, "567890", 6), SW_EEXHAUSTED);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "01234");
    assert_int_equal(sw_buf_append(&b, "56789", 5), 0);
    assert_int_equal(sw_buf_append(&b, "x", 1), SW_EEXHAUSTED);
    assert_string_equal(b.data, "0123456789");
    sw_buf_free(&b);
}

static void test_a_length_that_would_overflow_is_refused(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, SIZE_MAX);
    assert_int_equal(sw_buf_append(&b, "ab", 2), 0);
    assert_int_equal(sw_buf_append(&b, "x", SIZE_MAX - 1), SW_EEXHAUSTED);
    assert_int_equal(sw_buf_reserve(&b, SIZE_MAX), SW_EEXHAUSTED);
    assert_string_equal(b.data, "ab");
    sw_buf_free(&b);
}

static void test_reserve_allocates_exactly_what_is_announced(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 65536);
    assert_int_equal(sw_buf_reserve(&b, 300), 0);
    assert_int_equal(b.cap, 301);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    char chunk[100];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sw_buf_append(&b, chunk, sizeof chunk), 0);
    assert_int_equal(b.cap, 301); /* no reallocation once reserved */
    assert_int_equal(b.len, 300);
    sw_buf_free(&b);
}

static void test_reserve_past_max_fails_without_allocating(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 1000);
    assert_int_equal(sw_buf_reserve(&b, 1001), SW_EEXHAUSTED);
    assert_null(b.data);
    sw_buf_free(&b);
}

static void test_appendf_formats_and_grows(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 1 << 20);
    for (int i = 0; i < 200; i++)
        assert_int_equal(sw_buf_appendf(&b, "line %d;", i), 0);
    assert_int_equal(strncmp(b.data, "line 0;line 1;", 14), 0);
    assert_non_null(strstr(b.data, "line 199;"));
    assert_int_equal(b.len, strlen(b.data));
    sw_buf_free(&b);
}

static void test_appendf_past_max_fails_and_keeps_the_contents(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 8);
    assert_int_equal(sw_buf_appendf(&b, "%s", "abc"), 0);
    assert_int_equal(sw_buf_appendf(&b, "%d", 123456), SW_EEXHAUSTED);
    assert_string_equal(b.data, "abc");
    assert_int_equal(b.len, 3);
    sw_buf_free(&b);
}

static void test_append_str_appends_without_the_nul(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_append_str(&b, "ab"), 0);
    assert_int_equal(sw_buf_append_str(&b, ""), 0);
    assert_int_equal(sw_buf_append_str(&b, "cd"), 0);
    assert_string_equal(b.data, "abcd");
    assert_int_equal(b.len, 4);
    sw_buf_free(&b);
}

static void test_binary_bytes_are_kept_with_their_length(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_append(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 3);
    sw_buf_free(&b);
}

static void test_reset_empties_but_keeps_the_allocation(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_append_str(&b, "hello"), 0);
    size_t cap = b.cap;
    sw_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");
    assert_int_equal(sw_buf_append_str(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    sw_buf_free(&b);
}

static void test_take_hands_over_the_bytes_and_empties_the_buffer(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_append_str(&b, "mine now"), 0);
    size_t len = 0;
    char *text = sw_buf_take(&b, &len);
    assert_string_equal(text, "mine now");
    assert_int_equal(len, 8);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(text);
    sw_buf_free(&b); /* harmless after take */
}

static void test_take_of_an_empty_buffer_gives_an_empty_string(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    size_t len = 99;
    char *text = sw_buf_take(&b, &len);
    assert_non_null(text);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
}

static void test_free_twice_is_harmless(void **state)
{
    (void)state;
    struct sw_buf b;
    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_append_str(&b, "x"), 0);
    sw_buf_free(&b);
    sw_buf_free(&b);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_buffer_is_empty_and_allocates_nothing),
        cmocka_unit_test(test_appends_grow_and_stay_nul_terminated),
        cmocka_unit_test(test_contents_may_reach_max_exactly),
        cmocka_unit_test(test_an_append_past_max_fails_and_keeps_the_contents),
        cmocka_unit_test(test_a_length_that_would_overflow_is_refused),
        cmocka_unit_test(test_reserve_allocates_exactly_what_is_announced),
        cmocka_unit_test(test_reserve_past_max_fails_without_allocating),
        cmocka_unit_test(test_appendf_formats_and_grows),
        cmocka_unit_test(test_appendf_past_max_fails_and_keeps_the_contents),
        cmocka_unit_test(test_append_str_appends_without_the_nul),
        cmocka_unit_test(test_binary_bytes_are_kept_with_their_length),
        cmocka_unit_test(test_reset_empties_but_keeps_the_allocation),
        cmocka_unit_test(test_take_hands_over_the_bytes_and_empties_the_buffer),
        cmocka_unit_test(test_take_of_an_empty_buffer_gives_an_empty_string),
        cmocka_unit_test(test_free_twice_is_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
