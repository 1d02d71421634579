#include "sw_addr.h"

#include <netinet/in.h>
#include <string.h>

#include "sw_status.h"

/* IPv4 special-purpose ranges (IANA registry); the most specific comes first. */
static const struct {
    uint8_t a, b, c, d;
    int bits;
    enum sw_addr_class cls;
} V4_RANGES[] = {
    {0, 0, 0, 0, 8, SW_ADDR_UNSPECIFIED},     {10, 0, 0, 0, 8, SW_ADDR_PRIVATE},
    {100, 64, 0, 0, 10, SW_ADDR_CGNAT},       {127, 0, 0, 0, 8, SW_ADDR_LOOPBACK},
    {169, 254, 0, 0, 16, SW_ADDR_LINK_LOCAL}, {172, 16, 0, 0, 12, SW_ADDR_PRIVATE},
    {192, 0, 0, 0, 24, SW_ADDR_RESERVED},     {192, 0, 2, 0, 24, SW_ADDR_RESERVED},
    {192, 88, 99, 0, 24, SW_ADDR_RESERVED},   {192, 168, 0, 0, 16, SW_ADDR_PRIVATE},
    {198, 18, 0, 0, 15, SW_ADDR_RESERVED},    {198, 51, 100, 0, 24, SW_ADDR_RESERVED},
    {203, 0, 113, 0, 24, SW_ADDR_RESERVED},   {224, 0, 0, 0, 4, SW_ADDR_MULTICAST},
    {240, 0, 0, 0, 4, SW_ADDR_RESERVED},
};

static bool v4_in(const uint8_t v4[4], uint8_t a, uint8_t b, uint8_t c, uint8_t d, int bits)
{
    uint32_t addr = (uint32_t)v4[0] << 24 | (uint32_t)v4[1] << 16 | (uint32_t)v4[2] << 8 | v4[3];
    uint32_t net = (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
    uint32_t mask = bits == 0 ? 0 : 0xFFFFFFFFu << (32 - bits);
    return (addr & mask) == (net & mask);
}

static enum sw_addr_class classify_v4(const uint8_t v4[4])
{
    for (size_t i = 0; i < sizeof V4_RANGES / sizeof V4_RANGES[0]; i++)
        if (v4_in(v4, V4_RANGES[i].a, V4_RANGES[i].b, V4_RANGES[i].c, V4_RANGES[i].d,
                  V4_RANGES[i].bits))
            return V4_RANGES[i].cls;
    return SW_ADDR_PUBLIC;
}

static bool starts_with(const uint8_t addr[16], const uint8_t *prefix, int bits)
{
    int full = bits / 8, rest = bits % 8;
    if (memcmp(addr, prefix, (size_t)full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xFF << (8 - rest));
    return (addr[full] & mask) == (prefix[full] & mask);
}

enum sw_addr_class sw_addr_classify(const uint8_t addr[16])
{
    static const uint8_t ZERO[16] = {0};
    static const uint8_t MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static const uint8_t NAT64[12] = {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t SIX_TO_FOUR[2] = {0x20, 0x02};
    static const uint8_t DOC[4] = {0x20, 0x01, 0x0D, 0xB8};
    static const uint8_t IETF[3] = {0x20, 0x01, 0x00};

    if (memcmp(addr, MAPPED, 12) == 0 || memcmp(addr, NAT64, 12) == 0)
        return classify_v4(addr + 12);
    if (memcmp(addr, ZERO, 16) == 0)
        return SW_ADDR_UNSPECIFIED;
    if (memcmp(addr, ZERO, 15) == 0 && addr[15] == 1)
        return SW_ADDR_LOOPBACK;
    if (addr[0] == 0xFF)
        return SW_ADDR_MULTICAST;
    if (addr[0] == 0xFE && (addr[1] & 0xC0) == 0x80)
        return SW_ADDR_LINK_LOCAL;
    if (addr[0] == 0xFE && (addr[1] & 0xC0) == 0xC0)
        return SW_ADDR_PRIVATE; /* deprecated site-local */
    if ((addr[0] & 0xFE) == 0xFC)
        return SW_ADDR_PRIVATE; /* unique local */
    if (starts_with(addr, SIX_TO_FOUR, 16))
        return classify_v4(addr + 2) == SW_ADDR_PUBLIC ? SW_ADDR_PUBLIC : SW_ADDR_RESERVED;
    /* 2001:db8::/32 documentation, 2001::/23 protocol assignments (Teredo, ORCHID…). */
    if (starts_with(addr, DOC, 32) || starts_with(addr, IETF, 23))
        return SW_ADDR_RESERVED;
    /* Everything outside global unicast 2000::/3 (IPv4-compatible ::/96, 100::/64, …). */
    if ((addr[0] & 0xE0) != 0x20)
        return SW_ADDR_RESERVED;
    return SW_ADDR_PUBLIC;
}

const char *sw_addr_class_name(enum sw_addr_class cls)
{
    static const char *const NAMES[] = {
        [SW_ADDR_PUBLIC] = "public",         [SW_ADDR_UNSPECIFIED] = "unspecified",
        [SW_ADDR_LOOPBACK] = "loopback",     [SW_ADDR_PRIVATE] = "private",
        [SW_ADDR_LINK_LOCAL] = "link-local", [SW_ADDR_CGNAT] = "carrier-grade NAT",
        [SW_ADDR_MULTICAST] = "multicast",   [SW_ADDR_RESERVED] = "reserved",
    };
    return (unsigned)cls < sizeof NAMES / sizeof NAMES[0] ? NAMES[cls] : "reserved";
}

bool sw_addr_allowed(const uint8_t addr[16], const struct sw_cidr_list *allow)
{
    if (allow && sw_cidr_list_contains(allow, addr))
        return true;
    return sw_addr_classify(addr) == SW_ADDR_PUBLIC;
}

int sw_addr_from_sockaddr(const struct sockaddr *sa, uint8_t out[16])
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memset(out, 0, 10);
        out[10] = out[11] = 0xFF;
        memcpy(out + 12, &in->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return 0;
    }
    return SW_EINVAL;
}
