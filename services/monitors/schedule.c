/*
 * The checkers' side: leasing due checks and storing their results.
 *
 * A schedule row holds one pending slot per active endpoint. Leasing moves
 * due_at to the lease expiry, so a check whose checker died becomes due again
 * by itself; after three leases without a result the slot is dead-lettered.
 * A result is stored only for the slot that is still pending, once
 * (UNIQUE (endpoint_id, scheduled_at)); storing it advances the slot, updates
 * the endpoint's status and the hourly rollup, and writes any status
 * transition with its outbox row, all in one statement and one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "monitors.pb-c.h"
#include "rollup.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_status.h"

#define DEAD_LETTER_LEASES 3
#define MAX_REPORT 2000
#define STORE_RESULT "mon_store_result"

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
    if (rc == 0)
        rc = sw_pg_commit(db);
    if (rc)
        sw_pg_rollback(db);
    else if (PQntuples(dead) > 0)
        sw_log_warn("dead-lettered %d checks after %d expired leases", PQntuples(dead),
                    DEAD_LETTER_LEASES);
    PQclear(dead);
    return rc;
}

static void check_from_row(const PGresult *res, int row, Sw__Monitors__Check *c)
{
    sw__monitors__check__init(c);
    c->endpoint_id = (char *)sw_pg_text(res, row, 0);
    c->scheduled_unix_ms = sw_pg_int(res, row, 1);
    c->url = (char *)sw_pg_text(res, row, 2);
    c->method = (char *)sw_pg_text(res, row, 3);
    c->timeout_ms = (int32_t)sw_pg_int(res, row, 4);
    c->expected_status = (int32_t)sw_pg_int(res, row, 5);
    c->keyword = (char *)sw_pg_text(res, row, 6);
    c->attempt = (int32_t)sw_pg_int(res, row, 7);
}

int mon_lease_checks(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                     struct sw_reply *reply)
{
    struct mon_service *svc = ctx->service;
    Sw__Monitors__LeaseChecksRequest *req =
        sw__monitors__lease_checks_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    PGresult *res = NULL;
    Sw__Monitors__Check *store = NULL;
    Sw__Monitors__Check **ptrs = NULL;
    int rc = dead_letter_pass(ctx->db);
    if (rc == 0) {
        char max[16], lease[16];
        int n = req->max_checks < 1 ? 1 : req->max_checks;
        snprintf(max, sizeof max, "%d", n > svc->max_lease_batch ? svc->max_lease_batch : n);
        int seconds = req->lease_seconds > 0 ? req->lease_seconds : svc->default_lease_seconds;
        snprintf(lease, sizeof lease, "%d", seconds < 2 ? 2 : seconds > 600 ? 600 : seconds);
        const char *params[] = {max, req->checker_id, lease};
        /* The lease outlasts the check's own timeout, whatever the checker asked for. */
        rc = sw_pg_query(
            ctx->db,
            "WITH due AS (SELECT endpoint_id FROM monitors.schedule"
            "   WHERE due_at <= now() AND leases < 3"
            "   ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
            " UPDATE monitors.schedule s SET leases = s.leases + 1, leased_by = $2,"
            "   leased_at = now(), due_at = now() + greatest($3::int,"
            "   ceil(s.timeout_ms / 1000.0)::int + 5) * interval '1 second'"
            " FROM due WHERE s.endpoint_id = due.endpoint_id"
            " RETURNING s.endpoint_id, monitors.to_ms(s.slot_at), s.url, s.method, s.timeout_ms,"
            "   coalesce(s.expected_status, 0), coalesce(s.keyword, ''), s.leases,"
            "   monitors.to_ms(s.due_at)",
            3, params, &res);
    }
    if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        store = calloc(n ? n : 1, sizeof *store);
        ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        Sw__Monitors__LeaseChecksReply out = SW__MONITORS__LEASE_CHECKS_REPLY__INIT;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            check_from_row(res, (int)i, &store[i]);
            ptrs[i] = &store[i];
            long long expires = sw_pg_int(res, (int)i, 8);
            if (out.lease_expires_unix_ms == 0 || expires < out.lease_expires_unix_ms)
                out.lease_expires_unix_ms = expires;
        }
        out.n_checks = n;
        out.checks = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    sw__monitors__lease_checks_request__free_unpacked(req, NULL);
    return rc;
}

/* Stores one result with search_path on its tenant; see the file comment. */
static const char STORE_RESULT_SQL[] =
    "WITH slot AS (SELECT s.endpoint_id, s.slot_at FROM monitors.schedule s"
    "   WHERE s.endpoint_id = $1 AND s.slot_at = monitors.from_ms($2) FOR UPDATE),"
    " ins AS (INSERT INTO check_results (endpoint_id, scheduled_at, checked_at, ok, status_code,"
    "   latency_ms, dns_ms, connect_ms, tls_ms, ttfb_ms, error, status_ok, keyword_ok,"
    "   tls_expires_at, checker_id)"
    "   SELECT slot.endpoint_id, slot.slot_at, monitors.from_ms($3), $4, nullif($5::int, -1),"
    "   nullif($6::int, -1), nullif($7::int, -1), nullif($8::int, -1), nullif($9::int, -1),"
    "   nullif($10::int, -1), nullif($11, ''), $12, $13,"
    "   CASE WHEN $14::bigint > 0 THEN monitors.from_ms($14) END, $15 FROM slot"
    "   ON CONFLICT (endpoint_id, scheduled_at) DO NOTHING"
    "   RETURNING endpoint_id, checked_at, ok, latency_ms, status_code, error, tls_expires_at),"
    " old AS (SELECT e.id, e.status FROM endpoints e JOIN ins ON e.id = ins.endpoint_id),"
    " upd AS (UPDATE endpoints e SET"
    "   consecutive_failures = CASE WHEN i.ok THEN 0 ELSE e.consecutive_failures + 1 END,"
    "   consecutive_successes = CASE WHEN i.ok THEN e.consecutive_successes + 1 ELSE 0 END,"
    "   status = CASE WHEN i.ok AND e.consecutive_successes + 1 >= e.success_threshold THEN 'up'"
    "     WHEN NOT i.ok AND e.consecutive_failures + 1 >= e.failure_threshold THEN 'down'"
    "     ELSE e.status END,"
    "   last_checked_at = i.checked_at, last_latency_ms = i.latency_ms,"
    "   last_status_code = i.status_code, last_error = i.error,"
    "   tls_expires_at = coalesce(i.tls_expires_at, e.tls_expires_at)"
    "   FROM ins i WHERE e.id = i.endpoint_id"
    "   RETURNING e.id, e.status, e.interval_seconds, e.retry_interval_seconds, i.ok,"
    "   e.consecutive_failures, e.consecutive_successes),"
    /* Confirming a change (a failure not yet DOWN, a success not yet UP) uses the short
     * retry interval; otherwise the endpoint keeps its cadence. */
    " sched AS (UPDATE monitors.schedule s SET slot_at = n.next_at, due_at = n.next_at,"
    "   leases = 0, leased_by = NULL, leased_at = NULL"
    "   FROM (SELECT u.id, CASE WHEN (u.ok AND u.status <> 'up') OR (NOT u.ok AND u.status <> 'down')"
    "     THEN monitors.now_ms() + u.retry_interval_seconds * interval '1 second'"
    "     ELSE greatest(slot.slot_at + u.interval_seconds * interval '1 second',"
    "       monitors.now_ms()) END AS next_at FROM upd u, slot) n"
    "   WHERE s.endpoint_id = n.id),"
    " roll AS (INSERT INTO rollups_hourly AS r (endpoint_id, hour, checks, ok, latency_hist)"
    "   SELECT endpoint_id, date_trunc('hour', checked_at), 1, ok::int, $17::int[] FROM ins"
    "   ON CONFLICT (endpoint_id, hour) DO UPDATE SET checks = r.checks + 1,"
    "   ok = r.ok + EXCLUDED.ok,"
    "   latency_hist[$16] = r.latency_hist[$16] + EXCLUDED.latency_hist[$16])"
    " SELECT old.status, upd.status, upd.consecutive_failures, upd.consecutive_successes"
    " FROM old JOIN upd ON upd.id = old.id";

/* Where each reported endpoint's tenant data lives (from its schedule row). */
struct target {
    const Sw__Monitors__Result *result;
    char tenant_id[40];
    char schema[40];
};

static int find_targets(PGconn *db, const Sw__Monitors__ReportResultsRequest *req,
                        struct target *targets, size_t *n_targets)
{
    /* "{id,id,…}" of the well-formed ids. */
    size_t size = req->n_results * 38 + 3, pos = 0;
    char *ids = malloc(size);
    if (!ids)
        return SW_EINTERNAL;
    ids[pos++] = '{';
    for (size_t i = 0; i < req->n_results; i++)
        if (mon_is_uuid(req->results[i]->endpoint_id))
            pos += (size_t)snprintf(ids + pos, size - pos, "%s%s", pos > 1 ? "," : "",
                                    req->results[i]->endpoint_id);
    snprintf(ids + pos, size - pos, "}");
    const char *params[] = {ids};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT endpoint_id, tenant_id, schema_name FROM monitors.schedule"
                         " WHERE endpoint_id = ANY($1::uuid[]) ORDER BY schema_name",
                         1, params, &res);
    free(ids);
    *n_targets = 0;
    for (int row = 0; rc == 0 && row < PQntuples(res); row++) {
        for (size_t i = 0; i < req->n_results; i++) {
            if (strcasecmp(req->results[i]->endpoint_id, PQgetvalue(res, row, 0)) != 0)
                continue;
            struct target *t = &targets[(*n_targets)++];
            t->result = req->results[i];
            snprintf(t->tenant_id, sizeof t->tenant_id, "%s", PQgetvalue(res, row, 1));
            snprintf(t->schema, sizeof t->schema, "%s", PQgetvalue(res, row, 2));
        }
    }
    PQclear(res);
    return rc;
}

/* Stores one result; *stored and *changed say what happened. */
static int store_one(PGconn *db, const char *checker_id, const struct target *t, bool *stored,
                     bool *changed)
{
    const Sw__Monitors__Result *r = t->result;
    char slot[24], started[24], code[16], total[16], dns[16], conn[16], tls[16], ttfb[16],
        tls_exp[24], bucket[8], hist[MON_BUCKETS * 2 + 4];
    snprintf(slot, sizeof slot, "%lld", (long long)r->scheduled_unix_ms);
    snprintf(started, sizeof started, "%lld", (long long)r->started_unix_ms);
    snprintf(code, sizeof code, "%d", r->status_code);
    snprintf(total, sizeof total, "%d", r->total_ms);
    snprintf(dns, sizeof dns, "%d", r->dns_ms);
    snprintf(conn, sizeof conn, "%d", r->connect_ms);
    snprintf(tls, sizeof tls, "%d", r->tls_ms);
    snprintf(ttfb, sizeof ttfb, "%d", r->ttfb_ms);
    snprintf(tls_exp, sizeof tls_exp, "%lld", (long long)r->tls_expires_unix_ms);
    int b = r->ok && r->total_ms >= 0 ? mon_bucket_of(r->total_ms) : 1;
    snprintf(bucket, sizeof bucket, "%d", b);
    mon_bucket_array(r->ok && r->total_ms >= 0 ? b : 0, hist, sizeof hist);
    const char *params[] = {r->endpoint_id, slot, started, r->ok ? "true" : "false", code, total,
                            dns, conn, tls, ttfb, r->error, r->status_ok ? "true" : "false",
                            r->keyword_ok ? "true" : "false", tls_exp, checker_id, bucket, hist};
    PGresult *res = NULL;
    int rc = sw_pg_query_prepared(db, STORE_RESULT, 17, params, &res);
    *stored = rc == 0 && PQntuples(res) == 1;
    *changed = false;
    if (*stored && strcmp(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1)) != 0) {
        char reason[300];
        if (r->ok)
            snprintf(reason, sizeof reason, "%s consecutive successful checks",
                     PQgetvalue(res, 0, 3));
        else
            snprintf(reason, sizeof reason, "%s consecutive failed checks: %.200s",
                     PQgetvalue(res, 0, 2), r->error);
        rc = mon_record_transition(db, t->tenant_id, r->endpoint_id, PQgetvalue(res, 0, 0),
                                   PQgetvalue(res, 0, 1), reason);
        *changed = rc == 0;
    }
    PQclear(res);
    return rc;
}

/*
 * Stores targets[from, to) in one transaction. On any failure everything is
 * rolled back and the caller falls back to one transaction per result.
 */
static int store_batch(PGconn *db, const char *checker_id, const struct target *targets,
                       size_t from, size_t to, bool *prepared, int *stored, int *changes)
{
    int rc = sw_pg_begin(db);
    const char *schema = "";
    int n_stored = 0, n_changes = 0;
    for (size_t i = from; rc == 0 && i < to; i++) {
        if (strcmp(schema, targets[i].schema) != 0) {
            rc = sw_pg_set_search_path(db, targets[i].schema);
            schema = targets[i].schema;
            /* Prepared under a tenant's search_path, where its tables resolve. */
            if (rc == 0 && !*prepared) {
                rc = sw_pg_prepare(db, STORE_RESULT, STORE_RESULT_SQL, 17);
                *prepared = rc == 0;
            }
        }
        bool one_stored = false, changed = false;
        if (rc == 0)
            rc = store_one(db, checker_id, &targets[i], &one_stored, &changed);
        n_stored += one_stored;
        n_changes += changed;
    }
    if (rc == 0)
        rc = sw_pg_commit(db);
    if (rc) {
        sw_pg_rollback(db);
        return rc;
    }
    *stored += n_stored;
    *changes += n_changes;
    return 0;
}

int mon_report_results(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                       struct sw_reply *reply)
{
    Sw__Monitors__ReportResultsRequest *req =
        sw__monitors__report_results_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    if (req->n_results > MAX_REPORT) {
        sw__monitors__report_results_request__free_unpacked(req, NULL);
        sw_reply_error(reply, SW_INVALID_ARGUMENT, NULL, "At most %d results per report.",
                       MAX_REPORT);
        return 0;
    }
    struct target *targets = calloc(req->n_results ? req->n_results : 1, sizeof *targets);
    size_t n_targets = 0;
    int stored = 0, changes = 0;
    int rc = targets ? find_targets(ctx->db, req, targets, &n_targets) : SW_EINTERNAL;
    bool prepared = rc == 0 && sw_pg_is_prepared(ctx->db, STORE_RESULT);
    if (rc == 0 && store_batch(ctx->db, req->checker_id, targets, 0, n_targets, &prepared,
                               &stored, &changes) != 0) {
        /* Something in the batch failed: store what can be stored, one by one. */
        for (size_t i = 0; i < n_targets; i++) {
            int one_rc = store_batch(ctx->db, req->checker_id, targets, i, i + 1, &prepared,
                                     &stored, &changes);
            if (one_rc == SW_EUNAVAIL) {
                rc = one_rc;
                break;
            }
            if (one_rc)
                sw_log_error("result for endpoint %s could not be stored; dropped",
                             targets[i].result->endpoint_id);
        }
    }
    if (changes > 0)
        mon_publish_status_changed(ctx->service);
    if (rc == 0) {
        Sw__Monitors__ReportResultsReply out = SW__MONITORS__REPORT_RESULTS_REPLY__INIT;
        out.stored = stored;
        out.duplicates = (int32_t)req->n_results - stored;
        rc = sw_reply_body(reply, &out.base);
    }
    free(targets);
    sw__monitors__report_results_request__free_unpacked(req, NULL);
    return rc;
}
