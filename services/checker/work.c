#include "work.h"

#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

/* An absent keyword (and protobuf-c's NULL for an empty string) is "". */
static const char *or_empty(const char *s) { return s ? s : ""; }

int chk_job_from_check(const Sw__Monitors__Check *check, struct chk_job **out)
{
    *out = NULL;
    enum { N_FIELDS = 7 };
    const char *fields[N_FIELDS] = {or_empty(check->endpoint_id),   or_empty(check->url),
                                    or_empty(check->method),        or_empty(check->keyword),
                                    or_empty(check->kind),          or_empty(check->record_type),
                                    or_empty(check->expected_value)};
    size_t lens[N_FIELDS], total = sizeof(struct chk_job);
    for (int i = 0; i < N_FIELDS; i++) {
        lens[i] = strlen(fields[i]);
        total += lens[i] + 1;
    }
    /* One allocation for the struct and its strings: jobs are many and short-lived. */
    struct chk_job *job = malloc(total);
    if (!job)
        return SW_ENOMEM;
    char *p = (char *)(job + 1);
    const char **dest[N_FIELDS] = {&job->endpoint_id,   &job->url,  &job->method,
                                   &job->keyword,       &job->kind, &job->record_type,
                                   &job->expected_value};
    for (int i = 0; i < N_FIELDS; i++) {
        memcpy(p, fields[i], lens[i] + 1);
        *dest[i] = p;
        p += lens[i] + 1;
    }
    job->scheduled_unix_ms = check->scheduled_unix_ms;
    job->timeout_ms = check->timeout_ms;
    job->expected_status = check->has_expected_status ? check->expected_status : 0;
    job->attempt = check->attempt;
    job->follow_redirects = !check->has_follow_redirects || check->follow_redirects;
    job->user_agent = NULL; /* the feeder names the checker's region */
    *out = job;
    return 0;
}

void chk_job_free(struct chk_job *job) { free(job); }

int chk_outcome_new(const struct chk_job *job, struct chk_outcome **out)
{
    /* One allocation for the struct and its endpoint id, as for a job. */
    size_t id_size = strlen(job->endpoint_id) + 1;
    struct chk_outcome *outcome = calloc(1, sizeof *outcome + id_size);
    *out = outcome;
    if (!outcome)
        return SW_ENOMEM;
    memcpy(outcome->endpoint_id, job->endpoint_id, id_size);
    Sw__Monitors__Result init = SW__MONITORS__RESULT__INIT;
    outcome->result = init;
    outcome->result.endpoint_id = outcome->endpoint_id;
    outcome->result.scheduled_unix_ms = job->scheduled_unix_ms;
    return 0;
}

void chk_outcome_free(struct chk_outcome *outcome) { free(outcome); }
