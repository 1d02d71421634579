/*
 * The URL check (libcommon/sw_url.c): the input's first line is the allow
 * list (SW_CHECKER_ALLOW_CIDRS' syntax; one that does not parse is empty),
 * the rest the URL a tenant sends. Properties: an accepted URL is http or
 * https with a host, fits its buffers and is accepted again as it was
 * normalised; a host that is an address literal (a zone id cut off), in
 * any form the resolver reads as one, is accepted only when the address
 * guard allows it; a refused URL says why.
 */
#include <arpa/inet.h>
#include <stdbool.h>

#include "fuzz.h"
#include "sw_addr.h"
#include "sw_status.h"
#include "sw_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *lines[2];
    size_t n = 0;
    char *copy = fuzz_lines(data, size, lines, 2, &n);
    struct sw_cidr_list allow;
    if (sw_cidr_list_parse(lines[0], &allow) != 0)
        allow.n = 0;
    struct sw_url url;
    char why[SW_URL_WHY_MAX];
    int rc = sw_url_check(lines[1], &allow, "monitored", &url, why, sizeof why);
    if (rc != 0) {
        FUZZ_CHECK(rc == SW_EINVAL && why[0] != '\0');
    } else {
        FUZZ_CHECK(why[0] == '\0');
        FUZZ_CHECK(strncmp(url.url, "http://", 7) == 0 || strncmp(url.url, "https://", 8) == 0);
        FUZZ_CHECK(url.https == (strncmp(url.url, "https://", 8) == 0));
        FUZZ_CHECK(url.host[0] != '\0');
        char host[SW_URL_HOST_MAX];
        snprintf(host, sizeof host, "%s", url.host);
        if (strchr(host, ':'))
            host[strcspn(host, "%")] = '\0'; /* an IPv6 zone id */
        uint8_t addr[16];
        if (sw_ip_parse(host, addr) == 0)
            FUZZ_CHECK(sw_addr_allowed(addr, &allow));
        /* What getaddrinfo reads as IPv4 ("10.2.3", "0x7f.1") is judged the same way. */
        struct in_addr v4;
        if (host[strspn(host, "0123456789abcdefABCDEFxX.")] == '\0' && inet_aton(host, &v4)) {
            memset(addr, 0, 10);
            addr[10] = addr[11] = 0xFF;
            memcpy(addr + 12, &v4, 4);
            FUZZ_CHECK(sw_addr_allowed(addr, &allow));
        }
        struct sw_url again;
        char why_again[SW_URL_WHY_MAX];
        FUZZ_CHECK(
            sw_url_check(url.url, &allow, "monitored", &again, why_again, sizeof why_again) == 0);
        FUZZ_CHECK(strcmp(again.url, url.url) == 0 && strcmp(again.host, url.host) == 0);
    }
    free(copy);
    return 0;
}
