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
#include "sw_region.h"
#include "sw_reply.h"
#include "sw_url.h"

#define MON_NAME_MAX 200
#define MON_KEYWORD_MAX 200
#define MON_EXPECTED_VALUE_MAX 255
#define MON_GRACE_MAX 86400
/* A heartbeat's ping token: 32 random bytes, unpadded base64url (43 characters). */
#define MON_PING_TOKEN_BYTES 32
#define MON_PING_TOKEN_SIZE 48
/* Buffer sizes: that many characters of UTF-8 and the NUL. */
#define MON_NAME_BYTES (MON_NAME_MAX * 4 + 1)
#define MON_KEYWORD_BYTES (MON_KEYWORD_MAX * 4 + 1)
#define MON_EXPECTED_VALUE_BYTES (MON_EXPECTED_VALUE_MAX * 4 + 1)

/* The kinds of monitor (api.md "More kinds of monitor"). */
#define MON_KIND_HTTP "http"
#define MON_KIND_TCP "tcp"
#define MON_KIND_DNS "dns"
#define MON_KIND_HEARTBEAT "heartbeat"
#define MON_KIND_SIZE 12
#define MON_RECORD_TYPE_SIZE 8
/* The regions as a PostgreSQL array literal: "{a,b}". */
#define MON_REGIONS_TEXT_SIZE (SW_REGIONS_MAX * (SW_REGION_NAME_MAX + 1) + 3)

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
    char kind[MON_KIND_SIZE];                      /* http | tcp | dns | heartbeat */
    char record_type[MON_RECORD_TYPE_SIZE];        /* dns: A | AAAA | CNAME | MX | TXT; else "" */
    char expected_value[MON_EXPECTED_VALUE_BYTES]; /* dns: "" for any answer */
    int grace_seconds;                             /* heartbeat */
    bool follow_redirects;               /* the method's default unless the client chose */
    char regions[MON_REGIONS_TEXT_SIZE]; /* "{eu,us}"; "": every live region */
    int n_regions;                       /* 0: every live region */
    bool has_min_failing_regions;        /* false: a majority */
    int min_failing_regions;
};

/*
 * A checked input: which fields were given (the input's own presence, which
 * it borrows) and the values that need normalising.
 */
struct mon_change {
    const Sw__Monitors__EndpointInput *in;  /* borrowed */
    char url[SW_URL_TEXT_MAX + 1];          /* normalised, when in->url */
    char host[SW_URL_HOST_MAX];             /* the URL's host, for the default name */
    char method[8];                         /* canonical, when in->method */
    char kind[MON_KIND_SIZE];               /* canonical, when in->kind */
    char record_type[MON_RECORD_TYPE_SIZE]; /* canonical, when in->record_type */
    char regions[MON_REGIONS_TEXT_SIZE];    /* the literal, when in->regions holds names */
    int n_regions;
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
 * after its host (or its URL, or "Heartbeat"). Whenever the method is set
 * and follow_redirects is not, follow_redirects becomes the method's default
 * (mon_method_follows).
 */
void mon_change_apply(const struct mon_change *change, struct mon_settings *s);

/*
 * The rules that hold between fields once a change is applied (the kind's
 * URL scheme, fields that only one kind has); each fault is a field error,
 * and then SW_EINVAL. A heartbeat's thresholds are set to 1 here: one ping
 * is up, one miss or /fail is down.
 */
int mon_settings_check(struct mon_settings *s, struct sw_reply *reply);

/* True when kind is the endpoint's kind. */
bool mon_is_kind(const struct mon_settings *s, const char *kind);

/* Whether a method follows redirects unless told otherwise: GET and HEAD only. */
bool mon_method_follows(const char *method);

#endif
