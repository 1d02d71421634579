/*
 * Endpoint settings: defaults, checking what a client sent, and applying it.
 *
 * URLs are checked by sw_url_check (sw_url.h): without the outside world,
 * so saving never waits on DNS; the checker's guard on every connection is
 * the real control.
 *
 * A handler first checks the input (mon_change_check, no database, no
 * network), then applies the change to the settings it holds (the defaults
 * for POST and PUT, the stored ones for PATCH) inside its transaction.
 */
#ifndef MON_VALIDATE_H
#define MON_VALIDATE_H

#include <stdbool.h>

#include "endpoint_input.pb-c.h"
#include "monitors.h"
#include "sw_reply.h"
#include "sw_url.h"

#define MON_NAME_MAX 200
#define MON_KEYWORD_MAX 200
/* Buffer sizes: that many characters of UTF-8 and the NUL. */
#define MON_NAME_BYTES (MON_NAME_MAX * 4 + 1)
#define MON_KEYWORD_BYTES (MON_KEYWORD_MAX * 4 + 1)

struct mon_settings {
    char url[SW_URL_TEXT_MAX + 1];
    char name[MON_NAME_BYTES];
    char method[8];
    int interval_seconds;
    int timeout_ms;
    bool has_expected_status; /* false: any 2xx or 3xx */
    int expected_status;
    char keyword[MON_KEYWORD_BYTES]; /* "": no keyword assertion */
    int retry_interval_seconds;
    int failure_threshold;
    int success_threshold;
    bool paused;
};

/*
 * A checked input: which fields were given (the input's own presence, which
 * it borrows) and the values that need normalising.
 */
struct mon_change {
    const Sw__Monitors__EndpointInput *in; /* borrowed */
    char url[SW_URL_TEXT_MAX + 1];         /* normalised, when in->url */
    char host[SW_URL_HOST_MAX];            /* the URL's host, for the default name */
    char method[8];                        /* canonical, when in->method */
};

/* The settings of a new endpoint before the client's fields apply. */
void mon_settings_defaults(const struct mon_tenant *tenant, struct mon_settings *s);

/*
 * Checks every given field of `in` (ranges for the tenant's plan, the URL and
 * its host); each fault is a field error in reply, and then SW_EINVAL. With
 * url_required (POST) a missing url is one of them when nothing else is wrong.
 */
int mon_change_check(const Sw__Monitors__EndpointInput *in, const struct mon_tenant *tenant,
                     const struct sw_cidr_list *allow, bool url_required, struct mon_change *out,
                     struct sw_reply *reply);

/*
 * Applies a checked change to *s. An endpoint left without a name is called
 * after its host (or its URL).
 */
void mon_change_apply(const struct mon_change *change, struct mon_settings *s);

#endif
