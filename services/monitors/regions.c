/*
 * Checker regions (api.md "More kinds of monitor"; the rules are the SQL
 * expressions of regions_sql.h): which regions have a live checker, the
 * schedule rows of endpoints checked in every region, and the list of
 * regions an endpoint may name.
 */
#include <stdio.h>

#include "monitors.h"
#include "regions_sql.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_region.h"

/*
 * Refreshes the region's last lease (at most every 5 s) and answers whether
 * it was not live before, in one statement.
 */
static const char SEEN_SQL[] =
    "WITH prev AS (SELECT last_seen_at FROM monitors.regions WHERE name = $1),"
    " up AS (INSERT INTO monitors.regions AS r (name, last_seen_at) VALUES ($1, now())"
    "   ON CONFLICT (name) DO UPDATE SET last_seen_at = now()"
    "   WHERE r.last_seen_at < now() - interval '5 seconds')"
    " SELECT NOT EXISTS (SELECT 1 FROM prev WHERE " MON_SQL_IS_LIVE("prev.last_seen_at") ")";

/*
 * A row in the region for every endpoint checked in all regions, copied from
 * one of its rows, first due at a random moment of its interval (so a region
 * that comes up does not get every check at once). The default region's rows
 * were stand-ins if no checker ever leased there: they go.
 */
static const char COPY_SQL[] =
    "WITH copied AS (INSERT INTO monitors.schedule (endpoint_id, tenant_id, schema_name, url,"
    "   method, timeout_ms, expected_status, keyword, interval_seconds, slot_at, due_at, kind,"
    "   record_type, expected_value, grace_seconds, follow_redirects, min_interval_seconds,"
    "   region, all_regions)"
    "   SELECT DISTINCT ON (s.endpoint_id) s.endpoint_id, s.tenant_id, s.schema_name, s.url,"
    "   s.method, s.timeout_ms, s.expected_status, s.keyword, s.interval_seconds, x.at, x.at,"
    "   s.kind, s.record_type, s.expected_value, s.grace_seconds, s.follow_redirects,"
    "   s.min_interval_seconds, $1, true"
    "   FROM monitors.schedule s, LATERAL (SELECT monitors.now_ms() + (random() * 1000"
    "     * s.interval_seconds)::bigint * interval '1 millisecond' AS at) x"
    "   WHERE s.all_regions ORDER BY s.endpoint_id"
    "   ON CONFLICT (endpoint_id, region) DO NOTHING RETURNING 1),"
    " stand_ins AS (DELETE FROM monitors.schedule WHERE $1 <> '" SW_REGION_DEFAULT "'"
    "   AND region = '" SW_REGION_DEFAULT "' AND all_regions"
    "   AND NOT EXISTS (SELECT 1 FROM monitors.regions WHERE name = '" SW_REGION_DEFAULT "')"
    "   RETURNING 1)"
    " SELECT (SELECT count(*) FROM copied), (SELECT count(*) FROM stand_ins)";

int mon_region_seen(PGconn *db, const char *region)
{
    const char *params[] = {region};
    PGresult *res = NULL;
    int rc = sw_pg_query(db, SEEN_SQL, 1, params, &res);
    bool came_up = rc == 0 && PQntuples(res) == 1 && sw_pg_bool(res, 0, 0);
    PQclear(res);
    if (!came_up)
        return rc;
    res = NULL;
    rc = sw_pg_query(db, COPY_SQL, 1, params, &res);
    if (rc == 0)
        sw_log_info("region %s came up: %s endpoints checked in every region scheduled there,"
                    " %s stand-in rows dropped",
                    region, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    PQclear(res);
    return rc;
}

int mon_regions_prune(PGconn *db)
{
    return sw_pg_exec(db,
                      "WITH gone AS (DELETE FROM monitors.regions"
                      "   WHERE last_seen_at < now() - interval '1 hour' RETURNING name)"
                      " DELETE FROM monitors.schedule s USING gone"
                      " WHERE s.region = gone.name AND s.all_regions",
                      0, NULL);
}

/* Every known region, sorted, with its liveness; the limit per endpoint. */
#define LIST_LIVE MON_SQL_IS_LIVE("r.last_seen_at")
static const char LIST_SQL[] =
    "SELECT json_build_object('regions', coalesce((SELECT json_agg(json_build_object("
    "   'name', r.name, 'live', " LIST_LIVE ", 'last_seen_at', monitors.iso(r.last_seen_at))"
    "   ORDER BY r.name) FROM monitors.regions r), '[]'), 'max_per_endpoint', $1::int)::text";

void mon_list_regions(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0) /* a user of a tenant asks; the list is global */
        return;
    char max[16];
    snprintf(max, sizeof max, "%d", SW_REGIONS_MAX);
    const char *params[] = {max};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, LIST_SQL, 1, params, &res);
    if (rc == 0 && PQntuples(res) == 1)
        mon_sp_reply_object(reply, PQgetvalue(res, 0, 0));
    else
        sw_reply_fail_rc(reply, rc ? rc : SW_EINTERNAL);
    PQclear(res);
}
