/*
 * Judging a DNS answer (the raw message c-ares received) for a DNS check:
 * the records of the type asked for, the expected value, the address rules.
 * A pure function of the bytes, so every rule is unit-tested without a
 * resolver (tests/unit/test_checker_dns.c).
 */
#ifndef CHK_DNS_ANSWER_H
#define CHK_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_cidr.h"

/* The record type's number (A 1, AAAA 28, CNAME 5, MX 15, TXT 16); 0 for another name. */
int chk_dns_type(const char *record_type);

/*
 * Judges answer[len] to a query of record_type: true when it holds at least
 * one record of that type, every A/AAAA record passes the address rules
 * (allow), and expected ("" for any) equals one of them. Otherwise false and
 * a short sentence in error[error_size].
 */
bool chk_dns_judge(const unsigned char *answer, size_t len, const char *record_type,
                   const char *expected, const struct sw_cidr_list *allow, char *error,
                   size_t error_size);

#endif
