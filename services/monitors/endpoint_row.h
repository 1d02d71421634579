/*
 * The endpoint as stored in a tenant schema and as sent to the gateway:
 * the SELECT list every query uses and the row → message conversion.
 */
#ifndef MON_ENDPOINT_ROW_H
#define MON_ENDPOINT_ROW_H

#include <libpq-fe.h>

#include "monitors.pb-c.h"

/* Columns in the order mon_endpoint_from_row() reads them (table alias e). */
#define MON_ENDPOINT_COLUMNS                                                                   \
    "e.id, e.name, e.url, e.method, e.interval_seconds, e.timeout_ms,"                        \
    " coalesce(e.expected_status, 0), coalesce(e.keyword, ''),"                               \
    " CASE WHEN e.paused THEN 'paused' ELSE e.status END, monitors.iso(e.last_checked_at),"   \
    " coalesce(e.last_latency_ms, -1), coalesce(e.last_status_code, -1),"                     \
    " coalesce(e.last_error, ''),"                                                            \
    " coalesce((SELECT round(100.0 * sum(r.ok) / nullif(sum(r.checks), 0), 3)"                \
    "   FROM rollups_hourly r WHERE r.endpoint_id = e.id"                                     \
    "   AND r.hour >= date_trunc('hour', now() - interval '24 hours')), -1),"                \
    " monitors.iso(e.created_at), e.retry_interval_seconds, e.failure_threshold,"             \
    " e.success_threshold, e.paused, monitors.iso(e.tls_expires_at), e.paused_by_plan"

/* Points the message's strings into the row (valid until PQclear). */
void mon_endpoint_from_row(const PGresult *res, int row, Sw__Monitors__Endpoint *e);

#endif
