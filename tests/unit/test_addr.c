/*
 * The address guard's classifier (libcommon/sw_addr.c): one table of IPv4
 * and IPv6 addresses with the class each must get, the edges of every range
 * included, then sw_addr_allowed() with and without an allow list and
 * sw_addr_from_sockaddr() for both families.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "sw_addr.h"
#include "sw_status.h"
#include "unit.h"

struct addr_case {
    const char *text;
    enum sw_addr_class expected;
};

static const struct addr_case CASES[] = {
    /* IPv4: "this network" and the RFC 1918 ranges, with their edges. */
    {"0.0.0.0", SW_ADDR_UNSPECIFIED},
    {"0.255.255.255", SW_ADDR_UNSPECIFIED},
    {"9.255.255.255", SW_ADDR_PUBLIC},
    {"10.0.0.0", SW_ADDR_PRIVATE},
    {"10.0.0.5", SW_ADDR_PRIVATE},
    {"10.255.255.255", SW_ADDR_PRIVATE},
    {"11.0.0.0", SW_ADDR_PUBLIC},
    {"172.15.255.255", SW_ADDR_PUBLIC},
    {"172.16.0.0", SW_ADDR_PRIVATE},
    {"172.31.255.255", SW_ADDR_PRIVATE},
    {"172.32.0.0", SW_ADDR_PUBLIC},
    {"192.168.0.0", SW_ADDR_PRIVATE},
    {"192.168.255.255", SW_ADDR_PRIVATE},
    {"192.169.0.0", SW_ADDR_PUBLIC},
    /* Carrier-grade NAT 100.64.0.0/10. */
    {"100.63.255.255", SW_ADDR_PUBLIC},
    {"100.64.0.0", SW_ADDR_CGNAT},
    {"100.127.255.255", SW_ADDR_CGNAT},
    {"100.128.0.0", SW_ADDR_PUBLIC},
    /* Loopback and link-local (the cloud metadata address among them). */
    {"127.0.0.1", SW_ADDR_LOOPBACK},
    {"127.255.255.255", SW_ADDR_LOOPBACK},
    {"128.0.0.0", SW_ADDR_PUBLIC},
    {"169.254.0.0", SW_ADDR_LINK_LOCAL},
    {"169.254.169.254", SW_ADDR_LINK_LOCAL},
    {"169.254.255.255", SW_ADDR_LINK_LOCAL},
    {"169.255.0.0", SW_ADDR_PUBLIC},
    /* IETF protocol assignments, documentation, benchmarking, 6to4 relay. */
    {"192.0.0.0", SW_ADDR_RESERVED},
    {"192.0.0.255", SW_ADDR_RESERVED},
    {"192.0.1.0", SW_ADDR_PUBLIC},
    {"192.0.2.1", SW_ADDR_RESERVED},
    {"192.88.99.1", SW_ADDR_RESERVED},
    {"198.17.255.255", SW_ADDR_PUBLIC},
    {"198.18.0.0", SW_ADDR_RESERVED},
    {"198.19.255.255", SW_ADDR_RESERVED},
    {"198.20.0.0", SW_ADDR_PUBLIC},
    {"198.51.100.7", SW_ADDR_RESERVED},
    {"203.0.113.9", SW_ADDR_RESERVED},
    /* Multicast, future use and the limited broadcast address. */
    {"223.255.255.255", SW_ADDR_PUBLIC},
    {"224.0.0.0", SW_ADDR_MULTICAST},
    {"239.255.255.255", SW_ADDR_MULTICAST},
    {"240.0.0.0", SW_ADDR_RESERVED},
    {"255.255.255.255", SW_ADDR_RESERVED},
    /* Public addresses. */
    {"8.8.8.8", SW_ADDR_PUBLIC},
    {"1.1.1.1", SW_ADDR_PUBLIC},
    {"93.184.216.34", SW_ADDR_PUBLIC},

    /* IPv6 specials. */
    {"::", SW_ADDR_UNSPECIFIED},
    {"::1", SW_ADDR_LOOPBACK},
    /* Embedded IPv4 is judged by the IPv4 address: mapped and NAT64. */
    {"::ffff:10.0.0.1", SW_ADDR_PRIVATE},
    {"::ffff:127.0.0.1", SW_ADDR_LOOPBACK},
    {"::ffff:169.254.169.254", SW_ADDR_LINK_LOCAL},
    {"::ffff:8.8.8.8", SW_ADDR_PUBLIC},
    {"64:ff9b::10.0.0.1", SW_ADDR_PRIVATE},
    {"64:ff9b::127.0.0.1", SW_ADDR_LOOPBACK},
    {"64:ff9b::8.8.8.8", SW_ADDR_PUBLIC},
    /* NAT64 local-use 64:ff9b:1::/48 is outside global unicast. */
    {"64:ff9b:1::10.0.0.1", SW_ADDR_RESERVED},
    /* 6to4 tunnels into a non-public IPv4 address are refused as reserved. */
    {"2002:0a00:0001::", SW_ADDR_RESERVED},
    {"2002:7f00:0001::1", SW_ADDR_RESERVED},
    {"2002:0808:0808::", SW_ADDR_PUBLIC},
    /* Unique local, deprecated site-local, link-local, multicast. */
    {"fc00::1", SW_ADDR_PRIVATE},
    {"fd12::1", SW_ADDR_PRIVATE},
    {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", SW_ADDR_PRIVATE},
    {"fe80::1", SW_ADDR_LINK_LOCAL},
    {"febf::1", SW_ADDR_LINK_LOCAL},
    {"fec0::1", SW_ADDR_PRIVATE},
    {"ff02::1", SW_ADDR_MULTICAST},
    {"ff0e::1", SW_ADDR_MULTICAST},
    /* Documentation, Teredo and the rest of 2001::/23, discard-only. */
    {"2001:db8::1", SW_ADDR_RESERVED},
    {"2001::1", SW_ADDR_RESERVED},
    {"2001:1ff::1", SW_ADDR_RESERVED},
    {"100::1", SW_ADDR_RESERVED},
    /* IPv4-compatible (deprecated) and other space outside 2000::/3. */
    {"::10.0.0.1", SW_ADDR_RESERVED},
    {"::8.8.8.8", SW_ADDR_RESERVED},
    {"1fff:ffff::1", SW_ADDR_RESERVED},
    {"4000::1", SW_ADDR_RESERVED},
    /* Public IPv6, including neighbours of the reserved blocks above. */
    {"2606:4700::1111", SW_ADDR_PUBLIC},
    {"2a00:1450::1", SW_ADDR_PUBLIC},
    {"2001:200::1", SW_ADDR_PUBLIC},
    {"2001:4860:4860::8888", SW_ADDR_PUBLIC},
    {"2001:db9::1", SW_ADDR_PUBLIC},
    {"3ffe:ffff::1", SW_ADDR_PUBLIC},
};

static void test_every_address_in_the_table_gets_its_class(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        uint8_t addr[16];
        if (sw_ip_parse(CASES[i].text, addr) != 0)
            fail_msg("address \"%s\" did not parse", CASES[i].text);
        enum sw_addr_class got = sw_addr_classify(addr);
        if (got != CASES[i].expected) {
            print_error("%s: expected %s, got %s\n", CASES[i].text,
                        sw_addr_class_name(CASES[i].expected), sw_addr_class_name(got));
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* Allowed exactly when public: the guard's rule without an allow list. */
static void test_only_public_addresses_are_allowed_without_a_list(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(CASES); i++) {
        uint8_t addr[16];
        assert_int_equal(sw_ip_parse(CASES[i].text, addr), 0);
        bool public = CASES[i].expected == SW_ADDR_PUBLIC;
        if (sw_addr_allowed(addr, NULL) != public)
            fail_msg("%s: allowed should be %s", CASES[i].text, public ? "true" : "false");
    }
}

static bool allowed_by(const char *list_text, const char *ip)
{
    struct sw_cidr_list list;
    uint8_t addr[16];
    if (sw_cidr_list_parse(list_text, &list) != 0)
        fail_msg("list \"%s\" did not parse", list_text);
    if (sw_ip_parse(ip, addr) != 0)
        fail_msg("address \"%s\" did not parse", ip);
    return sw_addr_allowed(addr, &list);
}

static void test_allow_list_admits_only_its_own_range(void **state)
{
    (void)state;
    assert_true(allowed_by("127.0.0.1/32", "127.0.0.1"));
    assert_false(allowed_by("127.0.0.1/32", "127.0.0.2"));
    assert_false(allowed_by("127.0.0.1/32", "10.0.0.1"));
    /* The IPv4-mapped form of an allowed IPv4 address is the same address. */
    assert_true(allowed_by("127.0.0.1/32", "::ffff:127.0.0.1"));
    /* An IPv4 range says nothing about IPv6 loopback or NAT64 forms. */
    assert_false(allowed_by("127.0.0.0/8", "::1"));
    assert_false(allowed_by("127.0.0.0/8", "64:ff9b::127.0.0.1"));
    assert_true(allowed_by("127.0.0.0/8", "127.1.2.3"));
    assert_true(allowed_by("::1/128", "::1"));
    assert_true(allowed_by("10.0.0.0/8, 192.168.1.0/24", "192.168.1.20"));
    assert_false(allowed_by("10.0.0.0/8, 192.168.1.0/24", "192.168.2.20"));
    /* Public addresses stay allowed whatever the list holds. */
    assert_true(allowed_by("127.0.0.1/32", "8.8.8.8"));
    assert_true(allowed_by("", "2606:4700::1111"));
}

static void test_sockaddr_conversion_covers_both_families(void **state)
{
    (void)state;
    uint8_t addr[16], expected[16];

    struct sockaddr_in v4;
    memset(&v4, 0, sizeof v4);
    v4.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, "10.0.0.5", &v4.sin_addr), 1);
    assert_int_equal(sw_addr_from_sockaddr((const struct sockaddr *)&v4, addr), 0);
    assert_int_equal(sw_ip_parse("10.0.0.5", expected), 0);
    assert_memory_equal(addr, expected, 16);
    assert_int_equal(sw_addr_classify(addr), SW_ADDR_PRIVATE);

    struct sockaddr_in6 v6;
    memset(&v6, 0, sizeof v6);
    v6.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, "::ffff:169.254.169.254", &v6.sin6_addr), 1);
    assert_int_equal(sw_addr_from_sockaddr((const struct sockaddr *)&v6, addr), 0);
    assert_int_equal(sw_addr_classify(addr), SW_ADDR_LINK_LOCAL);

    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    assert_int_equal(sw_addr_from_sockaddr((const struct sockaddr *)&un, addr), SW_EINVAL);
}

static void test_every_class_has_a_name(void **state)
{
    (void)state;
    for (int cls = SW_ADDR_PUBLIC; cls <= SW_ADDR_RESERVED; cls++) {
        const char *name = sw_addr_class_name((enum sw_addr_class)cls);
        assert_non_null(name);
        assert_true(name[0] != '\0');
    }
    assert_string_equal(sw_addr_class_name(SW_ADDR_PRIVATE), "private");
    assert_string_equal(sw_addr_class_name(SW_ADDR_PUBLIC), "public");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_address_in_the_table_gets_its_class),
        cmocka_unit_test(test_only_public_addresses_are_allowed_without_a_list),
        cmocka_unit_test(test_allow_list_admits_only_its_own_range),
        cmocka_unit_test(test_sockaddr_conversion_covers_both_families),
        cmocka_unit_test(test_every_class_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
