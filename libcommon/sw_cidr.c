#include "sw_cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

int sw_ip_parse(const char *text, uint8_t out[16])
{
    struct in_addr v4;
    if (inet_pton(AF_INET, text, &v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xFF;
        memcpy(out + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, out) == 1 ? 0 : SW_EINVAL;
}

int sw_cidr_parse(const char *text, struct sw_cidr *out)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    if (len == 0 || len >= sizeof addr)
        return SW_EINVAL;
    memcpy(addr, text, len);
    addr[len] = '\0';
    if (sw_ip_parse(addr, out->addr) != 0)
        return SW_EINVAL;
    bool v4 = strchr(addr, ':') == NULL;
    int max = v4 ? 32 : 128;
    int prefix = max;
    if (slash) {
        char *end = NULL;
        long p = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end != '\0' || p < 0 || p > max)
            return SW_EINVAL;
        prefix = (int)p;
    }
    out->prefix = v4 ? prefix + 96 : prefix;
    /* Clear host bits so that contains() compares networks. */
    for (int bit = out->prefix; bit < 128; bit++)
        out->addr[bit / 8] &= (uint8_t) ~(0x80 >> (bit % 8));
    return 0;
}

int sw_cidr_list_parse(const char *text, struct sw_cidr_list *out)
{
    out->n = 0;
    if (!text)
        return 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        char item[80];
        size_t len = strcspn(p, ", ");
        if (len >= sizeof item || out->n == SW_CIDR_LIST_MAX)
            return SW_EINVAL;
        memcpy(item, p, len);
        item[len] = '\0';
        if (sw_cidr_parse(item, &out->items[out->n]) != 0)
            return SW_EINVAL;
        out->n++;
        p += len;
    }
    return 0;
}

bool sw_cidr_contains(const struct sw_cidr *cidr, const uint8_t addr[16])
{
    int full = cidr->prefix / 8, rest = cidr->prefix % 8;
    if (memcmp(cidr->addr, addr, (size_t)full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xFF << (8 - rest));
    return (cidr->addr[full] & mask) == (addr[full] & mask);
}

bool sw_cidr_list_contains(const struct sw_cidr_list *list, const uint8_t addr[16])
{
    for (size_t i = 0; i < list->n; i++)
        if (sw_cidr_contains(&list->items[i], addr))
            return true;
    return false;
}
