/*
 * Redirect rules of checks whose method is not GET or HEAD
 * (services/checker/redirect.c): never another method than GET or HEAD to
 * another host; on the same host what browsers do.
 */
#include <stdbool.h>
#include <string.h>

#include "redirect.h"
#include "unit.h"

static void test_another_host_always_gets_get(void **state)
{
    (void)state;
    const char *methods[] = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    const long statuses[] = {301, 302, 303, 307, 308};
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++)
        for (size_t s = 0; s < sizeof statuses / sizeof statuses[0]; s++)
            assert_string_equal(chk_redirect_method(methods[m], statuses[s], false), "GET");
}

static void test_same_host_follows_the_browsers(void **state)
{
    (void)state;
    assert_string_equal(chk_redirect_method("POST", 301, true), "GET");
    assert_string_equal(chk_redirect_method("POST", 302, true), "GET");
    assert_string_equal(chk_redirect_method("PUT", 302, true), "PUT");
    assert_string_equal(chk_redirect_method("DELETE", 303, true), "GET");
    assert_string_equal(chk_redirect_method("POST", 307, true), "POST");
    assert_string_equal(chk_redirect_method("PATCH", 308, true), "PATCH");
    /* GET and HEAD stay what they are (curl follows those itself). */
    assert_string_equal(chk_redirect_method("HEAD", 303, false), "HEAD");
    assert_string_equal(chk_redirect_method("GET", 307, false), "GET");
}

static void test_hosts_are_compared_by_name_only(void **state)
{
    (void)state;
    assert_true(chk_redirect_same_host("http://Example.org/a", "https://example.org:8443/b"));
    assert_false(chk_redirect_same_host("http://127.0.0.1:80/", "http://localhost:80/"));
    assert_false(chk_redirect_same_host("http://example.org/", "http://example.org.evil.test/"));
    assert_false(chk_redirect_same_host("http://example.org/", "not a url"));
}

static void test_only_redirect_statuses_are_followed(void **state)
{
    (void)state;
    assert_true(chk_redirect_status(301) && chk_redirect_status(308));
    assert_false(chk_redirect_status(300) || chk_redirect_status(304) || chk_redirect_status(305) ||
                 chk_redirect_status(200));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_another_host_always_gets_get),
        cmocka_unit_test(test_same_host_follows_the_browsers),
        cmocka_unit_test(test_hosts_are_compared_by_name_only),
        cmocka_unit_test(test_only_redirect_statuses_are_followed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
