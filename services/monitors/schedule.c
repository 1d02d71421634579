/*
 * The checkers' side: leasing due checks and storing their results.
 *
 * A schedule row holds one pending slot per active endpoint. Leasing moves
 * due_at to the lease expiry, so a check whose checker died becomes due again
 * by itself; after three leases without a result the slot is dead-lettered.
 * A result is stored only for the slot that is still pending, once
 * (UNIQUE (endpoint_id, scheduled_at)); storing it advances the slot, updates
 * the endpoint's status, its stored 24 h uptime (endpoint_row.h) and the
 * hourly rollup, and writes any status transition with its outbox row, all
 * in one statement and one transaction.
 *
 * Both methods are served only on the checkers' own listener, by workers of
 * their own: no tenant's calls can hold up leasing and reporting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "regions_sql.h"
#include "rollup.h"
#include "statuspage.h"
#include "sw_buf.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_region.h"
#include "sw_rows.h"
#include "sw_status.h"

/*
 * The check budget, a generic cell rate algorithm: every stored check moves
 * the endpoint's budget_at to T seconds (the plan's minimum interval) after
 * the later of budget_at and the check's start, and a check may start once
 * budget_at - (B - 1) * T has passed, B being the longer of the two
 * thresholds. Retries may so confirm one change at their short interval, but
 * a target that keeps flapping is checked no more often than every T seconds
 * on average, however short the retry interval and whatever the thresholds.
 * NULL (no check stored yet): no bound.
 */
#define MON_BUDGET_NEXT(tat, e, t)                                                                 \
    "(" tat " - (greatest(" e ".failure_threshold, " e ".success_threshold) - 1) * " t             \
    " * interval '1 second')"

/* The budget's interval per stored result: the plan's per region (sl: the slot, d: its regions). */
#define STORE_BUDGET_T "(d.budget_s::float8 / d.n_regions)"
/* The store statement's active regions and their counts (regions_sql.h; c: the endpoint). */
#define STORE_ACTIVE MON_SQL_ACTIVE_REGIONS("c.kind", "c.regions", "(SELECT names FROM live)")
#define STORE_COUNTS MON_SQL_REGION_COUNTS("x.state", "a.active")
/* The budget's next check after a stored one. */
#define STORE_BUDGET_NEXT MON_BUDGET_NEXT("e.budget_at", "e", STORE_BUDGET_T)

#define DEAD_LETTER_LEASES 3
#define MAX_REPORT 2000
#define STORE_RESULTS "mon_store_results"

/*
 * The earliest a check started over (new, resumed, a new target) may run: not
 * before the retry interval after the last check started (the one that
 * reported, last_checked_at; one still leased; one whose schedule row a
 * pause or a new target reset, last_started_at), and not before the check
 * budget allows (MON_BUDGET_NEXT). o is the endpoint's schedule row as it was.
 */
#define EARLIEST_RESTART                                                                           \
    "greatest(monitors.now_ms(), date_trunc('milliseconds', greatest(e.last_checked_at,"           \
    " e.last_started_at, o.leased_at) + e.retry_interval_seconds * interval '1 second'),"          \
    " date_trunc('milliseconds', " MON_BUDGET_NEXT("e.budget_at", "e", "$5::int") "))"

/*
 * The regions an endpoint being saved is scheduled in: its active regions,
 * where a default endpoint keeps the rows it has in regions not live now, and
 * has a stand-in row in the default region while no region is live.
 */
#define SYNC_LIVE_OR_KEPT                                                                          \
    "coalesce(nullif(ARRAY(SELECT DISTINCT r FROM unnest(" MON_SQL_LIVE_REGIONS                    \
    " || ARRAY(SELECT region FROM o)) r), '{}'), ARRAY['" SW_REGION_DEFAULT "'])"
#define SYNC_REGIONS MON_SQL_SCHEDULED_REGIONS("e.kind", "e.regions", SYNC_LIVE_OR_KEPT)

int mon_schedule_sync(PGconn *db, const struct mon_tenant *t, const char *id, bool paused, bool now)
{
    char min_interval[16];
    snprintf(min_interval, sizeof min_interval, "%d", t->min_interval_seconds);
    if (paused) {
        /* A check still leased counts as started: resuming waits the retry interval. */
        const char *params[] = {id};
        return sw_pg_exec(
            db,
            "WITH gone AS (DELETE FROM monitors.schedule WHERE endpoint_id = $1"
            "   RETURNING leased_at)"
            " UPDATE endpoints e SET last_started_at = greatest(e.last_started_at,"
            "   (SELECT max(leased_at) FROM gone))"
            " WHERE e.id = $1 AND EXISTS (SELECT 1 FROM gone WHERE leased_at IS NOT NULL)",
            1, params);
    }
    /* One row per region the endpoint is checked in (want): the ones it names, else every
     * live region and every one it already has a row in (else the default region, until a
     * checker leases: regions.c copies the rows into a region that comes up). Rows of
     * regions it no longer names go. With `now`, each pending slot starts over (new,
     * resumed, or a new target) as early as EARLIEST_RESTART allows; otherwise it is kept
     * and only the settings are refreshed. A heartbeat's slot is the moment its ping is
     * overdue. */
    const char *params[] = {id, t->id, t->schema, now ? "true" : "false", min_interval};
    return sw_pg_exec(
        db,
        "WITH o AS (SELECT region, leased_at FROM monitors.schedule WHERE endpoint_id = $1"
        "   FOR UPDATE),"
        " want AS (SELECT w.region, e.regions IS NULL AND e.kind <> 'heartbeat' AS all_regions"
        "   FROM endpoints e, unnest(" SYNC_REGIONS ") AS w(region) WHERE e.id = $1),"
        " gone AS (DELETE FROM monitors.schedule s WHERE s.endpoint_id = $1"
        "   AND s.region NOT IN (SELECT region FROM want)),"
        " started AS (UPDATE endpoints e SET last_started_at = greatest(e.last_started_at,"
        "   (SELECT max(leased_at) FROM o)) WHERE $4 AND e.id = $1"
        "   AND EXISTS (SELECT 1 FROM o WHERE leased_at IS NOT NULL))"
        " INSERT INTO monitors.schedule AS s (endpoint_id, tenant_id, schema_name, url, method,"
        " timeout_ms, expected_status, keyword, interval_seconds, slot_at, due_at, kind,"
        " record_type, expected_value, grace_seconds, follow_redirects, min_interval_seconds,"
        " region, all_regions)"
        " SELECT e.id, $2, $3, e.url, e.method, e.timeout_ms, e.expected_status, e.keyword,"
        " e.interval_seconds, n.at, n.at, e.kind, e.record_type, e.expected_value, e.grace_seconds,"
        " e.follow_redirects, $5::int, w.region, w.all_regions"
        " FROM endpoints e CROSS JOIN want w LEFT JOIN o ON o.region = w.region,"
        " LATERAL (SELECT CASE WHEN e.kind = 'heartbeat'"
        "   THEN monitors.now_ms() + (e.interval_seconds + e.grace_seconds) * interval '1 second'"
        "   ELSE " EARLIEST_RESTART " END AS at) n WHERE e.id = $1"
        " ON CONFLICT (endpoint_id, region) DO UPDATE SET url = EXCLUDED.url,"
        " method = EXCLUDED.method,"
        " timeout_ms = EXCLUDED.timeout_ms, expected_status = EXCLUDED.expected_status,"
        " keyword = EXCLUDED.keyword, interval_seconds = EXCLUDED.interval_seconds,"
        " record_type = EXCLUDED.record_type, expected_value = EXCLUDED.expected_value,"
        " grace_seconds = EXCLUDED.grace_seconds, follow_redirects = EXCLUDED.follow_redirects,"
        " min_interval_seconds = EXCLUDED.min_interval_seconds,"
        " all_regions = EXCLUDED.all_regions,"
        " slot_at = CASE WHEN $4 THEN EXCLUDED.slot_at ELSE s.slot_at END,"
        " due_at = CASE WHEN $4 THEN EXCLUDED.due_at ELSE s.due_at END,"
        " leases = CASE WHEN $4 THEN 0 ELSE s.leases END,"
        " leased_by = CASE WHEN $4 THEN NULL ELSE s.leased_by END,"
        " leased_at = CASE WHEN $4 THEN NULL ELSE s.leased_at END",
        5, params);
}

static const char DEAD_LETTER_SQL[] =
    "WITH dead AS (SELECT endpoint_id FROM monitors.schedule"
    "   WHERE due_at <= now() AND leases >= 3 ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED),"
    " moved AS (UPDATE monitors.schedule s SET leases = 0, leased_by = NULL, leased_at = NULL,"
    "   slot_at = greatest(s.slot_at + s.interval_seconds * interval '1 second', monitors.now_ms()),"
    "   due_at = greatest(s.slot_at + s.interval_seconds * interval '1 second', monitors.now_ms())"
    "   FROM dead d, monitors.schedule o"
    "   WHERE s.endpoint_id = d.endpoint_id AND o.endpoint_id = s.endpoint_id"
    "   RETURNING s.endpoint_id, s.tenant_id, s.schema_name, o.slot_at AS old_slot,"
    "   o.leased_by AS last_checker),"
    " letters AS (INSERT INTO monitors.dead_letters (endpoint_id, tenant_id, slot_at, leases,"
    "   last_checker) SELECT endpoint_id, tenant_id, old_slot, 3, last_checker FROM moved)"
    " SELECT endpoint_id, schema_name FROM moved";

/* Marks the endpoints whose check was dead-lettered, so the user sees it. */
static int mark_dead(PGconn *db, const PGresult *dead)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < PQntuples(dead); i++) {
        char *schema = NULL;
        rc = sw_pg_quote_ident(db, PQgetvalue(dead, i, 1), &schema);
        if (rc)
            break;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "UPDATE %s.endpoints SET last_error = 'The check could not be completed:"
                 " three checkers took it and none reported back.' WHERE id = $1",
                 schema);
        PQfreemem(schema);
        const char *params[] = {PQgetvalue(dead, i, 0)};
        rc = sw_pg_exec(db, sql, 1, params);
    }
    return rc;
}

static int dead_letter_pass(PGconn *db)
{
    PGresult *dead = NULL;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db, DEAD_LETTER_SQL, 0, NULL, &dead);
    if (rc == 0)
        rc = mark_dead(db, dead);
    rc = sw_pg_end(db, rc);
    if (rc == 0 && PQntuples(dead) > 0)
        sw_log_warn("dead-lettered %d checks after %d expired leases", PQntuples(dead),
                    DEAD_LETTER_LEASES);
    PQclear(dead);
    return rc;
}

/*
 * Hands out up to $1 due checks to checker $2 for $3 seconds (at least the
 * check's timeout); the columns are named after the fields of
 * Sw__Monitors__Check, and the ninth is the lease's end. Heartbeats are
 * never handed out: nothing probes them (heartbeat.c records their misses).
 * A checker leases only its region's ($4) rows.
 */
static const char LEASE_SQL[] =
    "WITH due AS (SELECT endpoint_id, region FROM monitors.schedule"
    "   WHERE region = $4 AND due_at <= now() AND leases < 3 AND kind <> 'heartbeat'"
    "   ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
    " UPDATE monitors.schedule s SET leases = s.leases + 1, leased_by = $2,"
    "   leased_at = now(), due_at = now() + greatest($3::int,"
    "   ceil(s.timeout_ms / 1000.0)::int + 5) * interval '1 second'"
    " FROM due WHERE s.endpoint_id = due.endpoint_id AND s.region = due.region"
    " RETURNING s.endpoint_id, monitors.to_ms(s.slot_at) AS scheduled_unix_ms, s.url, s.method,"
    "   s.timeout_ms, s.expected_status, s.keyword, s.leases AS attempt, monitors.to_ms(s.due_at),"
    "   s.kind, s.record_type, s.expected_value, s.follow_redirects";

static void check_from_row(const PGresult *res, int row, void *check)
{
    sw_rows_fill(res, row, &sw__monitors__check__descriptor, check);
}

void mon_lease_checks(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__LeaseChecksRequest *req = request;
    struct mon_service *svc = ctx->service;
    int max = req->max_checks < 1 ? 1 : req->max_checks;
    int seconds = req->has_lease_seconds ? req->lease_seconds : svc->default_lease_seconds;
    char max_text[16], lease_text[16];
    snprintf(max_text, sizeof max_text, "%d",
             max > svc->max_lease_batch ? svc->max_lease_batch : max);
    snprintf(lease_text, sizeof lease_text, "%d", seconds < 2 ? 2 : seconds > 600 ? 600 : seconds);
    const char *region = req->region ? req->region : SW_REGION_DEFAULT;
    const char *params[] = {max_text, req->checker_id, lease_text, region};

    PGresult *res = NULL;
    int rc = sw_region_name_valid(region) ? mon_region_seen(ctx->db, region) : SW_EINVAL;
    if (rc == 0)
        rc = dead_letter_pass(ctx->db);
    if (rc == 0)
        rc = sw_pg_query(ctx->db, LEASE_SQL, 4, params, &res);

    Sw__Monitors__LeaseChecksReply out = SW__MONITORS__LEASE_CHECKS_REPLY__INIT;
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        long long expires = sw_pg_int(res, i, 8);
        if (!out.has_lease_expires_unix_ms || expires < out.lease_expires_unix_ms)
            out.lease_expires_unix_ms = expires;
        out.has_lease_expires_unix_ms = 1;
    }
    sw_rows_reply(reply, rc, res, sizeof(Sw__Monitors__Check), check_from_row, &out.base,
                  &out.n_checks, &out.checks);
    PQclear(res);
}

/*
 * Stores the results of one tenant (arrays, one element per result, with
 * search_path on that tenant); see the file comment. Returns one row per
 * status transition.
 */
/*
 * The 24 h window's count of checks or ok (successes) before the result
 * being stored: kept in the endpoint row (uptime_checks, uptime_ok) while it
 * is of the current hour, else summed from the window's rollups (the first
 * result of each hour).
 */
#define WINDOW_COUNT(what)                                                                         \
    "(CASE WHEN e.uptime_hour = " MON_HOUR_NOW " AND e.uptime_checks IS NOT NULL"                  \
    " THEN e.uptime_" what " ELSE (SELECT coalesce(sum(r." what "), 0) FROM rollups_hourly r"      \
    " WHERE r.endpoint_id = e.id AND r.hour >= " MON_WINDOW_24H ") END)"
#define WINDOW_CHECKS WINDOW_COUNT("checks")
#define WINDOW_OK WINDOW_COUNT("ok")

/*
 * Each region's own status ("status" in region_state) follows the endpoint's
 * thresholds on that region's checks, exactly as a single region's did; the
 * endpoint is down when at least the quorum of its active regions are down
 * (monitors.quorum_need), up when fewer are and any is up, and otherwise
 * keeps its status. A failed check counts against uptime and the rollups
 * only when at least the quorum of regions are failing now (their last
 * check failed): one region's bad route is not the endpoint's downtime. The
 * endpoint row is locked before it is read (cur), so two regions reporting
 * at once see each other's state. The check budget's rate is the plan's per
 * region: each result moves it by T / (active regions).
 */
static const char STORE_RESULTS_SQL[] =
    "WITH input AS (SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bool[],"
    "   $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::text[],"
    "   $12::bool[], $13::bool[], $14::bigint[], $16::int[])"
    "   AS t(endpoint_id, slot_ms, started_ms, ok, status_code, total_ms, dns_ms, connect_ms,"
    "   tls_ms, ttfb_ms, error, status_ok, keyword_ok, tls_expires_ms, bucket)),"
    /* Each result whose slot is still this region's pending one and not yet stored, with its
     * schedule row and endpoint row locked (in the report's order, which is by endpoint: two
     * regions' reports lock shared endpoints alike). Everything after reads only this CTE
     * and index lookups: a join of two CTEs is planned as a nested loop (a CTE's row count
     * is not known), quadratic in the batch. Results of endpoints inside a maintenance window
     * (statuspage.h) are stored, but move no status and stay out of the rollups and the
     * stored 24 h uptime. */
    " pre AS (SELECT i.endpoint_id, s.slot_at, monitors.from_ms(i.started_ms) AS checked_at,"
    "   i.ok, i.status_code, i.total_ms, i.dns_ms, i.connect_ms, i.tls_ms, i.ttfb_ms, i.error,"
    "   i.status_ok, i.keyword_ok, monitors.from_ms(i.tls_expires_ms) AS tls_expires_at,"
    "   i.bucket, coalesce(s.min_interval_seconds, s.interval_seconds) AS budget_s,"
    "   EXISTS (SELECT 1 FROM maintenance_endpoints me JOIN maintenances m"
    "     ON m.id = me.maintenance_id WHERE me.endpoint_id = i.endpoint_id"
    "     AND m.starts_at <= monitors.from_ms(i.started_ms)"
    "     AND m.ends_at > monitors.from_ms(i.started_ms)) AS maint,"
    "   e.status, e.region_state, e.success_threshold, e.failure_threshold,"
    "   e.min_failing_regions, e.kind, e.regions"
    "   FROM input i JOIN monitors.schedule s ON s.endpoint_id = i.endpoint_id"
    "   AND s.region = $18 AND s.slot_at = monitors.from_ms(i.slot_ms)"
    "   JOIN endpoints e ON e.id = i.endpoint_id"
    "   WHERE NOT EXISTS (SELECT 1 FROM check_results r WHERE r.endpoint_id = i.endpoint_id"
    "     AND r.scheduled_at = s.slot_at AND r.region = $18)"
    "   FOR UPDATE OF s, e),"
    " ins AS (INSERT INTO check_results (endpoint_id, scheduled_at, checked_at, ok, status_code,"
    "   latency_ms, dns_ms, connect_ms, tls_ms, ttfb_ms, error, status_ok, keyword_ok,"
    "   tls_expires_at, checker_id, in_maintenance, region)"
    "   SELECT p.endpoint_id, p.slot_at, p.checked_at, p.ok, p.status_code, p.total_ms,"
    "   p.dns_ms, p.connect_ms, p.tls_ms, p.ttfb_ms, p.error, p.status_ok, p.keyword_ok,"
    "   p.tls_expires_at, $15, p.maint, $18 FROM pre p"
    "   ON CONFLICT (endpoint_id, scheduled_at, region) DO NOTHING RETURNING 1),"
    /* The live regions and the reporting one (which may have just come up), once. */
    " live AS (SELECT ARRAY(SELECT DISTINCT r FROM unnest(" MON_SQL_LIVE_REGIONS
    "   || ARRAY[$18::text]) r ORDER BY r) AS names),"
    /* Per result: this region's counters and status before (p) and after (n) it, the
     * endpoint's region state after it (x), its active regions (a) and their counts (k),
     * the quorum (q), and what the endpoint's status becomes: one CTE that carries all the
     * update needs (a CTE the update joins is copied whole for its recheck). */
    " d AS (SELECT c.endpoint_id AS id, c.status AS old_status, n.f, n.s, n.st, x.state,"
    "   cardinality(a.active) AS n_regions, k.failing,"
    "   CASE WHEN k.failing >= q.need THEN 'down' WHEN k.ups > 0 THEN 'up'"
    "   ELSE c.status END AS new_status, (c.ok OR k.failing_now < q.need) AS counted_ok,"
    "   c.ok, c.maint, date_trunc('hour', c.checked_at) >= " MON_WINDOW_24H
    "   AND NOT c.maint AS in_window, c.checked_at, c.slot_at AS scheduled_at,"
    "   c.total_ms AS latency_ms, c.status_code, c.error, c.tls_expires_at, c.budget_s, c.bucket"
    "   FROM pre c,"
    "   LATERAL (SELECT coalesce((c.region_state -> $18 ->> 'f')::int, 0) AS f,"
    "     coalesce((c.region_state -> $18 ->> 's')::int, 0) AS s,"
    "     coalesce(c.region_state -> $18 ->> 'status', 'pending') AS st) p,"
    "   LATERAL (SELECT CASE WHEN c.ok THEN 0 WHEN c.maint THEN p.f ELSE p.f + 1 END AS f,"
    "     CASE WHEN c.ok THEN p.s + 1 ELSE 0 END AS s,"
    "     CASE WHEN c.ok AND p.s + 1 >= c.success_threshold THEN 'up'"
    "     WHEN NOT c.ok AND NOT c.maint AND p.f + 1 >= c.failure_threshold THEN 'down'"
    "     ELSE p.st END AS st) n,"
    "   LATERAL (SELECT c.region_state || jsonb_build_object($18::text, jsonb_build_object("
    "     'status', n.st, 'f', n.f, 's', n.s, 'at', monitors.to_ms(c.checked_at),"
    "     'ms', c.total_ms, 'code', c.status_code, 'error', c.error)) AS state OFFSET 0) x,"
    "   LATERAL (SELECT " STORE_ACTIVE " AS active OFFSET 0) a,"
    "   LATERAL " STORE_COUNTS " k,"
    "   LATERAL (SELECT monitors.quorum_need(cardinality(a.active), c.min_failing_regions)"
    "     AS need) q),"
    " upd AS (UPDATE endpoints e SET"
    "   consecutive_failures = d.f, consecutive_successes = d.s, status = d.new_status,"
    "   region_state = d.state,"
    "   last_checked_at = d.checked_at, last_latency_ms = d.latency_ms,"
    "   last_status_code = d.status_code, last_error = d.error,"
    "   tls_expires_at = coalesce(d.tls_expires_at, e.tls_expires_at),"
    /* The window's counts before this result, and this result. */
    "   uptime_checks = " WINDOW_CHECKS " + d.in_window::int,"
    "   uptime_ok = " WINDOW_OK " + (d.counted_ok AND d.in_window)::int,"
    "   uptime_24h = round(100.0 * (" WINDOW_OK " + (d.counted_ok AND d.in_window)::int)"
    "     / nullif(" WINDOW_CHECKS " + d.in_window::int, 0), 3),"
    "   uptime_hour = " MON_HOUR_NOW ","
    "   budget_at = greatest(e.budget_at, d.checked_at) + " STORE_BUDGET_T " * interval '1 second'"
    "   FROM d WHERE e.id = d.id"
    "   RETURNING e.id, e.status, e.interval_seconds, e.retry_interval_seconds, d.ok,"
    "   d.scheduled_at, e.consecutive_failures, e.consecutive_successes, d.maint, e.kind,"
    "   e.grace_seconds, d.checked_at, d.st AS region_status, d.old_status, d.failing,"
    "   d.n_regions, d.error, date_trunc('milliseconds', " STORE_BUDGET_NEXT ") AS budget_next),"
    /* Confirming a change of this region's status (a failure not yet DOWN, a success not
     * yet UP) uses the short retry interval; otherwise the endpoint keeps its cadence.
     * Either waits for the check budget (MON_BUDGET_NEXT). A heartbeat is next due
     * (overdue) interval + grace after this ping or miss. */
    " sched AS (UPDATE monitors.schedule s SET slot_at = n.next_at, due_at = n.next_at,"
    "   leases = 0, leased_by = NULL, leased_at = NULL"
    "   FROM (SELECT u.id, CASE WHEN u.kind = 'heartbeat' THEN date_trunc('milliseconds',"
    "     u.checked_at) + (u.interval_seconds + u.grace_seconds) * interval '1 second'"
    "     ELSE greatest(u.budget_next, CASE WHEN (u.ok AND u.region_status <> 'up')"
    "     OR (NOT u.ok AND NOT u.maint AND u.region_status <> 'down')"
    "     THEN monitors.now_ms() + u.retry_interval_seconds * interval '1 second'"
    "     ELSE greatest(u.scheduled_at + u.interval_seconds * interval '1 second',"
    "       monitors.now_ms()) END) END AS next_at FROM upd u) n"
    "   WHERE s.endpoint_id = n.id AND s.region = $18),"
    " roll AS (INSERT INTO rollups_hourly AS r (endpoint_id, hour, checks, ok, latency_hist)"
    /* A new hour's histogram is one-hot on the result's bucket when it succeeded (all zero
     * otherwise); an existing one adds that one element. ok counts as uptime does. */
    "   SELECT d.id, date_trunc('hour', d.checked_at), 1, d.counted_ok::int,"
    "   array_fill(0, ARRAY[d.bucket - 1]) || d.ok::int"
    "     || array_fill(0, ARRAY[$17::int - d.bucket])"
    "   FROM d WHERE NOT d.maint"
    "   ON CONFLICT (endpoint_id, hour) DO UPDATE SET checks = r.checks + 1,"
    "   ok = r.ok + EXCLUDED.ok,"
    "   latency_hist[coalesce(array_position(EXCLUDED.latency_hist, 1), 1)] ="
    "     r.latency_hist[coalesce(array_position(EXCLUDED.latency_hist, 1), 1)]"
    "     + EXCLUDED.latency_hist[coalesce(array_position(EXCLUDED.latency_hist, 1), 1)])"
    " SELECT u.id, u.old_status, u.status, u.consecutive_failures,"
    "   u.consecutive_successes, u.ok, (SELECT count(*) FROM ins), u.failing, u.n_regions,"
    "   u.error FROM upd u WHERE u.old_status <> u.status"
    " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, (SELECT count(*) FROM ins), NULL, NULL,"
    "   NULL";

/* The largest array literal of one report (2000 results of errors up to 256 bytes, escaped). */
#define ARRAY_MAX_BYTES (4u << 20)

/* A PostgreSQL array literal built from C values. */
struct pg_array {
    struct sw_buf text;
    bool failed;
};

static void array_init(struct pg_array *a)
{
    sw_buf_init(&a->text, ARRAY_MAX_BYTES);
    a->failed = false;
}

static void array_append(struct pg_array *a, const char *bytes, size_t n)
{
    if (!a->failed && sw_buf_append(&a->text, bytes, n) != 0)
        a->failed = true;
}

/* Appends one element; quoted ones have '"' and '\\' escaped. */
static void array_put(struct pg_array *a, const char *value, bool quote)
{
    array_append(a, a->text.len == 0 ? "{" : ",", 1);
    if (!quote) {
        array_append(a, value, strlen(value));
        return;
    }
    array_append(a, "\"", 1);
    for (const char *p = value; *p;) {
        size_t run = strcspn(p, "\"\\");
        array_append(a, p, run);
        p += run;
        if (*p) {
            char escaped[2] = {'\\', *p++};
            array_append(a, escaped, 2);
        }
    }
    array_append(a, "\"", 1);
}

static void array_put_int(struct pg_array *a, long long value)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", value);
    array_put(a, text, false);
}

/* An optional value: the element is NULL when the field is absent. */
static void array_put_opt_int(struct pg_array *a, protobuf_c_boolean has, long long value)
{
    if (has)
        array_put_int(a, value);
    else
        array_put(a, "NULL", false);
}

static void array_put_opt_text(struct pg_array *a, const char *value)
{
    if (value)
        array_put(a, value, true);
    else
        array_put(a, "NULL", false);
}

/* Closes the literal ("{}" when empty); NULL if it could not be built. */
static const char *array_end(struct pg_array *a)
{
    array_append(a, a->text.len == 0 ? "{}" : "}", a->text.len == 0 ? 2 : 1);
    return a->failed ? NULL : a->text.data;
}

/* Who reported: the checker and its region (the results are of that region's slots). */
struct reporter {
    const char *checker_id;
    const char *region;
};

/* Where each reported endpoint's tenant data lives (from its schedule row). */
struct target {
    const Sw__Monitors__Result *result;
    char tenant_id[40];
    char schema[40];
};

static int find_targets(PGconn *db, const Sw__Monitors__ReportResultsRequest *req,
                        const struct reporter *who, struct target *targets, size_t *n_targets)
{
    /* "{id,id,…}" of the well-formed ids. */
    struct pg_array ids;
    array_init(&ids);
    for (size_t i = 0; i < req->n_results; i++)
        if (sw_uuid_valid(req->results[i]->endpoint_id))
            array_put(&ids, req->results[i]->endpoint_id, false);
    const char *params[] = {array_end(&ids), who->region};
    PGresult *res = NULL;
    int rc = params[0] ? sw_pg_query(db,
                                     "SELECT endpoint_id, tenant_id, schema_name FROM"
                                     " monitors.schedule WHERE endpoint_id = ANY($1::uuid[])"
                                     " AND region = $2 ORDER BY schema_name, endpoint_id",
                                     2, params, &res)
                       : SW_EINTERNAL;
    sw_buf_free(&ids.text);
    *n_targets = 0;
    for (int row = 0; rc == 0 && row < PQntuples(res); row++) {
        for (size_t i = 0; i < req->n_results; i++) {
            if (strcasecmp(req->results[i]->endpoint_id, PQgetvalue(res, row, 0)) != 0)
                continue;
            struct target *t = &targets[(*n_targets)++];
            t->result = req->results[i];
            snprintf(t->tenant_id, sizeof t->tenant_id, "%s", PQgetvalue(res, row, 1));
            snprintf(t->schema, sizeof t->schema, "%s", PQgetvalue(res, row, 2));
            break; /* a repeated result in one report is stored (or not) once */
        }
    }
    PQclear(res);
    return rc;
}

enum {
    A_ID,
    A_SLOT,
    A_STARTED,
    A_OK,
    A_CODE,
    A_TOTAL,
    A_DNS,
    A_CONNECT,
    A_TLS,
    A_TTFB,
    A_ERROR,
    A_STATUS_OK,
    A_KEYWORD_OK,
    A_TLS_EXPIRES,
    A_BUCKET,
    N_ARRAYS
};

/*
 * Stores targets[from, to), which share one tenant schema, in one statement
 * and records their transitions. *stored counts the results that were new.
 */
/* The results of one tenant whose certificate expires soon, announced once each. */
static int announce_certificates(PGconn *db, const struct target *targets, size_t from, size_t to,
                                 int *changes)
{
    long long soon = sw_now_ms() + MON_CERT_NOTICE_DAYS * 24LL * 3600 * 1000;
    struct pg_array ids;
    array_init(&ids);
    for (size_t i = from; i < to; i++) {
        const Sw__Monitors__Result *r = targets[i].result;
        if (r->has_tls_expires_unix_ms && r->tls_expires_unix_ms <= soon)
            array_put(&ids, r->endpoint_id, true);
    }
    int rc = 0;
    if (ids.text.len) {
        const char *literal = array_end(&ids);
        rc = literal ? mon_announce_expiring(db, targets[from].tenant_id, literal, changes)
                     : SW_EINTERNAL;
    }
    sw_buf_free(&ids.text);
    return rc;
}

/* The transitions' endpoints that a status page shows or that have an open outage incident. */
static const char INCIDENT_WORK_SQL[] =
    "SELECT t.id::text FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)"
    " WHERE EXISTS (SELECT 1 FROM status_page_components c WHERE c.endpoint_id = t.id)"
    " OR EXISTS (SELECT 1 FROM incidents i WHERE i.auto_endpoint_id = t.id"
    "   AND i.resolved_at IS NULL) ORDER BY t.n";

/* The status pages' incidents of the transitions (rows of the store statement's answer). */
static int transition_incidents(PGconn *db, const char *tenant_id, const PGresult *res,
                                const char *ids)
{
    PGresult *work = NULL;
    int rc = sw_pg_query(db, INCIDENT_WORK_SQL, 1, (const char *[]){ids}, &work);
    for (int w = 0; rc == 0 && w < PQntuples(work); w++)
        for (int row = 0; rc == 0 && row < PQntuples(res); row++)
            if (!PQgetisnull(res, row, 0) &&
                strcasecmp(PQgetvalue(res, row, 0), PQgetvalue(work, w, 0)) == 0)
                rc = mon_incidents_on_transition(db, tenant_id, PQgetvalue(res, row, 0),
                                                 PQgetvalue(res, row, 2), sw_pg_text(res, row, 9));
    PQclear(work);
    return rc;
}

/* The transition's reason: this region's run of checks, and the regions failing. */
static void transition_reason(const PGresult *res, int row, const struct reporter *who,
                              const char *error, char *out, size_t size)
{
    bool ok = sw_pg_bool(res, row, 5);
    long long failing = sw_pg_int(res, row, 7), regions = sw_pg_int(res, row, 8);
    char where[96] = "";
    if (regions > 1)
        snprintf(where, sizeof where, " in %s (failing in %lld of %lld regions)", who->region,
                 failing, regions);
    if (ok)
        snprintf(out, size, "%s consecutive successful checks%s", PQgetvalue(res, row, 4), where);
    else
        snprintf(out, size, "%s consecutive failed checks%s: %.200s", PQgetvalue(res, row, 3),
                 where, error);
}

/*
 * What the store statement answered (res: one row per transition, and the
 * count of results stored): the transitions' status_changes and outbox rows
 * in one statement, then the incidents of the few a status page shows.
 */
static int record_transitions(PGconn *db, const char *tenant_id, const struct reporter *who,
                              const PGresult *res, int *stored, int *changes)
{
    struct pg_array ids, froms, tos, reasons;
    array_init(&ids);
    array_init(&froms);
    array_init(&tos);
    array_init(&reasons);
    int n = 0;
    for (int row = 0; row < PQntuples(res); row++) {
        if (PQgetisnull(res, row, 0)) {
            *stored += (int)sw_pg_int(res, row, 6);
            continue;
        }
        char reason[400];
        transition_reason(res, row, who, sw_pg_text(res, row, 9), reason, sizeof reason);
        array_put(&ids, PQgetvalue(res, row, 0), false);
        array_put(&froms, PQgetvalue(res, row, 1), true);
        array_put(&tos, PQgetvalue(res, row, 2), true);
        array_put(&reasons, reason, true);
        n++;
    }
    const char *literals[] = {array_end(&ids), array_end(&froms), array_end(&tos),
                              array_end(&reasons)};
    int rc = 0;
    for (int i = 0; i < 4; i++)
        if (!literals[i])
            rc = SW_EINTERNAL;
    if (rc == 0 && n > 0)
        rc = mon_record_transitions(db, tenant_id, literals[0], literals[1], literals[2],
                                    literals[3]);
    if (rc == 0 && n > 0)
        rc = transition_incidents(db, tenant_id, res, literals[0]);
    if (rc == 0)
        *changes += n;
    sw_buf_free(&ids.text);
    sw_buf_free(&froms.text);
    sw_buf_free(&tos.text);
    sw_buf_free(&reasons.text);
    return rc;
}

static int store_group(PGconn *db, const struct reporter *who, const struct target *targets,
                       size_t from, size_t to, int *stored, int *changes)
{
    struct pg_array arrays[N_ARRAYS];
    for (int i = 0; i < N_ARRAYS; i++)
        array_init(&arrays[i]);
    for (size_t i = from; i < to; i++) {
        const Sw__Monitors__Result *r = targets[i].result;
        array_put(&arrays[A_ID], r->endpoint_id, true);
        array_put_int(&arrays[A_SLOT], r->scheduled_unix_ms);
        array_put_int(&arrays[A_STARTED], r->started_unix_ms);
        array_put(&arrays[A_OK], r->ok ? "t" : "f", false);
        array_put_opt_int(&arrays[A_CODE], r->has_status_code, r->status_code);
        array_put_opt_int(&arrays[A_TOTAL], r->has_total_ms, r->total_ms);
        array_put_opt_int(&arrays[A_DNS], r->has_dns_ms, r->dns_ms);
        array_put_opt_int(&arrays[A_CONNECT], r->has_connect_ms, r->connect_ms);
        array_put_opt_int(&arrays[A_TLS], r->has_tls_ms, r->tls_ms);
        array_put_opt_int(&arrays[A_TTFB], r->has_ttfb_ms, r->ttfb_ms);
        array_put_opt_text(&arrays[A_ERROR], r->error);
        array_put(&arrays[A_STATUS_OK], r->status_ok ? "t" : "f", false);
        array_put(&arrays[A_KEYWORD_OK], r->keyword_ok ? "t" : "f", false);
        array_put_opt_int(&arrays[A_TLS_EXPIRES], r->has_tls_expires_unix_ms,
                          r->tls_expires_unix_ms);
        array_put_int(&arrays[A_BUCKET],
                      mon_bucket_of(r->has_total_ms && r->total_ms > 0 ? r->total_ms : 0));
    }
    const char *params[18];
    int rc = 0;
    for (int i = 0; i < N_ARRAYS; i++)
        if (!(params[i < A_BUCKET ? i : 15] = array_end(&arrays[i])))
            rc = SW_EINTERNAL;
    char buckets[8];
    snprintf(buckets, sizeof buckets, "%d", MON_BUCKETS);
    params[14] = who->checker_id;
    params[16] = buckets;
    params[17] = who->region;
    PGresult *res = NULL;
    if (rc == 0)
        rc = sw_pg_query_prepared(db, STORE_RESULTS, 18, params, &res);
    if (rc == 0)
        rc = record_transitions(db, targets[from].tenant_id, who, res, stored, changes);
    PQclear(res);
    if (rc == 0)
        rc = announce_certificates(db, targets, from, to, changes);
    for (int i = 0; i < N_ARRAYS; i++)
        sw_buf_free(&arrays[i].text);
    return rc;
}

/*
 * Stores targets[from, to) in one transaction, one statement per tenant. On
 * any failure everything is rolled back and the caller falls back to one
 * transaction per result. The commit need not wait for the disk: a result
 * lost in a crash rolls its slot back with it, so the check simply runs again.
 */
static int store_batch(PGconn *db, const struct reporter *who, const struct target *targets,
                       size_t from, size_t to, int *stored, int *changes)
{
    int n_stored = 0, n_changes = 0;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_exec(db, "SET LOCAL synchronous_commit = off", 0, NULL);
    for (size_t start = from; rc == 0 && start < to;) {
        size_t end = start + 1;
        while (end < to && strcmp(targets[end].schema, targets[start].schema) == 0)
            end++;
        rc = sw_pg_set_search_path(db, targets[start].schema);
        /* Prepared under a tenant's search_path, where its tables resolve. */
        if (rc == 0)
            rc = sw_pg_prepare_once(db, STORE_RESULTS, STORE_RESULTS_SQL, 18);
        if (rc == 0)
            rc = store_group(db, who, targets, start, end, &n_stored, &n_changes);
        start = end;
    }
    rc = sw_pg_end(db, rc);
    if (rc)
        return rc;
    *stored += n_stored;
    *changes += n_changes;
    return 0;
}

int mon_store_results(PGconn *db, const Sw__Monitors__ReportResultsRequest *req, int *stored,
                      int *changes)
{
    const struct reporter who = {req->checker_id, req->region ? req->region : SW_REGION_DEFAULT};
    if (!sw_region_name_valid(who.region))
        return SW_EINVAL;
    struct target *targets = calloc(req->n_results ? req->n_results : 1, sizeof *targets);
    size_t n_targets = 0;
    int rc = targets ? find_targets(db, req, &who, targets, &n_targets) : SW_EINTERNAL;
    if (rc == 0 && store_batch(db, &who, targets, 0, n_targets, stored, changes) != 0) {
        /* Something in the batch failed: store what can be stored, one by one. */
        for (size_t i = 0; i < n_targets; i++) {
            int one_rc = store_batch(db, &who, targets, i, i + 1, stored, changes);
            if (one_rc == SW_EUNAVAIL) {
                rc = one_rc;
                break;
            }
            if (one_rc)
                sw_log_error("result for endpoint %s could not be stored; dropped",
                             targets[i].result->endpoint_id);
        }
    }
    free(targets);
    return rc;
}

void mon_report_results(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__ReportResultsRequest *req = request;
    if (req->n_results > MAX_REPORT) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "At most %d results per report.",
                      MAX_REPORT);
        return;
    }

    int stored = 0, changes = 0;
    int rc = mon_store_results(ctx->db, req, &stored, &changes);
    if (changes > 0)
        mon_publish_status_changed(ctx->service);

    if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        Sw__Monitors__ReportResultsReply out = SW__MONITORS__REPORT_RESULTS_REPLY__INIT;
        out.stored = stored;
        out.duplicates = (int32_t)req->n_results - stored;
        sw_reply_body(reply, &out.base);
    }
}
