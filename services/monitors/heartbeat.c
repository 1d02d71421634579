/*
 * Heartbeats (api.md "More kinds of monitor"): nothing probes them; the
 * monitored job calls GET|POST /api/ping/{token}/ (or .../fail) and the
 * gateway calls monitors.Ping without a tenant.
 *
 * A heartbeat's schedule row (monitors.schedule, kind 'heartbeat', never
 * leased) holds, as its slot, the moment the next ping is overdue: the last
 * ping (or miss) + interval + grace. A ping stores a result for that pending
 * slot through the same statement as the checkers' results (schedule.c), so
 * status, rollups, uptime, transitions, alerts and incidents work as for any
 * other kind; storing it moves the slot to now + interval + grace. The
 * watcher (a thread with its own connection) stores a failed result for every
 * heartbeat whose slot has passed, every HEARTBEAT_SCAN_MS, so an overdue
 * heartbeat is down within that long of the moment (api.md: within 30 s).
 * A ping and the watcher racing for one slot are settled by the slot itself:
 * only one result is stored per slot, and a ping that lost reads the new slot
 * and is stored for it.
 *
 * A ping that says what a result of the last interval already said (a
 * success while up, a /fail while down) is not stored again: it only moves
 * the deadline. So however often a job pings, a heartbeat stores at most about
 * one result per interval (the plan's minimum bounds it, as for checks), and
 * every change of status is stored at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "sw_time.h"
#include "tenant_sql.h"
#include "validate.h"

#define HEARTBEAT_SCAN_MS 5000
#define HEARTBEAT_BATCH 500
#define HEARTBEAT_BATCH_TEXT "500"
#define HEARTBEAT_MAX_BATCHES 20
/* The checker id stored with results that no checker produced. */
#define PING_SOURCE "ping"
#define WATCHER_SOURCE "heartbeat-watcher"
/* A ping that loses its slot to a concurrent miss tries the new slot (at most this often). */
#define PING_TRIES 3

/* Tokens are unpadded base64url (sw_random_token); anything else is not one of ours. */
static bool token_is_wellformed(const char *token)
{
    size_t len = strlen(token);
    if (len < 16 || len >= MON_PING_TOKEN_SIZE)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static const char PING_SLOT_SQL[] =
    "SELECT t.endpoint_id, monitors.to_ms(s.slot_at), t.schema_name FROM monitors.ping_tokens t"
    " LEFT JOIN monitors.schedule s ON s.endpoint_id = t.endpoint_id WHERE t.token = $1";

/* A heartbeat's deadline moved on by a ping, if the slot read is still the pending one. */
static const char MOVE_SQL[] =
    "UPDATE monitors.schedule SET slot_at = monitors.now_ms() + (interval_seconds + grace_seconds)"
    " * interval '1 second', due_at = monitors.now_ms() + (interval_seconds + grace_seconds)"
    " * interval '1 second' WHERE endpoint_id = $1 AND slot_at = monitors.from_ms($2)";

/* What a ping needs to know of its heartbeat. */
struct ping_target {
    char endpoint_id[40];
    struct mon_tenant tenant; /* only the schema is known (and needed) */
    bool scheduled;           /* false: paused, not on the schedule */
    long long slot_ms;        /* the pending slot: when the next ping is overdue */
};

/* The heartbeat of token into *t; SW_ENOTFOUND for an unknown token. */
static int ping_target(PGconn *db, const char *token, struct ping_target *t)
{
    const char *params[] = {token};
    PGresult *res = NULL;
    memset(t, 0, sizeof *t);
    int rc = sw_pg_run(db, "mon_ping_slot", PING_SLOT_SQL, 1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0) {
        snprintf(t->endpoint_id, sizeof t->endpoint_id, "%s", PQgetvalue(res, 0, 0));
        snprintf(t->tenant.schema, sizeof t->tenant.schema, "%s", PQgetvalue(res, 0, 2));
        t->scheduled = !PQgetisnull(res, 0, 1);
        t->slot_ms = t->scheduled ? sw_pg_int(res, 0, 1) : 0;
    }
    PQclear(res);
    return rc;
}

/* Whether the heartbeat already says what this ping says, from a result of this interval. */
static const char SAME_SQL[] =
    "SELECT e.status = CASE WHEN $2::bool THEN 'down' ELSE 'up' END"
    " AND e.last_checked_at > now() - e.interval_seconds * interval '1 second'"
    " FROM {s}.endpoints e WHERE e.id = $1";

static int says_the_same(PGconn *db, const struct ping_target *t, bool fail, bool *same)
{
    const char *params[] = {t->endpoint_id, fail ? "true" : "false"};
    PGresult *res = NULL;
    int rc = mon_sql_read(db, &t->tenant, "mon_ping_same", SAME_SQL, 2, params, &res);
    *same = rc == 0 && PQntuples(res) == 1 && sw_pg_bool(res, 0, 0);
    PQclear(res);
    return rc;
}

/*
 * A ping that changes nothing moves the deadline only (no stored result), if
 * its slot is still the pending one; *moved says whether it was.
 */
static int move_deadline(PGconn *db, const struct ping_target *t, bool *moved)
{
    char slot[24];
    snprintf(slot, sizeof slot, "%lld", t->slot_ms);
    const char *params[] = {t->endpoint_id, slot};
    PGresult *res = NULL;
    int rc = sw_pg_run(db, "mon_ping_move", MOVE_SQL, 2, params, &res);
    *moved = rc == 0 && strtoll(PQcmdTuples(res), NULL, 10) > 0;
    PQclear(res);
    return rc;
}

/* Stores one result from outside the checkers; *stored: whether its slot took it. */
static int store_one(struct mon_service *svc, PGconn *db, const char *source,
                     Sw__Monitors__Result *result, bool *stored)
{
    Sw__Monitors__Result *results[] = {result};
    Sw__Monitors__ReportResultsRequest req = SW__MONITORS__REPORT_RESULTS_REQUEST__INIT;
    req.checker_id = (char *)source;
    req.n_results = 1;
    req.results = results;
    int n_stored = 0, changes = 0;
    int rc = mon_store_results(db, &req, &n_stored, &changes);
    if (changes > 0)
        mon_publish_status_changed(svc);
    *stored = n_stored > 0;
    return rc;
}

static const char FAIL_REPORTED[] = "the job reported a failure (/fail)";

void mon_ping(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__PingRequest *req = request;
    if (!token_is_wellformed(req->token)) {
        sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
        return;
    }
    int rc = 0;
    bool done = false;
    for (int attempt = 0; rc == 0 && !done && attempt < PING_TRIES; attempt++) {
        struct ping_target t;
        rc = ping_target(ctx->db, req->token, &t);
        if (rc || !t.scheduled) /* a paused heartbeat takes pings and keeps nothing */
            break;
        /* A ping that says what a result of this interval already said stores nothing
         * more: results stay within the endpoint's interval (so the plan's), and only
         * the deadline moves. A change of status is always stored at once. */
        bool same = false;
        rc = says_the_same(ctx->db, &t, req->fail, &same);
        if (rc == 0 && same) {
            rc = move_deadline(ctx->db, &t, &done);
            continue;
        }
        Sw__Monitors__Result result = SW__MONITORS__RESULT__INIT;
        result.endpoint_id = t.endpoint_id;
        result.scheduled_unix_ms = t.slot_ms;
        result.started_unix_ms = sw_now_ms();
        result.ok = result.status_ok = !req->fail;
        result.keyword_ok = 1;
        result.error = req->fail ? (char *)FAIL_REPORTED : NULL;
        if (rc == 0)
            rc = store_one(ctx->service, ctx->db, PING_SOURCE, &result, &done);
    }
    if (rc == SW_ENOTFOUND) {
        sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        Sw__Monitors__PingReply out = SW__MONITORS__PING_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
}

static const char OVERDUE_SQL[] =
    "SELECT endpoint_id, monitors.to_ms(slot_at), interval_seconds + grace_seconds"
    " FROM monitors.schedule WHERE kind = 'heartbeat' AND due_at <= now()"
    " ORDER BY due_at LIMIT " HEARTBEAT_BATCH_TEXT;

/* Stores a miss for every overdue heartbeat of one batch; *n: how many were overdue. */
static int record_misses(struct mon_service *svc, PGconn *db, int *n)
{
    PGresult *res = NULL;
    *n = 0;
    int rc = sw_pg_run(db, "mon_overdue", OVERDUE_SQL, 0, NULL, &res);
    int rows = rc == 0 ? PQntuples(res) : 0;
    Sw__Monitors__Result *results = calloc(rows ? (size_t)rows : 1, sizeof *results);
    Sw__Monitors__Result **pointers = calloc(rows ? (size_t)rows : 1, sizeof *pointers);
    char(*errors)[96] = calloc(rows ? (size_t)rows : 1, sizeof *errors);
    if (!results || !pointers || !errors)
        rc = SW_EINTERNAL;
    long long now = sw_now_ms();
    for (int i = 0; rc == 0 && i < rows; i++) {
        Sw__Monitors__Result init = SW__MONITORS__RESULT__INIT;
        results[i] = init;
        results[i].endpoint_id = PQgetvalue(res, i, 0);
        results[i].scheduled_unix_ms = sw_pg_int(res, i, 1);
        results[i].started_unix_ms = now;
        results[i].keyword_ok = 1;
        snprintf(errors[i], sizeof errors[i], "no ping within %s s (interval + grace)",
                 PQgetvalue(res, i, 2));
        results[i].error = errors[i];
        pointers[i] = &results[i];
    }
    if (rc == 0 && rows > 0) {
        Sw__Monitors__ReportResultsRequest req = SW__MONITORS__REPORT_RESULTS_REQUEST__INIT;
        req.checker_id = WATCHER_SOURCE;
        req.n_results = (size_t)rows;
        req.results = pointers;
        int stored = 0, changes = 0;
        rc = mon_store_results(db, &req, &stored, &changes);
        if (changes > 0)
            mon_publish_status_changed(svc);
        *n = rows;
    }
    free(errors);
    free(pointers);
    free(results);
    PQclear(res);
    return rc;
}

static long long watch(struct sw_ticker *ticker, void *arg)
{
    struct mon_service *svc = arg;
    PGconn *db = sw_ticker_db(ticker);
    int n = HEARTBEAT_BATCH;
    /* Bounded, so that rows that cannot be stored never keep the thread spinning. */
    for (int batch = 0;
         db && n == HEARTBEAT_BATCH && batch < HEARTBEAT_MAX_BATCHES && !sw_ticker_stopping(ticker);
         batch++) {
        if (record_misses(svc, db, &n) != 0) {
            sw_log_warn("heartbeat watcher: could not record missed pings; trying again");
            break;
        }
    }
    return sw_now_ms() + HEARTBEAT_SCAN_MS;
}

int mon_heartbeats_start(struct mon_service *svc)
{
    return sw_ticker_start_db(svc->cfg.database_url, sw_now_ms() + HEARTBEAT_SCAN_MS, watch, svc,
                              &svc->heartbeats);
}
