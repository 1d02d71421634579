/*
 * A small Stripe API client on libcurl: form-encoded POSTs with an
 * Idempotency-Key, a pinned Stripe-Version, timeouts, and retries with
 * backoff on 429, 5xx and connection failures only (the idempotency key makes
 * a retried POST safe). Nothing of the request body or the key is logged.
 */
#ifndef BILLING_STRIPE_H
#define BILLING_STRIPE_H

#include <jansson.h>
#include <stddef.h>

#define STRIPE_VERSION "2024-06-20"

struct stripe_conf {
    const char *api_base;   /* STRIPE_API_BASE, no trailing slash */
    const char *secret_key; /* STRIPE_SECRET_KEY */
    long timeout_ms;        /* whole request */
    int retries;            /* extra attempts */
};

/* A growing application/x-www-form-urlencoded body. */
struct stripe_form {
    char *text;
    size_t len, cap;
    int failed;
};

void stripe_form_add(struct stripe_form *form, const char *key, const char *value);
void stripe_form_free(struct stripe_form *form);

enum stripe_outcome {
    STRIPE_OK,          /* 2xx, *out holds the object */
    STRIPE_REFUSED,     /* 4xx other than 429: message holds Stripe's message */
    STRIPE_UNAVAILABLE, /* 429/5xx/network after the retries */
};

struct stripe_error {
    int http_status;
    char message[256];
};

/*
 * POSTs the form to path ("/v1/customers"); on STRIPE_OK *out is the parsed
 * object. deadline_ms (Unix ms, 0 for none) is when the caller stops waiting:
 * attempts are shortened and retries skipped so that the answer comes first.
 */
enum stripe_outcome stripe_post(const struct stripe_conf *conf, const char *path,
                                const struct stripe_form *form, const char *idempotency_key,
                                long long deadline_ms, const char *request_id, json_t **out,
                                struct stripe_error *err);

#endif
