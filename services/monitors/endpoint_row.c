#include "endpoint_row.h"

#include <stdlib.h>

#include "sw_pg.h"

void mon_endpoint_from_row(const PGresult *res, int row, Sw__Monitors__Endpoint *e)
{
    sw__monitors__endpoint__init(e);
    e->id = (char *)sw_pg_text(res, row, 0);
    e->name = (char *)sw_pg_text(res, row, 1);
    e->url = (char *)sw_pg_text(res, row, 2);
    e->method = (char *)sw_pg_text(res, row, 3);
    e->interval_seconds = (int32_t)sw_pg_int(res, row, 4);
    e->timeout_ms = (int32_t)sw_pg_int(res, row, 5);
    e->expected_status = (int32_t)sw_pg_int(res, row, 6);
    e->keyword = (char *)sw_pg_text(res, row, 7);
    e->status = (char *)sw_pg_text(res, row, 8);
    e->last_checked_at = (char *)sw_pg_text(res, row, 9);
    e->last_latency_ms = (int32_t)sw_pg_int(res, row, 10);
    e->last_status_code = (int32_t)sw_pg_int(res, row, 11);
    e->last_error = (char *)sw_pg_text(res, row, 12);
    e->uptime_24h = strtod(sw_pg_text(res, row, 13), NULL);
    e->created_at = (char *)sw_pg_text(res, row, 14);
    e->retry_interval_seconds = (int32_t)sw_pg_int(res, row, 15);
    e->failure_threshold = (int32_t)sw_pg_int(res, row, 16);
    e->success_threshold = (int32_t)sw_pg_int(res, row, 17);
    e->paused = sw_pg_bool(res, row, 18);
    e->tls_expires_at = (char *)sw_pg_text(res, row, 19);
    e->paused_by_plan = sw_pg_bool(res, row, 20);
}
