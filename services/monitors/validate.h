/*
 * Endpoint settings: defaults, and checking what a client sent. URLs are
 * parsed and normalised with libcurl's URL API; only http and https with a
 * host are accepted, and the target's addresses (the literal, or what the
 * name resolves to within a short deadline) must pass the address guard
 * unless SW_CHECKER_ALLOW_CIDRS allows them. The checker guards again on
 * every connection; this check gives the user an early, clear answer.
 */
#ifndef MON_VALIDATE_H
#define MON_VALIDATE_H

#include <stdbool.h>

#include "endpoint_input.pb-c.h"
#include "monitors.h"
#include "sw_reply.h"

#define MON_URL_MAX 2048
#define MON_NAME_MAX 200
#define MON_KEYWORD_MAX 200

struct mon_settings {
    char url[MON_URL_MAX + 1];
    char name[MON_NAME_MAX * 4 + 1]; /* 200 characters of UTF-8 */
    char method[8];
    int interval_seconds;
    int timeout_ms;
    int expected_status; /* 0: any 2xx or 3xx */
    char keyword[MON_KEYWORD_MAX * 4 + 1];
    int retry_interval_seconds;
    int failure_threshold;
    int success_threshold;
    bool paused;
};

/* The settings of a new endpoint before the client's fields apply. */
void mon_settings_defaults(const struct mon_tenant *tenant, struct mon_settings *s);

/*
 * Checks the given fields and applies them to *s. Field errors go to reply
 * (then SW_EINVAL). The name defaults to the URL's host when the URL is given
 * and the name is empty afterwards.
 */
int mon_settings_apply(const Sw__Monitors__EndpointInput *in, const struct mon_tenant *tenant,
                       const struct sw_cidr_list *allow, struct mon_settings *s,
                       struct sw_reply *reply);

#endif
