/* The client address from the peer and X-Forwarded-For (services/gateway/forwarded.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forwarded.h"
#include "sw_buf.h"
#include "unit.h"

/* The proxies every test trusts: a private range and one IPv6 host. */
static const char TRUSTED[] = "10.0.0.0/8,2001:db8:ffff::1";

static char answer[GW_ADDR_TEXT_MAX];
static bool via_proxy;

/* The client address for a request from peer with these X-Forwarded-For headers. */
static const char *client_of(const char *peer, const char *const *values, size_t n)
{
    struct sw_cidr_list trusted;
    if (sw_cidr_list_parse(TRUSTED, &trusted) != 0)
        fail_msg("the trusted list did not parse");
    memset(answer, 'X', sizeof answer);
    gw_forwarded_client(peer, values, n, &trusted, answer, &via_proxy);
    return answer;
}

/* The same with one header (NULL: none). */
static const char *client(const char *peer, const char *header)
{
    return client_of(peer, &header, header ? 1 : 0);
}

static void test_an_untrusted_peer_is_the_client_whatever_it_forwards(void **state)
{
    (void)state;
    assert_string_equal(client("203.0.113.7", "198.51.100.1"), "203.0.113.7");
    assert_false(via_proxy);
}

static void test_a_trusted_peer_without_the_header_is_the_client(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", NULL), "10.0.0.1");
    assert_true(via_proxy);
}

static void test_a_trusted_peer_forwards_its_client(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "198.51.100.1"), "198.51.100.1");
    assert_true(via_proxy);
}

static void test_the_right_most_untrusted_hop_wins_over_what_the_client_claims(void **state)
{
    (void)state;
    /* The client wrote 192.0.2.66 itself; our proxy appended what it saw. */
    assert_string_equal(client("10.0.0.1", "192.0.2.66, 198.51.100.1"), "198.51.100.1");
}

static void test_trusted_hops_are_skipped(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "192.0.2.66, 198.51.100.1, 10.1.2.3, 10.9.9.9"),
                        "198.51.100.1");
}

static void test_when_every_hop_is_trusted_the_left_most_is_the_client(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "10.5.5.5, 10.6.6.6"), "10.5.5.5");
}

static void test_every_header_counts_in_order(void **state)
{
    (void)state;
    const char *split[] = {"192.0.2.66", "198.51.100.1, 10.1.2.3"};
    assert_string_equal(client_of("10.0.0.1", split, 2), "198.51.100.1");
    /* The last header holds only proxies: the hop before them is in the first header. */
    const char *earlier[] = {"192.0.2.66, 198.51.100.2", "10.1.2.3", "10.4.4.4"};
    assert_string_equal(client_of("10.0.0.1", earlier, 3), "198.51.100.2");
}

static void test_blanks_and_empty_elements_are_ignored(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", " \t198.51.100.1 \t"), "198.51.100.1");
    assert_string_equal(client("10.0.0.1", ",198.51.100.1,, 10.1.1.1 , ,"), "198.51.100.1");
    assert_string_equal(client("10.0.0.1", ""), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", " , ,"), "10.0.0.1");
}

static void test_ports_and_brackets_are_dropped(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "198.51.100.1:51234"), "198.51.100.1");
    assert_string_equal(client("10.0.0.1", "[2001:db8::7]:443"), "2001:db8::7");
    assert_string_equal(client("10.0.0.1", "[2001:db8::8]"), "2001:db8::8");
    assert_string_equal(client("10.0.0.1", "2001:db8::9"), "2001:db8::9");
}

static void test_addresses_come_out_in_canonical_form(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "::ffff:198.51.100.1"), "198.51.100.1");
    assert_string_equal(client("10.0.0.1", "2001:DB8:0:0::1"), "2001:db8::1");
    assert_string_equal(client("::ffff:203.0.113.9", NULL), "203.0.113.9");
}

static void test_an_ipv6_trusted_proxy_is_skipped(void **state)
{
    (void)state;
    assert_string_equal(client("2001:db8:ffff::1", "198.51.100.1, 2001:db8:ffff::1"),
                        "198.51.100.1");
    assert_true(via_proxy);
}

static void test_an_ipv4_mapped_peer_in_a_trusted_range_is_trusted(void **state)
{
    (void)state;
    assert_string_equal(client("::ffff:10.0.0.1", "198.51.100.1"), "198.51.100.1");
    assert_true(via_proxy);
}

static void test_an_unreadable_hop_keeps_the_proxy_that_wrote_it(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "198.51.100.1, unknown"), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "198.51.100.1, _hidden, 10.7.7.7"), "10.7.7.7");
    assert_string_equal(client("10.0.0.1", "198.51.100.1:99999999"), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "198.51.100.1:"), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "[2001:db8::1]x"), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "[2001:db8::1"), "10.0.0.1");
    assert_string_equal(client("10.0.0.1", "198.51.100.1 198.51.100.2"), "10.0.0.1");
}

static void test_junk_left_of_the_client_is_never_read(void **state)
{
    (void)state;
    assert_string_equal(client("10.0.0.1", "<script>, 999.1.1.1, 198.51.100.1"), "198.51.100.1");
}

static void test_a_hop_longer_than_any_address_is_unreadable(void **state)
{
    (void)state;
    char hop[200];
    memset(hop, '1', sizeof hop - 1);
    hop[sizeof hop - 1] = '\0';
    assert_string_equal(client("10.0.0.1", hop), "10.0.0.1");
}

static void test_a_ten_kilobyte_header_is_read_to_its_start(void **state)
{
    (void)state;
    /* The client is the left-most hop, behind 1,000 trusted ones (no fixed-size copy). */
    struct sw_buf header;
    sw_buf_init(&header, (size_t)64 * 1024);
    assert_int_equal(sw_buf_append_str(&header, "198.51.100.77"), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sw_buf_appendf(&header, ", 10.0.%d.%d", i / 250, i % 250 + 1), 0);
    assert_true(header.len > 10000);
    assert_string_equal(client("10.0.0.1", header.data), "198.51.100.77");
    sw_buf_free(&header);
}

static void test_a_peer_that_does_not_parse_is_kept_and_not_trusted(void **state)
{
    (void)state;
    assert_string_equal(client("not-an-address", "198.51.100.1"), "not-an-address");
    assert_false(via_proxy);
}

static void test_x_forwarded_proto_https_is_recognised(void **state)
{
    (void)state;
    assert_true(gw_forwarded_proto_https("https"));
    assert_true(gw_forwarded_proto_https(" HTTPS\t"));
    assert_false(gw_forwarded_proto_https("http"));
    assert_false(gw_forwarded_proto_https("httpsx"));
    assert_false(gw_forwarded_proto_https("https, http"));
    assert_false(gw_forwarded_proto_https(""));
    assert_false(gw_forwarded_proto_https(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_untrusted_peer_is_the_client_whatever_it_forwards),
        cmocka_unit_test(test_a_trusted_peer_without_the_header_is_the_client),
        cmocka_unit_test(test_a_trusted_peer_forwards_its_client),
        cmocka_unit_test(test_the_right_most_untrusted_hop_wins_over_what_the_client_claims),
        cmocka_unit_test(test_trusted_hops_are_skipped),
        cmocka_unit_test(test_when_every_hop_is_trusted_the_left_most_is_the_client),
        cmocka_unit_test(test_every_header_counts_in_order),
        cmocka_unit_test(test_blanks_and_empty_elements_are_ignored),
        cmocka_unit_test(test_ports_and_brackets_are_dropped),
        cmocka_unit_test(test_addresses_come_out_in_canonical_form),
        cmocka_unit_test(test_an_ipv6_trusted_proxy_is_skipped),
        cmocka_unit_test(test_an_ipv4_mapped_peer_in_a_trusted_range_is_trusted),
        cmocka_unit_test(test_an_unreadable_hop_keeps_the_proxy_that_wrote_it),
        cmocka_unit_test(test_junk_left_of_the_client_is_never_read),
        cmocka_unit_test(test_a_hop_longer_than_any_address_is_unreadable),
        cmocka_unit_test(test_a_ten_kilobyte_header_is_read_to_its_start),
        cmocka_unit_test(test_a_peer_that_does_not_parse_is_kept_and_not_trusted),
        cmocka_unit_test(test_x_forwarded_proto_https_is_recognised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
