/*
 * Judging a finished transfer: from what curl observed (its code, the HTTP
 * status, the body reader's findings, the guard's refusal, cumulative phase
 * times) to the Result's assertions, timings and a short human sentence
 * saying what went wrong. Pure functions with no curl handle involved, so
 * every rule can be unit-tested without a network; the probe gathers the
 * observation, this module decides.
 */
#ifndef CHK_VERDICT_H
#define CHK_VERDICT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "monitors.pb-c.h"

/* What one finished transfer looked like. Strings are borrowed. */
struct chk_observation {
    CURLcode code;
    long http_code;         /* 0: no HTTP answer */
    bool https;             /* the final hop was https */
    bool body_capped;       /* the body reader stopped the transfer at its cap */
    bool keyword_ok;        /* no keyword, or found in what was read */
    const char *keyword;    /* "" when none */
    int expected_status;    /* 0: any 2xx or 3xx */
    int timeout_ms;         /* the whole transfer's limit */
    int connect_timeout_ms; /* the connection phase's limit */
    const char *refusal;    /* the address guard's sentence, "" when it refused nothing */
    long os_errno;          /* CURLINFO_OS_ERRNO */
    const char *curl_error; /* CURLOPT_ERRORBUFFER contents, may be "" */
    /* CURLINFO_*_TIME_T: microseconds from the start, summed over redirect hops; 0 = never. */
    curl_off_t namelookup_us, connect_us, appconnect_us, starttransfer_us, total_us;
};

/* The expected-status assertion: exact match, or 200..399 when expected is 0. */
bool chk_status_ok(int expected_status, long http_code);

/*
 * Fills result's ok, status_code, status_ok, keyword_ok and the five timings
 * (each absent when its phase did not happen), writes the error sentence
 * ("" when ok) into error[error_size] and points result->error at it (NULL,
 * absent, when ok).
 */
void chk_verdict(const struct chk_observation *obs, Sw__Monitors__Result *result, char *error,
                 size_t error_size);

#endif
