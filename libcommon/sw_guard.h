/*
 * The address guard of every transfer to a tenant-chosen URL (sw-checker's
 * checks, sw-notify's Slack and webhook deliveries): it may only connect to
 * public addresses (or to ranges an operator allowed with
 * SW_CHECKER_ALLOW_CIDRS). The decision is
 * taken on the address curl is actually about to connect to, in its
 * CURLOPT_OPENSOCKETFUNCTION, so it holds after DNS, for every address curl
 * tries and on every redirect hop; nothing is sent to a refused address, not
 * even a SYN. CURLOPT_PREREQFUNCTION checks the connected peer again before
 * the request is sent, as a second line.
 *
 * A struct sw_guard belongs to one transfer (its owner: a probe, a delivery); it borrows
 * the allow list, which must outlive it, and records why an address was
 * refused so the result can say so.
 */
#ifndef SW_GUARD_H
#define SW_GUARD_H

#include <curl/curl.h>
#include <stddef.h>
#include <sys/socket.h>

#include "sw_cidr.h"

#define SW_GUARD_REFUSAL_MAX 112

struct sw_guard {
    const struct sw_cidr_list *allow;   /* borrowed */
    char refusal[SW_GUARD_REFUSAL_MAX]; /* "refused: 10.0.0.5 is a private address", or "" */
};

void sw_guard_init(struct sw_guard *guard, const struct sw_cidr_list *allow);

/*
 * Judges one socket address: 0 when a check may connect to it, SW_EPERM
 * with `why` filled when it may not (other families are refused too).
 */
int sw_guard_judge(const struct sw_cidr_list *allow, const struct sockaddr *sa, char *why,
                   size_t why_size);

/* The same for an address in text form, as curl reports the connected peer. */
int sw_guard_judge_text(const struct sw_cidr_list *allow, const char *ip, char *why,
                        size_t why_size);

/* Installs both callbacks on `easy`; the guard must live until the transfer ends. */
int sw_guard_attach(struct sw_guard *guard, CURL *easy);

/* The callbacks themselves, exposed so that unit tests can call them directly. */
curl_socket_t sw_guard_open_socket(void *clientp, curlsocktype purpose,
                                   struct curl_sockaddr *address);
int sw_guard_prereq(void *clientp, char *primary_ip, char *local_ip, int primary_port,
                    int local_port);

#endif
