/*
 * The address classifier and CIDR lists (libcommon/sw_addr.c, sw_cidr.c).
 * The input's first 16 bytes are an address in the 16-byte form; the rest
 * is text, read as an address, as a CIDR and as a comma-separated list.
 * Properties: an embedded IPv4 address is judged the same whether it is
 * IPv4-mapped, NAT64 or 6to4 (public stays public, nothing private turns
 * public); a parsed CIDR holds its own network address and its prefix fits;
 * an address is inside a list exactly when it is inside one of its CIDRs.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "sw_addr.h"
#include "sw_cidr.h"

static void embedded_v4(const uint8_t v4[4])
{
    uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    uint8_t nat64[16] = {0x00, 0x64, 0xFF, 0x9B};
    uint8_t six_to_four[16] = {0x20, 0x02};
    memcpy(mapped + 12, v4, 4);
    memcpy(nat64 + 12, v4, 4);
    memcpy(six_to_four + 2, v4, 4);
    enum sw_addr_class cls = sw_addr_classify(mapped);
    FUZZ_CHECK(sw_addr_classify(nat64) == cls);
    FUZZ_CHECK((sw_addr_classify(six_to_four) == SW_ADDR_PUBLIC) == (cls == SW_ADDR_PUBLIC));
}

static void one_address(const uint8_t addr[16], const struct sw_cidr_list *allow)
{
    enum sw_addr_class cls = sw_addr_classify(addr);
    FUZZ_CHECK(cls >= SW_ADDR_PUBLIC && cls <= SW_ADDR_RESERVED);
    FUZZ_CHECK(sw_addr_class_name(cls)[0] != '\0');
    bool allowed = sw_addr_allowed(addr, allow);
    FUZZ_CHECK(allowed == (cls == SW_ADDR_PUBLIC || sw_cidr_list_contains(allow, addr)));
    bool in_list = false;
    for (size_t i = 0; i < allow->n; i++)
        in_list |= sw_cidr_contains(&allow->items[i], addr);
    FUZZ_CHECK(in_list == sw_cidr_list_contains(allow, addr));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 16)
        return 0;
    const uint8_t *addr = data;
    char *text = malloc(size - 16 + 1);
    FUZZ_CHECK(text);
    memcpy(text, data + 16, size - 16);
    text[size - 16] = '\0';

    struct sw_cidr_list allow;
    if (sw_cidr_list_parse(text, &allow) != 0)
        allow.n = 0;
    FUZZ_CHECK(allow.n <= SW_CIDR_LIST_MAX);
    for (size_t i = 0; i < allow.n; i++) {
        FUZZ_CHECK(allow.items[i].prefix >= 0 && allow.items[i].prefix <= 128);
        FUZZ_CHECK(sw_cidr_contains(&allow.items[i], allow.items[i].addr));
    }
    one_address(addr, &allow);
    embedded_v4(addr + 12);

    uint8_t parsed[16];
    if (sw_ip_parse(text, parsed) == 0)
        one_address(parsed, &allow);
    struct sw_cidr cidr;
    if (sw_cidr_parse(text, &cidr) == 0) {
        FUZZ_CHECK(cidr.prefix >= 0 && cidr.prefix <= 128);
        FUZZ_CHECK(sw_cidr_contains(&cidr, cidr.addr));
        /* The network's own address is inside it; so is every address sharing the prefix. */
        uint8_t inside[16];
        memcpy(inside, cidr.addr, 16);
        for (int bit = cidr.prefix; bit < 128; bit++)
            if (addr[bit / 8] & (0x80 >> (bit % 8)))
                inside[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
        FUZZ_CHECK(sw_cidr_contains(&cidr, inside));
    }
    free(text);
    return 0;
}
