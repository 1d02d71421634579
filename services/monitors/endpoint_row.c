#include "endpoint_row.h"

#include <stdlib.h>

#include "sw_pg.h"

void mon_endpoint_from_row(const PGresult *res, int row, void *endpoint)
{
    Sw__Monitors__Endpoint *e = endpoint;
    sw__monitors__endpoint__init(e);
    e->id = (char *)sw_pg_text(res, row, 0);
    e->name = (char *)sw_pg_text(res, row, 1);
    e->url = (char *)sw_pg_text(res, row, 2);
    e->method = (char *)sw_pg_text(res, row, 3);
    e->interval_seconds = (int32_t)sw_pg_int(res, row, 4);
    e->timeout_ms = (int32_t)sw_pg_int(res, row, 5);
    e->has_expected_status = !PQgetisnull(res, row, 6);
    e->expected_status = (int32_t)sw_pg_int(res, row, 6);
    e->keyword = sw_pg_text_or_null(res, row, 7);
    e->status = (char *)sw_pg_text(res, row, 8);
    e->has_last_checked_unix_ms = !PQgetisnull(res, row, 9);
    e->last_checked_unix_ms = sw_pg_int(res, row, 9);
    e->has_last_latency_ms = !PQgetisnull(res, row, 10);
    e->last_latency_ms = (int32_t)sw_pg_int(res, row, 10);
    e->has_last_status_code = !PQgetisnull(res, row, 11);
    e->last_status_code = (int32_t)sw_pg_int(res, row, 11);
    e->last_error = sw_pg_text_or_null(res, row, 12);
    e->has_uptime_24h = !PQgetisnull(res, row, 13);
    e->uptime_24h = e->has_uptime_24h ? strtod(PQgetvalue(res, row, 13), NULL) : 0;
    e->created_unix_ms = sw_pg_int(res, row, 14);
    e->retry_interval_seconds = (int32_t)sw_pg_int(res, row, 15);
    e->failure_threshold = (int32_t)sw_pg_int(res, row, 16);
    e->success_threshold = (int32_t)sw_pg_int(res, row, 17);
    e->paused = sw_pg_bool(res, row, 18);
    e->has_tls_expires_unix_ms = !PQgetisnull(res, row, 19);
    e->tls_expires_unix_ms = sw_pg_int(res, row, 19);
    e->paused_by_plan = sw_pg_bool(res, row, 20);
}
