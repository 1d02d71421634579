/*
 * sw-monitors' own metrics, read from monitors.schedule when Prometheus
 * scrapes (through the schedule_due index: only what is due is read):
 * checks due now, how long the oldest of them has waited (the checkers' lag
 * as the schedule sees it: it grows when checkers are too few or stopped),
 * and dead letters (due checks leased three times without a result).
 */
#include <stdlib.h>

#include "monitors.h"
#include "sw_metrics.h"
#include "sw_ops_http.h"
#include "sw_status.h"

static void collect(void *arg, PGconn *db)
{
    const struct mon_service *svc = arg;
    const struct sw_metric_column cols[] = {{svc->due_gauge, NULL},
                                            {svc->lag_gauge, NULL},
                                            {svc->dead_gauge, NULL}};
    sw_metrics_set_from_query(
        db,
        "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(due_at)), 0),"
        " count(*) FILTER (WHERE leases >= 3)"
        /* Heartbeats are never handed to a checker (heartbeat.c records their misses). */
        " FROM monitors.schedule WHERE due_at <= now() AND kind <> 'heartbeat'",
        cols, sizeof cols / sizeof cols[0]);
}

int mon_metrics_start(struct mon_service *svc)
{
    struct sw_metrics *m = svc->cfg.metrics;
    if (!m)
        return 0;
    svc->due_gauge = sw_metrics_gauge(m, "sw_monitors_due_checks",
                                      "Checks due now and not yet handed to a checker.", NULL);
    svc->lag_gauge = sw_metrics_gauge(m, "sw_monitors_checker_lag_seconds",
                                      "How long the oldest due check has waited for a checker.",
                                      NULL);
    svc->dead_gauge = sw_metrics_gauge(m, "sw_monitors_dead_checks",
                                       "Due checks leased three times or more without a result.",
                                       NULL);
    if (!svc->due_gauge || !svc->lag_gauge || !svc->dead_gauge)
        return SW_EINTERNAL;
    return sw_metrics_on_scrape(m, collect, svc);
}
