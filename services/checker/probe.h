/*
 * One check as one curl easy handle: the options every check gets (fresh
 * connection, every timeout, no proxy, http and https only, at most five
 * redirects (never replaying a method other than GET or HEAD to another host:
 * redirect.h), the address guard, the capped body reader), and, once curl is
 * done with it, the Result built from what curl observed.
 *
 * A probe owns its easy handle, its job, its guard and its body reader. The
 * transfer loop creates it, adds the handle to its multi handle, removes the
 * handle when the transfer is done, calls chk_probe_finish() and frees it.
 * The allow list is borrowed and must outlive the probe.
 */
#ifndef CHK_PROBE_H
#define CHK_PROBE_H

#include <curl/curl.h>

#include "body.h"
#include "sw_cidr.h"
#include "sw_guard.h"
#include "work.h"

#define CHK_USER_AGENT "StatusWatch-Checker/1.0"
#define CHK_MAX_REDIRECTS 5
/* Limits applied whatever the check asks for (the API allows 1000..30000 ms). */
#define CHK_TIMEOUT_DEFAULT_MS 10000
#define CHK_TIMEOUT_MIN_MS 100
#define CHK_TIMEOUT_MAX_MS 60000
#define CHK_CONNECT_TIMEOUT_MAX_MS 10000

struct chk_probe {
    CURL *easy;          /* owned */
    struct chk_job *job; /* owned */
    struct sw_guard guard;
    struct chk_body body;
    long long started_unix_ms;
    int timeout_ms;
    int connect_timeout_ms;
    char errbuf[CURL_ERROR_SIZE];
    /* Redirects followed hop by hop (redirect.h): a method other than GET or HEAD with
     * follow_redirects. hop_url is the current hop's URL (owned; NULL: the job's). */
    bool hop_by_hop;
    int hops;
    curl_off_t earlier_hops_us; /* the time of the hops before this one */
    char *hop_url;
    const char *hop_method;        /* the job's method, or the static "GET" */
    struct chk_probe *prev, *next; /* the transfer loop's list of transfers in flight */
};

/*
 * Prepares the transfer for `job` and takes ownership of the job on success
 * (on failure the job stays the caller's). SW_EINVAL when the check cannot be
 * run as given (unsupported method), SW_ENOMEM otherwise.
 */
int chk_probe_new(struct chk_job *job, const struct sw_cidr_list *allow, struct chk_probe **out);

/* A check's timeout_ms clamped to CHK_TIMEOUT_MIN_MS..CHK_TIMEOUT_MAX_MS (0: the default). */
int chk_probe_timeout_ms(int timeout_ms);

/* Records the wall-clock start; call right before the handle joins the multi handle. */
void chk_probe_start(struct chk_probe *probe);

/*
 * After a hop of a hop-by-hop transfer ended with `code` and the handle left
 * the multi handle: when it was a redirect to follow, prepares the next hop
 * (URL, method, the time left) and returns true, and the caller adds the
 * handle again; false when the transfer is over.
 */
bool chk_probe_next_hop(struct chk_probe *probe, CURLcode code);

/* Builds the Result of the finished transfer (curl's code `code`); SW_ENOMEM on failure. */
int chk_probe_finish(struct chk_probe *probe, CURLcode code, struct chk_outcome **out);

/* Frees the probe; its handle must no longer be in a multi handle. NULL is fine. */
void chk_probe_free(struct chk_probe *probe);

/*
 * The options every kind that connects shares: url, the probe as the
 * transfer's private pointer and error buffer, no signals, the probe's
 * timeout and connect_timeout_ms, a fresh connection with no DNS cache, no
 * proxy, and only `protocols` ("http,https").
 */
CURLcode chk_probe_base_options(struct chk_probe *probe, const char *url, long connect_timeout_ms,
                                const char *protocols);

/* The Result of a check that could not even be attempted, saying why. */
int chk_probe_refuse_job(const struct chk_job *job, const char *why, struct chk_outcome **out);

#endif
