/*
 * IPv4/IPv6 address ranges (CIDRs): parsing comma-separated lists such as
 * SW_TRUSTED_PROXIES or SW_CHECKER_ALLOW_CIDRS, and membership tests.
 * IPv4 addresses are held as IPv4-mapped IPv6 (::ffff:a.b.c.d) so that one
 * comparison covers both families and mapped addresses cannot slip past.
 */
#ifndef SW_CIDR_H
#define SW_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SW_CIDR_LIST_MAX 32

struct sw_cidr {
    uint8_t addr[16]; /* network address, IPv4 mapped into ::ffff:0:0/96 */
    int prefix;       /* 0..128 over the 16-byte form */
};

struct sw_cidr_list {
    struct sw_cidr items[SW_CIDR_LIST_MAX];
    size_t n;
};

/* Parses "a.b.c.d/n" or "x::y/n" (a bare address means a single host). */
int sw_cidr_parse(const char *text, struct sw_cidr *out);
/* Parses a comma-separated list; empty text gives an empty list. */
int sw_cidr_list_parse(const char *text, struct sw_cidr_list *out);

/* Parses a textual IPv4 or IPv6 address into the 16-byte form. */
int sw_ip_parse(const char *text, uint8_t out[16]);

bool sw_cidr_contains(const struct sw_cidr *cidr, const uint8_t addr[16]);
bool sw_cidr_list_contains(const struct sw_cidr_list *list, const uint8_t addr[16]);

#endif
