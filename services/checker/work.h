/*
 * The two units of work that cross between the checker's threads: a job (one
 * leased check, copied out of the LeaseChecksReply so that the reply can be
 * freed at once) and an outcome (one Result waiting to be reported).
 *
 * Each is one heap object with a single owner at a time: the feeder creates
 * jobs and hands them to the exchange, the transfer loop takes them, turns
 * each into an outcome and frees the job; the reporter frees outcomes once
 * sw-monitors has them (or the checker gives up on them at shutdown).
 */
#ifndef CHK_WORK_H
#define CHK_WORK_H

#include <stdbool.h>

#include "monitors.pb-c.h"

#define CHK_ERROR_MAX 256

struct chk_job {
    const char *endpoint_id; /* these strings live in the same allocation */
    const char *url;
    const char *method;         /* "" means GET */
    const char *keyword;        /* "" means none */
    const char *kind;           /* "" means http; tcp | dns */
    const char *record_type;    /* dns: A | AAAA | CNAME | MX | TXT */
    const char *expected_value; /* dns: "" means any answer */
    long long scheduled_unix_ms;
    int timeout_ms;
    int expected_status; /* 0: any 2xx or 3xx (the check had none) */
    int attempt;
    bool follow_redirects;
    const char *user_agent; /* borrowed from the settings (names the checker's region) */
};

/* Copies a leased check; SW_ENOMEM on failure. Free with chk_job_free(). */
int chk_job_from_check(const Sw__Monitors__Check *check, struct chk_job **out);
void chk_job_free(struct chk_job *job);

struct chk_outcome {
    Sw__Monitors__Result result; /* endpoint_id and error point into this object */
    long long ready_mono_ms;     /* when it was queued, for the report flush timer */
    char error[CHK_ERROR_MAX];
    char endpoint_id[]; /* in the same allocation */
};

/*
 * A Result for `job` with its identity filled in and every measurement
 * absent (and every assertion false), ready for the probe to fill.
 */
int chk_outcome_new(const struct chk_job *job, struct chk_outcome **out);
void chk_outcome_free(struct chk_outcome *outcome);

#endif
