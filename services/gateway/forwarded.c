#include "forwarded.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longer than any address a hop can carry: "[" + 45 characters of IPv6 + "]:65535". */
#define HOP_MAX 64

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* One to five digits: what a proxy may append as the port. */
static bool is_port(const char *text)
{
    size_t n = strspn(text, "0123456789");
    return n >= 1 && n <= 5 && text[n] == '\0';
}

static void format_addr(const uint8_t addr[16], char out[GW_ADDR_TEXT_MAX])
{
    static const uint8_t V4_MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (memcmp(addr, V4_MAPPED, sizeof V4_MAPPED) == 0)
        inet_ntop(AF_INET, addr + 12, out, GW_ADDR_TEXT_MAX);
    else
        inet_ntop(AF_INET6, addr, out, GW_ADDR_TEXT_MAX);
}

/* Parses the hop [start, end), already trimmed, into addr; false when it is no address. */
static bool parse_hop(const char *start, const char *end, uint8_t addr[16])
{
    char text[HOP_MAX];
    size_t len = (size_t)(end - start);
    if (len >= sizeof text)
        return false;
    memcpy(text, start, len);
    text[len] = '\0';
    char *host = text;
    if (host[0] == '[') {
        char *close = strchr(host, ']');
        if (!close || (close[1] != '\0' && (close[1] != ':' || !is_port(close + 2))))
            return false;
        *close = '\0';
        host++;
    } else {
        /* One colon is IPv4 with a port; IPv6 has at least two. */
        char *colon = strchr(host, ':');
        if (colon && !strchr(colon + 1, ':')) {
            if (!is_port(colon + 1))
                return false;
            *colon = '\0';
        }
    }
    return sw_ip_parse(host, addr) == 0;
}

void gw_forwarded_client(const char *peer, const char *const *values, size_t n_values,
                         const struct sw_cidr_list *trusted, char out[GW_ADDR_TEXT_MAX],
                         bool *via_trusted_proxy)
{
    uint8_t addr[16];
    *via_trusted_proxy = false;
    if (sw_ip_parse(peer, addr) != 0) {
        snprintf(out, GW_ADDR_TEXT_MAX, "%s", peer);
        return;
    }
    format_addr(addr, out);
    if (!sw_cidr_list_contains(trusted, addr))
        return;
    *via_trusted_proxy = true;
    /* Right to left over the headers joined by commas: the last header's last hop first. */
    for (size_t v = n_values; v-- > 0;) {
        const char *value = values[v];
        const char *end = value + strlen(value);
        for (;;) {
            const char *start = end;
            while (start > value && start[-1] != ',')
                start--;
            const char *first = start, *last = end;
            while (first < last && is_blank(*first))
                first++;
            while (last > first && is_blank(last[-1]))
                last--;
            if (first < last) {
                if (!parse_hop(first, last, addr))
                    return; /* unreadable: keep the proxy that wrote it */
                format_addr(addr, out);
                if (!sw_cidr_list_contains(trusted, addr))
                    return;
            }
            if (start == value)
                break;
            end = start - 1; /* before the comma */
        }
    }
}

bool gw_forwarded_proto_https(const char *value)
{
    if (!value)
        return false;
    while (is_blank(*value))
        value++;
    size_t len = strlen(value);
    while (len > 0 && is_blank(value[len - 1]))
        len--;
    return len == 5 && strncasecmp(value, "https", 5) == 0;
}
