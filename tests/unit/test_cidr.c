/* CIDR parsing and membership for IPv4, IPv6 and IPv4-mapped IPv6. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sw_cidr.h"
#include "sw_status.h"
#include "unit.h"

/* True when the address `ip` lies inside `cidr` (both must parse). */
static bool inside(const char *cidr, const char *ip)
{
    struct sw_cidr c;
    uint8_t addr[16];
    if (sw_cidr_parse(cidr, &c) != 0)
        fail_msg("CIDR \"%s\" did not parse", cidr);
    if (sw_ip_parse(ip, addr) != 0)
        fail_msg("address \"%s\" did not parse", ip);
    return sw_cidr_contains(&c, addr);
}

static bool list_has(const struct sw_cidr_list *list, const char *ip)
{
    uint8_t addr[16];
    if (sw_ip_parse(ip, addr) != 0)
        fail_msg("address \"%s\" did not parse", ip);
    return sw_cidr_list_contains(list, addr);
}

static void test_ipv4_address_is_held_as_mapped_ipv6(void **state)
{
    (void)state;
    uint8_t addr[16];
    const uint8_t expected[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 1};
    assert_int_equal(sw_ip_parse("192.0.2.1", addr), 0);
    assert_memory_equal(addr, expected, 16);
}

static void test_ipv6_address_parses(void **state)
{
    (void)state;
    uint8_t addr[16];
    const uint8_t expected[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    assert_int_equal(sw_ip_parse("2001:db8::1", addr), 0);
    assert_memory_equal(addr, expected, 16);
}

static void test_bad_addresses_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"",         "localhost", "1.2.3",        "1.2.3.4.5", "256.0.0.1",
                         "1.2.3.4 ", "::g",       "2001:db8:::1", "1.2.3.-1"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        uint8_t addr[16];
        if (sw_ip_parse(bad[i], addr) != SW_EINVAL)
            fail_msg("address \"%s\" was accepted", bad[i]);
    }
}

static void test_ipv4_cidr_contains_its_addresses(void **state)
{
    (void)state;
    assert_true(inside("10.0.0.0/8", "10.0.0.0"));
    assert_true(inside("10.0.0.0/8", "10.1.2.3"));
    assert_true(inside("10.0.0.0/8", "10.255.255.255"));
}

static void test_ipv4_cidr_excludes_other_addresses(void **state)
{
    (void)state;
    assert_false(inside("10.0.0.0/8", "11.0.0.0"));
    assert_false(inside("10.0.0.0/8", "9.255.255.255"));
    assert_false(inside("10.0.0.0/8", "2001:db8::1"));
}

static void test_ipv4_prefix_not_on_a_byte_boundary(void **state)
{
    (void)state;
    assert_true(inside("192.168.0.0/23", "192.168.1.255"));
    assert_false(inside("192.168.0.0/23", "192.168.2.0"));
    assert_true(inside("172.16.0.0/12", "172.31.255.1"));
    assert_false(inside("172.16.0.0/12", "172.32.0.1"));
}

static void test_ipv4_host_bits_are_ignored(void **state)
{
    (void)state;
    struct sw_cidr c;
    assert_int_equal(sw_cidr_parse("10.1.2.3/8", &c), 0);
    struct sw_cidr net;
    assert_int_equal(sw_cidr_parse("10.0.0.0/8", &net), 0);
    assert_memory_equal(c.addr, net.addr, 16);
    assert_true(inside("10.1.2.3/8", "10.200.0.1"));
}

static void test_ipv4_slash_32_is_one_host(void **state)
{
    (void)state;
    assert_true(inside("203.0.113.7/32", "203.0.113.7"));
    assert_false(inside("203.0.113.7/32", "203.0.113.6"));
    assert_false(inside("203.0.113.7/32", "203.0.113.8"));
}

static void test_bare_ipv4_address_is_one_host(void **state)
{
    (void)state;
    struct sw_cidr c;
    assert_int_equal(sw_cidr_parse("203.0.113.7", &c), 0);
    assert_int_equal(c.prefix, 128);
    assert_true(inside("203.0.113.7", "203.0.113.7"));
    assert_false(inside("203.0.113.7", "203.0.113.8"));
}

static void test_ipv4_slash_0_covers_every_ipv4_address(void **state)
{
    (void)state;
    struct sw_cidr c;
    assert_int_equal(sw_cidr_parse("0.0.0.0/0", &c), 0);
    assert_int_equal(c.prefix, 96);
    assert_true(inside("0.0.0.0/0", "0.0.0.0"));
    assert_true(inside("0.0.0.0/0", "8.8.8.8"));
    assert_true(inside("0.0.0.0/0", "255.255.255.255"));
}

static void test_ipv4_slash_0_does_not_cover_ipv6(void **state)
{
    (void)state;
    assert_false(inside("0.0.0.0/0", "2001:db8::1"));
    assert_false(inside("0.0.0.0/0", "::1"));
}

static void test_ipv6_cidr_contains_its_addresses(void **state)
{
    (void)state;
    assert_true(inside("2001:db8::/32", "2001:db8::1"));
    assert_true(inside("2001:db8::/32", "2001:db8:ffff:1::5"));
    assert_false(inside("2001:db8::/32", "2001:db9::1"));
    assert_false(inside("2001:db8::/32", "10.0.0.1"));
}

static void test_ipv6_prefix_not_on_a_byte_boundary(void **state)
{
    (void)state;
    assert_true(inside("fc00::/7", "fdff::1"));
    assert_false(inside("fc00::/7", "fe80::1"));
}

static void test_ipv6_slash_128_is_one_host(void **state)
{
    (void)state;
    assert_true(inside("::1/128", "::1"));
    assert_false(inside("::1/128", "::2"));
    assert_true(inside("::1", "::1"));
    assert_false(inside("::1", "::"));
}

static void test_ipv6_slash_0_covers_everything(void **state)
{
    (void)state;
    assert_true(inside("::/0", "2001:db8::1"));
    assert_true(inside("::/0", "::"));
    assert_true(inside("::/0", "10.0.0.1"));
}

static void test_mapped_loopback_is_inside_ipv4_loopback(void **state)
{
    (void)state;
    assert_true(inside("127.0.0.0/8", "::ffff:127.0.0.1"));
    assert_true(inside("127.0.0.0/8", "::ffff:7f00:1"));
    assert_true(inside("127.0.0.0/8", "::FFFF:127.1.2.3"));
}

static void test_mapped_address_outside_ipv4_range_is_excluded(void **state)
{
    (void)state;
    assert_false(inside("127.0.0.0/8", "::ffff:128.0.0.1"));
}

static void test_mapped_ipv6_cidr_covers_plain_ipv4(void **state)
{
    (void)state;
    assert_true(inside("::ffff:10.0.0.0/104", "10.9.8.7"));
    assert_false(inside("::ffff:10.0.0.0/104", "11.0.0.1"));
}

static void test_bad_cidrs_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "/8",
                         "10.0.0.0/",
                         "10.0.0.0/33",
                         "10.0.0.0/-1",
                         "10.0.0.0/8x",
                         "10.0.0.0/abc",
                         "300.0.0.0/8",
                         "10.0.0/8",
                         "2001:db8::/129",
                         "::/-1",
                         "example.com/24",
                         "10.0.0.0/8/8"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct sw_cidr c;
        if (sw_cidr_parse(bad[i], &c) != SW_EINVAL)
            fail_msg("CIDR \"%s\" was accepted", bad[i]);
    }
}

static void test_overlong_cidr_is_refused(void **state)
{
    (void)state;
    char text[200];
    memset(text, '1', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    struct sw_cidr c;
    assert_int_equal(sw_cidr_parse(text, &c), SW_EINVAL);
}

static void test_list_parses_mixed_families(void **state)
{
    (void)state;
    struct sw_cidr_list list;
    assert_int_equal(sw_cidr_list_parse("10.0.0.0/8, 192.168.0.0/16,::1,fd00::/8", &list), 0);
    assert_int_equal(list.n, 4);
    assert_true(list_has(&list, "10.2.3.4"));
    assert_true(list_has(&list, "192.168.5.5"));
    assert_true(list_has(&list, "::1"));
    assert_true(list_has(&list, "fd12::3"));
    assert_true(list_has(&list, "::ffff:10.0.0.1"));
    assert_false(list_has(&list, "8.8.8.8"));
    assert_false(list_has(&list, "2001:db8::1"));
}

static void test_empty_list_contains_nothing(void **state)
{
    (void)state;
    struct sw_cidr_list list;
    assert_int_equal(sw_cidr_list_parse("", &list), 0);
    assert_int_equal(list.n, 0);
    assert_false(list_has(&list, "127.0.0.1"));
    assert_int_equal(sw_cidr_list_parse(NULL, &list), 0);
    assert_int_equal(list.n, 0);
    assert_int_equal(sw_cidr_list_parse(" , ,", &list), 0);
    assert_int_equal(list.n, 0);
}

static void test_list_with_one_bad_item_is_refused(void **state)
{
    (void)state;
    struct sw_cidr_list list;
    assert_int_equal(sw_cidr_list_parse("10.0.0.0/8,bogus,192.168.0.0/16", &list), SW_EINVAL);
    assert_int_equal(sw_cidr_list_parse("10.0.0.0/8;192.168.0.0/16", &list), SW_EINVAL);
}

static void test_list_holds_at_most_the_maximum(void **state)
{
    (void)state;
    char text[SW_CIDR_LIST_MAX * 20 + 32] = "";
    size_t len = 0;
    for (int i = 0; i < SW_CIDR_LIST_MAX; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "10.0.%d.0/24,", i);
    struct sw_cidr_list list;
    assert_int_equal(sw_cidr_list_parse(text, &list), 0);
    assert_int_equal(list.n, SW_CIDR_LIST_MAX);
    snprintf(text + len, sizeof text - len, "10.1.0.0/24");
    assert_int_equal(sw_cidr_list_parse(text, &list), SW_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_address_is_held_as_mapped_ipv6),
        cmocka_unit_test(test_ipv6_address_parses),
        cmocka_unit_test(test_bad_addresses_are_refused),
        cmocka_unit_test(test_ipv4_cidr_contains_its_addresses),
        cmocka_unit_test(test_ipv4_cidr_excludes_other_addresses),
        cmocka_unit_test(test_ipv4_prefix_not_on_a_byte_boundary),
        cmocka_unit_test(test_ipv4_host_bits_are_ignored),
        cmocka_unit_test(test_ipv4_slash_32_is_one_host),
        cmocka_unit_test(test_bare_ipv4_address_is_one_host),
        cmocka_unit_test(test_ipv4_slash_0_covers_every_ipv4_address),
        cmocka_unit_test(test_ipv4_slash_0_does_not_cover_ipv6),
        cmocka_unit_test(test_ipv6_cidr_contains_its_addresses),
        cmocka_unit_test(test_ipv6_prefix_not_on_a_byte_boundary),
        cmocka_unit_test(test_ipv6_slash_128_is_one_host),
        cmocka_unit_test(test_ipv6_slash_0_covers_everything),
        cmocka_unit_test(test_mapped_loopback_is_inside_ipv4_loopback),
        cmocka_unit_test(test_mapped_address_outside_ipv4_range_is_excluded),
        cmocka_unit_test(test_mapped_ipv6_cidr_covers_plain_ipv4),
        cmocka_unit_test(test_bad_cidrs_are_refused),
        cmocka_unit_test(test_overlong_cidr_is_refused),
        cmocka_unit_test(test_list_parses_mixed_families),
        cmocka_unit_test(test_empty_list_contains_nothing),
        cmocka_unit_test(test_list_with_one_bad_item_is_refused),
        cmocka_unit_test(test_list_holds_at_most_the_maximum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
