/*
 * A service's operations port: a small CivetWeb listener, apart from its RPC
 * listeners, for Prometheus and for probes.
 *
 *   GET /metrics       the process's registry (sw_metrics.h), collectors run first
 *   GET /health        200 when the process is up and its database answers, else 503
 *   GET /health/ready  200 when it is ready for work: database reachable and the
 *                      service's own check (sw_service.c: every migration applied;
 *                      sw-checker: sw-monitors answers), else 503
 *   GET /health/live   200 whenever the process answers (liveness: a database outage
 *                      must not restart every pod)
 *
 * Each path is also served with a trailing slash, HEAD as GET; anything else
 * is 404 (405 for another method). Health answers are small JSON objects
 * ({"status":"ok","database":"ok"}). The listener has a few threads of its
 * own and one database connection, guarded by a mutex, for health checks
 * and collectors; nothing here touches the RPC workers.
 *
 * Settings: SW_<SVC>_METRICS_ADDR [127.0.0.1] and SW_<SVC>_METRICS_PORT
 * (auth 9101, tenants 9102, monitors 9103, billing 9104, notify 9105,
 * checker 9106; 0 turns the listener off).
 */
#ifndef SW_OPS_HTTP_H
#define SW_OPS_HTTP_H

#include <libpq-fe.h>
#include <stddef.h>

#include "sw_metrics.h"

#define SW_OPS_ADDR_MAX 64

struct sw_ops_settings {
    char addr[SW_OPS_ADDR_MAX];
    int port; /* 0: no listener */
};

/* Reads SW_<SVC>_METRICS_ADDR and _PORT for `service` ("auth", …, "checker"); SW_EINVAL (logged).
 */
int sw_ops_settings_load(const char *service, struct sw_ops_settings *out);

/*
 * Readiness beyond the database: 0 when ready, else non-zero with a short
 * reason in why. `db` is the listener's connection (NULL without a database),
 * known to answer when called.
 */
typedef int (*sw_ops_ready_fn)(void *arg, PGconn *db, char *why, size_t why_size);

struct sw_ops_http_opts {
    const char *service; /* for logs */
    struct sw_ops_settings settings;
    struct sw_metrics *metrics; /* borrowed; must outlive the listener */
    const char *database_url;   /* NULL: the process has no database (sw-checker) */
    sw_ops_ready_fn ready;      /* NULL: ready when the database answers */
    void *ready_arg;
};

struct sw_ops_http;

/*
 * Starts listening (nothing when the port is 0: *out is then NULL and 0 is
 * returned). An address that cannot be bound is logged and the process runs
 * without the listener (*out NULL, 0 returned): its probes then fail where
 * they matter (a pod has the port to itself), while a second process of the
 * same service on one host (a test, a local rolling restart) still serves
 * RPC. SW_ENOMEM only when memory runs out.
 */
int sw_ops_http_start(const struct sw_ops_http_opts *opts, struct sw_ops_http **out);
/* Stops the listener, waits for its threads and frees it. NULL is fine. */
void sw_ops_http_stop(struct sw_ops_http *ops);

/* One gauge series a scrape-time query fills: column i of its row sets cols[i]. */
struct sw_metric_column {
    struct sw_metric *gauge;
    const char *label; /* the value of its one label, NULL for an unlabelled gauge */
};

/*
 * For a collector (sw_metrics_on_scrape): runs sql on the ops connection and
 * sets each gauge from its column of the one row (numbers as text). Nothing
 * changes when db is NULL or the query fails: the gauges keep their values.
 */
void sw_metrics_set_from_query(PGconn *db, const char *sql, const struct sw_metric_column *cols,
                               size_t n);

#endif
