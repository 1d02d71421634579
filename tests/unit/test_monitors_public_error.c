/*
 * What an outage's incident quotes of the first failed check
 * (services/monitors/public_error.c): the checker's words, without the
 * endpoint's host, IP addresses or the keyword looked for.
 */
#include <string.h>

#include "public_error.h"
#include "unit.h"

static const char *quoted(const char *error, const char *url)
{
    static char out[256];
    mon_public_error(error, url, out, sizeof out);
    return out;
}

static void test_words_without_names_or_addresses_stay(void **state)
{
    (void)state;
    const char *url = "https://api.acme.example/health";
    const char *same[] = {"expected status 2xx or 3xx, got 503",
                          "expected status 200, got 404",
                          "timed out after 10000 ms",
                          "connection refused",
                          "could not resolve host",
                          "SSL certificate problem: self-signed certificate",
                          "error:0A000086:SSL routines::certificate verify failed",
                          "HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)",
                          "response ended before its announced length"};
    for (size_t i = 0; i < ARRAY_LEN(same); i++)
        assert_string_equal(quoted(same[i], url), same[i]);
}

static void test_the_endpoints_host_is_not_quoted(void **state)
{
    (void)state;
    assert_string_equal(
        quoted("SSL: no alternative certificate subject name matches target host name "
               "'api.acme.example'",
               "https://api.acme.example:8443/v2/health?x=1"),
        "SSL: no alternative certificate subject name matches target host name 'the host'");
    /* In any case, behind user info; a longer name that merely contains it is another. */
    assert_string_equal(quoted("Could not connect to API.Acme.Example",
                               "http://u:p@api.acme.example/"),
                        "Could not connect to the host");
    assert_string_equal(quoted("see myapi.acme.example-old", "http://api.acme.example/"),
                        "see myapi.acme.example-old");
}

static void test_addresses_are_not_quoted(void **state)
{
    (void)state;
    const char *url = "https://api.acme.example/";
    assert_string_equal(quoted("refused: 10.1.2.3 is a private address", url),
                        "refused: an address is a private address");
    assert_string_equal(quoted("refused: fd00::1 is a unique-local address", url),
                        "refused: an address is a unique-local address");
    assert_string_equal(quoted("Failed to connect to 203.0.113.9:8080.", url),
                        "Failed to connect to an address:8080.");
    assert_string_equal(quoted("Failed to connect to [2001:db8::5] port 443", url),
                        "Failed to connect to [an address] port 443");
    assert_string_equal(quoted("version 1.2.3 or 1.2.3.4.5", url), "version 1.2.3 or 1.2.3.4.5");
    /* The host given as an address is the host. */
    assert_string_equal(quoted("no answer from 192.0.2.7", "http://192.0.2.7:81/"),
                        "no answer from the host");
}

static void test_the_keyword_is_not_quoted(void **state)
{
    (void)state;
    assert_string_equal(quoted("keyword \"Welcome, internal build 42\" not found", NULL),
                        "the expected keyword was not found");
}

static void test_the_output_is_cut_at_a_characters_start(void **state)
{
    (void)state;
    char out[8];
    mon_public_error("abcdef\xc3\xa9xyz", NULL, out, sizeof out); /* "abcdefé…": é cut */
    assert_string_equal(out, "abcdef");
    mon_public_error("abcde\xc3\xa9xyz", NULL, out, sizeof out);
    assert_string_equal(out, "abcde\xc3\xa9");
    mon_public_error(NULL, NULL, out, sizeof out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_without_names_or_addresses_stay),
        cmocka_unit_test(test_the_endpoints_host_is_not_quoted),
        cmocka_unit_test(test_addresses_are_not_quoted),
        cmocka_unit_test(test_the_keyword_is_not_quoted),
        cmocka_unit_test(test_the_output_is_cut_at_a_characters_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
