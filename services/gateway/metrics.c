#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_buf.h"
#include "sw_status.h"

#define STATUS_MIN 100
#define STATUS_SLOTS 500 /* 100..599 */
#define RPC_KINDS 4

static const double BUCKETS[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
#define N_BUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])

static const char *const RPC_KIND_NAMES[RPC_KINDS] = {"unavailable", "bad_reply", "internal_error",
                                                      "other"};

struct route_stats {
    atomic_ullong by_status[STATUS_SLOTS];
    atomic_ullong buckets[N_BUCKETS + 1]; /* the last one is +Inf */
    atomic_ullong sum_us;
    atomic_ullong count;
};

struct gw_metrics {
    size_t n_routes; /* plus one slot for "other" */
    struct route_stats *routes;
    atomic_ullong rpc_errors[SW_SVC_COUNT][RPC_KINDS];
};

struct gw_metrics *gw_metrics_new(size_t n_routes)
{
    struct gw_metrics *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n_routes = n_routes;
    m->routes = calloc(n_routes + 1, sizeof *m->routes);
    if (!m->routes) {
        free(m);
        return NULL;
    }
    return m;
}

void gw_metrics_free(struct gw_metrics *m)
{
    if (!m)
        return;
    free(m->routes);
    free(m);
}

void gw_metrics_request(struct gw_metrics *m, size_t route_index, int status, double seconds)
{
    if (route_index > m->n_routes)
        route_index = m->n_routes;
    struct route_stats *r = &m->routes[route_index];
    if (status >= STATUS_MIN && status < STATUS_MIN + STATUS_SLOTS)
        atomic_fetch_add_explicit(&r->by_status[status - STATUS_MIN], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BUCKETS && seconds > BUCKETS[b])
        b++;
    atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->sum_us, (unsigned long long)(seconds * 1e6),
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
}

void gw_metrics_rpc_error(struct gw_metrics *m, enum sw_service_id service, const char *kind)
{
    size_t k = RPC_KINDS - 1;
    for (size_t i = 0; i < RPC_KINDS - 1; i++)
        if (strcmp(kind, RPC_KIND_NAMES[i]) == 0)
            k = i;
    atomic_fetch_add_explicit(&m->rpc_errors[service][k], 1, memory_order_relaxed);
}

/* The page is small; the ceiling only guards against a runaway label. */
#define MAX_PAGE ((size_t)4 * 1024 * 1024)

/* Appends to the page unless an earlier append failed; *rc keeps the first error. */
static void emit(struct sw_buf *page, int *rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void emit(struct sw_buf *page, int *rc, const char *fmt, ...)
{
    if (*rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    *rc = sw_buf_vappendf(page, fmt, ap);
    va_end(ap);
}

int gw_metrics_render(struct gw_metrics *m, const char *const *route_labels, char **out,
                      size_t *len)
{
    struct sw_buf page;
    int rc = 0;
    sw_buf_init(&page, MAX_PAGE);
    emit(&page, &rc,
         "# HELP sw_http_requests_total HTTP requests by route and status.\n"
         "# TYPE sw_http_requests_total counter\n");
    for (size_t i = 0; i <= m->n_routes; i++) {
        const char *label = i < m->n_routes ? route_labels[i] : "other";
        for (int s = 0; s < STATUS_SLOTS; s++) {
            unsigned long long v = atomic_load(&m->routes[i].by_status[s]);
            if (v)
                emit(&page, &rc, "sw_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", label,
                     s + STATUS_MIN, v);
        }
    }
    emit(&page, &rc,
         "# HELP sw_http_request_duration_seconds HTTP request latency by route.\n"
         "# TYPE sw_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= m->n_routes; i++) {
        const char *label = i < m->n_routes ? route_labels[i] : "other";
        struct route_stats *r = &m->routes[i];
        unsigned long long count = atomic_load(&r->count);
        if (!count)
            continue;
        unsigned long long cumulative = 0;
        for (size_t b = 0; b <= N_BUCKETS; b++) {
            cumulative += atomic_load(&r->buckets[b]);
            if (b < N_BUCKETS)
                emit(&page, &rc,
                     "sw_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                     label, BUCKETS[b], cumulative);
            else
                emit(&page, &rc,
                     "sw_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                     label, cumulative);
        }
        emit(&page, &rc, "sw_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
             (double)atomic_load(&r->sum_us) / 1e6);
        emit(&page, &rc, "sw_http_request_duration_seconds_count{route=\"%s\"} %llu\n", label,
             count);
    }
    emit(&page, &rc,
         "# HELP sw_rpc_errors_total Failed service calls by service and kind.\n"
         "# TYPE sw_rpc_errors_total counter\n");
    for (int s = 0; s < SW_SVC_COUNT; s++)
        for (int k = 0; k < RPC_KINDS; k++)
            emit(&page, &rc, "sw_rpc_errors_total{service=\"%s\",kind=\"%s\"} %llu\n",
                 sw_service_name((enum sw_service_id)s), RPC_KIND_NAMES[k],
                 atomic_load(&m->rpc_errors[s][k]));
    if (rc == 0 && !(*out = sw_buf_take(&page, len)))
        rc = SW_ENOMEM;
    sw_buf_free(&page);
    return rc;
}
