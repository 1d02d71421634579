/*
 * sw-notify's own metrics: every delivery attempt by outcome and channel
 * kind, counted by the sender as it records them (send.c), their latency,
 * and, read when Prometheus scrapes, the queue: deliveries waiting to be sent
 * by status (pending, retrying; through the deliveries_due index) and how
 * long the oldest one that is due has waited.
 */
#include <stdlib.h>

#include "notify.h"
#include "sw_metrics.h"
#include "sw_ops_http.h"
#include "sw_status.h"

static void collect(void *arg, PGconn *db)
{
    const struct notify_service *svc = arg;
    const struct sw_metric_column cols[] = {{svc->queue_gauge, "pending"},
                                            {svc->queue_gauge, "retrying"},
                                            {svc->queue_lag_gauge, NULL}};
    sw_metrics_set_from_query(db,
                              "SELECT count(*) FILTER (WHERE status = 'pending'),"
                              " count(*) FILTER (WHERE status = 'retrying'),"
                              " COALESCE(EXTRACT(EPOCH FROM now() - min(next_attempt_at)"
                              " FILTER (WHERE next_attempt_at <= now())), 0)"
                              " FROM notify.deliveries WHERE status IN ('pending', 'retrying')",
                              cols, sizeof cols / sizeof cols[0]);
}

int notify_metrics_start(struct notify_service *svc)
{
    struct sw_metrics *m = svc->cfg.metrics;
    if (!m)
        return 0;
    svc->deliveries = sw_metrics_counter(
        m, "sw_notify_deliveries_total",
        "Delivery attempts by outcome (sent, retrying, failed) and channel kind.", "status,kind");
    svc->attempt_seconds = sw_metrics_histogram(m, "sw_notify_attempt_duration_seconds",
                                                "Time of one delivery attempt, by channel kind.",
                                                "kind", NULL, 0);
    svc->queue_gauge = sw_metrics_gauge(m, "sw_notify_queue_depth",
                                        "Deliveries waiting to be sent, by status.", "status");
    svc->queue_lag_gauge =
        sw_metrics_gauge(m, "sw_notify_queue_lag_seconds",
                         "How long the oldest due delivery has waited past its time.", NULL);
    if (!svc->deliveries || !svc->attempt_seconds || !svc->queue_gauge || !svc->queue_lag_gauge)
        return SW_EINTERNAL;
    return sw_metrics_on_scrape(m, collect, svc);
}
