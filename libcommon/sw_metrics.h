/*
 * A process's Prometheus metrics: a registry of metric families (counters,
 * gauges, histograms), each with up to SW_METRICS_MAX_LABELS label names and
 * one series per combination of label values, rendered on demand in the
 * Prometheus text exposition format (version 0.0.4) that `promtool check
 * metrics` accepts.
 *
 * Thread safety: every function may be called from any thread. Each family
 * guards its series with its own mutex, held only to find the series and
 * update a few numbers, so concurrent updates of different families never
 * contend. A family holds at most SW_METRICS_MAX_SERIES series: beyond that,
 * updates of new label combinations are dropped (and the drop logged once),
 * so a runaway label cannot exhaust memory.
 *
 * Ownership: the registry owns its families and their series; a family
 * pointer stays valid until sw_metrics_free(). Every update function accepts
 * a NULL family and does nothing, so code that records metrics works the same
 * in a process (or a unit test) that has no registry.
 *
 * Scrape-time values (what only a query can tell, such as a queue's depth)
 * come from collectors registered with sw_metrics_on_scrape(): the ops
 * listener (sw_ops_http.h) calls sw_metrics_collect() with its database
 * connection just before it renders, and a collector sets its gauges.
 */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#include <libpq-fe.h>
#include <stddef.h>

#define SW_METRICS_MAX_LABELS 4
#define SW_METRICS_MAX_BUCKETS 24
#define SW_METRICS_MAX_SERIES 4096

struct sw_metrics;
struct sw_metric;

struct sw_metrics *sw_metrics_new(void);
void sw_metrics_free(struct sw_metrics *m);

/*
 * Registers a family and returns it (owned by the registry), or NULL (logged)
 * when the name or a label name is not a valid Prometheus name, a family of
 * that name exists, or memory ran out. `labels` is a comma-separated list of
 * label names ("method,status"), NULL or "" for none. A counter's name should
 * end in _total. A NULL registry gives NULL.
 */
struct sw_metric *sw_metrics_counter(struct sw_metrics *m, const char *name, const char *help,
                                     const char *labels);
struct sw_metric *sw_metrics_gauge(struct sw_metrics *m, const char *name, const char *help,
                                   const char *labels);
/*
 * A histogram with the given upper bounds (strictly increasing, at most
 * SW_METRICS_MAX_BUCKETS; +Inf is implicit). NULL buckets: latency buckets
 * in seconds, 1 ms to 10 s. The label "le" is reserved.
 */
struct sw_metric *sw_metrics_histogram(struct sw_metrics *m, const char *name, const char *help,
                                       const char *labels, const double *buckets, size_t n_buckets);

/*
 * Updates the series named by `values` (one per label name, in order; NULL
 * when the family has no labels). A NULL value is rendered as "".
 * sw_metric_add: counters and gauges (a counter ignores a negative delta);
 * sw_metric_set: gauges; sw_metric_observe: histograms. A call that does not
 * fit the family's kind does nothing.
 */
void sw_metric_add(struct sw_metric *f, const char *const *values, double delta);
void sw_metric_set(struct sw_metric *f, const char *const *values, double value);
void sw_metric_observe(struct sw_metric *f, const char *const *values, double value);

/* The current value of a counter or gauge series (0 when absent): for tests. */
double sw_metric_value(struct sw_metric *f, const char *const *values);

/*
 * A scrape-time collector: sets gauges from what it reads. `db` is the ops
 * listener's connection, NULL in a process without a database; a collector
 * that needs it and gets NULL (or sees it fail) leaves its gauges as they are.
 */
typedef void (*sw_metrics_collect_fn)(void *arg, PGconn *db);
int sw_metrics_on_scrape(struct sw_metrics *m, sw_metrics_collect_fn fn, void *arg);
/* Runs every collector, in registration order. */
void sw_metrics_collect(struct sw_metrics *m, PGconn *db);

/*
 * Renders every family, in registration order, as exposition text. *out (a
 * NUL-terminated string of *len bytes) is the caller's to free().
 */
int sw_metrics_render(struct sw_metrics *m, char **out, size_t *len);

#endif
