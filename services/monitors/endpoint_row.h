/*
 * The endpoint as stored in a tenant schema and as sent to the gateway:
 * the SELECT list every query uses and the row → message conversion.
 *
 * uptime_24h is kept as data: the endpoint row stores the percentage of the
 * 24 h window (the hour buckets from MON_WINDOW_24H on) together with the
 * hour bucket it was computed in (uptime_hour). Storing a result recomputes
 * it (schedule.c) from the window's counts kept beside it (uptime_checks,
 * uptime_ok: summed from the rollups by the first result of each hour, then
 * added to), and the maintenance thread recomputes every endpoint whose
 * value is from an earlier hour when the hour turns (pruner.c). A read uses
 * the stored value when it is from the current hour, which is exactly the
 * window's value then; otherwise, in the minutes before the maintenance pass,
 * it falls back to summing the rollups, so the answer is always that of the
 * current window.
 */
#ifndef MON_ENDPOINT_ROW_H
#define MON_ENDPOINT_ROW_H

#include <libpq-fe.h>

#include "monitors.pb-c.h"
#include "regions_sql.h"
#include "rollup.h"
#include "sw_time.h"

/* The 24 h uptime of endpoint e from the rollups ({s}: the tenant schema). */
#define MON_UPTIME_24H_SUM                                                                         \
    "(SELECT round(100.0 * sum(r.ok) / nullif(sum(r.checks), 0), 3)"                               \
    " FROM {s}.rollups_hourly r WHERE r.endpoint_id = e.id AND r.hour >= " MON_WINDOW_24H ")"

#define MON_LAST_CHECKED_MS SW_TIME_SQL_MS("e.last_checked_at")
#define MON_CREATED_MS SW_TIME_SQL_MS("e.created_at")
#define MON_TLS_EXPIRES_MS SW_TIME_SQL_MS("e.tls_expires_at")

/* The endpoint's regions (heartbeats have none to show) and the quorum (regions_sql.h). */
#define MON_ACTIVE_REGIONS MON_SQL_ACTIVE_REGIONS("e.kind", "e.regions", MON_SQL_LIVE_REGIONS)
#define MON_REGION_COLUMNS                                                                         \
    "to_jsonb(e.regions)::text AS regions_json, e.min_failing_regions,"                            \
    " CASE WHEN e.kind = 'heartbeat' THEN '[]' ELSE " MON_SQL_REGION_RESULTS_JSON(                 \
        "e.region_state",                                                                          \
        MON_ACTIVE_REGIONS) " END AS region_results_json,"                                         \
                            " " MON_SQL_QUORUM_JSON("e.region_state", MON_ACTIVE_REGIONS,          \
                                                    "e.min_failing_regions") " AS quorum_json"

/*
 * Columns named after the fields of Sw__Monitors__Endpoint, which
 * mon_endpoint_from_row() reads (table alias e, {s} the schema).
 */
#define MON_ENDPOINT_COLUMNS                                                                       \
    "e.id, e.name, e.url, e.method, e.interval_seconds, e.timeout_ms, e.expected_status,"          \
    " e.keyword, CASE WHEN e.paused THEN 'paused' ELSE e.status END AS status,"                    \
    " " MON_LAST_CHECKED_MS " AS last_checked_unix_ms, e.last_latency_ms, e.last_status_code,"     \
    " e.last_error, CASE WHEN e.uptime_hour = " MON_HOUR_NOW " THEN e.uptime_24h"                  \
    " ELSE " MON_UPTIME_24H_SUM " END AS uptime_24h, " MON_CREATED_MS " AS created_unix_ms,"       \
    " e.retry_interval_seconds, e.failure_threshold, e.success_threshold, e.paused,"               \
    " " MON_TLS_EXPIRES_MS " AS tls_expires_unix_ms, e.paused_by_plan, e.kind, e.record_type,"     \
    " e.expected_value, CASE WHEN e.kind = 'heartbeat' THEN e.grace_seconds END AS grace_seconds," \
    " e.ping_token, e.follow_redirects, " MON_REGION_COLUMNS
#define MON_ENDPOINT_N_COLUMNS 31

/* Points the message's strings into the row (valid until PQclear); an sw_row_fill. */
void mon_endpoint_from_row(const PGresult *res, int row, void *endpoint);

#endif
