/*
 * The address guard's classifier: is an IP address one that a check may
 * connect to? Public unicast addresses are; private, loopback, link-local,
 * carrier-grade NAT, multicast, documentation, benchmarking and other
 * reserved ranges are not, in IPv4 and IPv6 alike. Addresses that embed an
 * IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged
 * by the embedded address, so a private target cannot hide inside one.
 *
 * Addresses use sw_cidr's 16-byte form (IPv4 mapped into ::ffff:0:0/96).
 * Used by sw-monitors when an endpoint is saved and by sw-checker on the
 * address actually connected to. Pure functions, no state.
 */
#ifndef SW_ADDR_H
#define SW_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sw_cidr.h"

enum sw_addr_class {
    SW_ADDR_PUBLIC,
    SW_ADDR_UNSPECIFIED, /* 0.0.0.0/8, :: */
    SW_ADDR_LOOPBACK,    /* 127.0.0.0/8, ::1 */
    SW_ADDR_PRIVATE,     /* RFC 1918, fc00::/7, fec0::/10 */
    SW_ADDR_LINK_LOCAL,  /* 169.254.0.0/16, fe80::/10 */
    SW_ADDR_CGNAT,       /* 100.64.0.0/10 */
    SW_ADDR_MULTICAST,   /* 224.0.0.0/4, ff00::/8 */
    SW_ADDR_RESERVED,    /* documentation, benchmarking, future use, broadcast, … */
};

enum sw_addr_class sw_addr_classify(const uint8_t addr[16]);

/* "public", "private", "loopback", … for messages and logs. */
const char *sw_addr_class_name(enum sw_addr_class cls);

/* True when the address is public or inside one of the allowed ranges. */
bool sw_addr_allowed(const uint8_t addr[16], const struct sw_cidr_list *allow);

/* Converts an AF_INET or AF_INET6 socket address; SW_EINVAL for other families. */
int sw_addr_from_sockaddr(const struct sockaddr *sa, uint8_t out[16]);

#endif
