/*
 * The client address behind proxies (services/gateway/forwarded.c). The
 * input's lines are: the peer's address, the trusted proxies
 * (SW_TRUSTED_PROXIES' syntax; a list that does not parse is replaced by a
 * usual one), then up to eight X-Forwarded-For header values. Properties: the
 * answer is a NUL-terminated text that fits; behind a trusted peer it is an
 * address in canonical form, and it is either untrusted or, when every hop
 * is trusted, the left-most hop; with no trusted peer it is the peer itself.
 */
#include <stdbool.h>

#include "forwarded.h"
#include "fuzz.h"

#define MAX_VALUES 8
#define USUAL_PROXIES "10.0.0.0/8, 127.0.0.1, ::1, 192.168.0.0/16, fd00::/8"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *lines[2 + MAX_VALUES];
    size_t n = 0;
    char *copy = fuzz_lines(data, size, lines, 2 + MAX_VALUES, &n);
    struct sw_cidr_list trusted;
    if (sw_cidr_list_parse(lines[1], &trusted) != 0)
        FUZZ_CHECK(sw_cidr_list_parse(USUAL_PROXIES, &trusted) == 0);
    size_t n_values = n > 2 ? n - 2 : 0;
    char out[GW_ADDR_TEXT_MAX];
    memset(out, 'x', sizeof out);
    bool via_proxy = true;
    gw_forwarded_client(lines[0], lines + 2, n_values, &trusted, out, &via_proxy);
    FUZZ_CHECK(memchr(out, '\0', sizeof out) != NULL);
    uint8_t peer[16];
    if (sw_ip_parse(lines[0], peer) != 0) {
        FUZZ_CHECK(!via_proxy);
        FUZZ_CHECK(strncmp(out, lines[0], sizeof out - 1) == 0);
    } else {
        uint8_t client[16];
        FUZZ_CHECK(sw_ip_parse(out, client) == 0);
        /* Canonical: parsing and printing again gives the same text. */
        char again[GW_ADDR_TEXT_MAX];
        bool again_via = false;
        gw_forwarded_client(out, NULL, 0, &trusted, again, &again_via);
        FUZZ_CHECK(strcmp(again, out) == 0);
        FUZZ_CHECK(via_proxy == sw_cidr_list_contains(&trusted, peer));
        if (!via_proxy)
            FUZZ_CHECK(memcmp(peer, client, 16) == 0);
    }
    (void)gw_forwarded_proto_https(n > 2 ? lines[2] : NULL);
    free(copy);
    return 0;
}
