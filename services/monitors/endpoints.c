/*
 * The endpoint routes: list, create, get, update (PUT/PATCH), delete, count.
 * The tenant comes from sw-tenants for the tenant id the gateway verified;
 * every statement runs in that tenant's schema, so an id from another tenant
 * is simply not found there. Reads are single prepared statements, each in
 * its own snapshot (tenant_sql.h); writes run in a transaction whose
 * search_path is the tenant's schema, with the endpoint's schedule row
 * written in the same transaction as the endpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_row.h"
#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_audit.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "tenant_sql.h"
#include "validate.h"

/*
 * One page, newest first, with the tenant's total (kept as data, counts.c) in
 * the last column of every row; $3 is the tenant. The page's first key is
 * found by walking the offset over the keys of the endpoints_newest index
 * only (first), from the newest end or, past the middle, from the oldest
 * (the total says which is shorter; the other branch is never run), and the
 * page is then read from that key on (keyset: the key is a value, not a
 * join, so that it is the index scan's condition): a deep page neither builds
 * nor skips whole rows, and the last page costs what the first does.
 */
static const char LIST_SQL[] =
    "WITH n AS (SELECT endpoints AS total FROM monitors.tenant_schemas WHERE tenant_id = $3::uuid),"
    " first AS ((SELECT created_at, id FROM {s}.endpoints"
    "   WHERE 2 * $2::bigint <= (SELECT total FROM n)"
    "   ORDER BY created_at DESC, id DESC OFFSET $2::bigint LIMIT 1)"
    " UNION ALL (SELECT created_at, id FROM {s}.endpoints"
    "   WHERE 2 * $2::bigint > (SELECT total FROM n) AND $2::bigint < (SELECT total FROM n)"
    "   ORDER BY created_at, id OFFSET greatest((SELECT total FROM n) - 1 - $2::bigint, 0)"
    "   LIMIT 1))"
    " SELECT " MON_ENDPOINT_COLUMNS ", (SELECT total FROM n)"
    " FROM {s}.endpoints e WHERE (e.created_at, e.id) <="
    "   ((SELECT created_at FROM first), (SELECT id FROM first))"
    " ORDER BY e.created_at DESC, e.id DESC LIMIT $1";
static const char GET_SQL[] = "SELECT " MON_ENDPOINT_COLUMNS
                              " FROM {s}.endpoints e WHERE e.id = $1";
static const char COUNT_SQL[] =
    "SELECT endpoints FROM monitors.tenant_schemas WHERE tenant_id = $1::uuid";

static void duplicate_url(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_ALREADY_EXISTS, "duplicate_endpoint",
                  "This URL is already monitored in your organisation.");
}

/* The reply for an endpoint row (row 0 of res), or 404 when there is none. */
static void reply_endpoint(const PGresult *res, struct sw_reply *reply)
{
    if (PQntuples(res) == 0) {
        mon_reply_not_found(reply);
        return;
    }
    Sw__Monitors__Endpoint endpoint;
    mon_endpoint_from_row(res, 0, &endpoint);
    Sw__Monitors__EndpointReply out = SW__MONITORS__ENDPOINT_REPLY__INIT;
    out.endpoint = &endpoint;
    sw_reply_body(reply, &out.base);
}

/* Text forms of the settings, in the column order of the INSERT and UPDATE below. */
struct settings_text {
    char numbers[8][16];
    const char *params[18];
};

#define N_SETTINGS 18

static const char *or_null(const char *text) { return text[0] ? text : NULL; }

static void settings_params(const struct mon_settings *s, struct settings_text *t)
{
    int values[] = {s->interval_seconds,       s->timeout_ms,         s->expected_status,
                    s->retry_interval_seconds, s->failure_threshold,  s->success_threshold,
                    s->grace_seconds,          s->min_failing_regions};
    for (int i = 0; i < 8; i++)
        snprintf(t->numbers[i], sizeof t->numbers[i], "%d", values[i]);
    t->params[0] = s->name;
    t->params[1] = or_null(s->url); /* a heartbeat has none */
    t->params[2] = s->method;
    t->params[3] = t->numbers[0];
    t->params[4] = t->numbers[1];
    t->params[5] = s->has_expected_status ? t->numbers[2] : NULL;
    t->params[6] = or_null(s->keyword);
    t->params[7] = t->numbers[3];
    t->params[8] = t->numbers[4];
    t->params[9] = t->numbers[5];
    t->params[10] = s->paused ? "true" : "false";
    t->params[11] = s->kind;
    t->params[12] = or_null(s->record_type);
    t->params[13] = or_null(s->expected_value);
    t->params[14] = t->numbers[6];
    t->params[15] = s->follow_redirects ? "true" : "false";
    t->params[16] = or_null(s->regions); /* NULL: every live region */
    t->params[17] = s->has_min_failing_regions ? t->numbers[7] : NULL;
}

/*
 * The regions a client names must have had a checker (monitors.regions, a
 * region is forgotten an hour after its last lease): a typo would otherwise
 * schedule checks nobody runs. A field error, and SW_EINVAL, otherwise.
 */
static int check_known_regions(PGconn *db, const struct mon_settings *s, struct sw_reply *reply)
{
    if (s->n_regions == 0)
        return 0;
    PGresult *res = NULL;
    const char *params[] = {s->regions};
    int rc = sw_pg_query(db,
                         "SELECT (SELECT string_agg(n, ', ') FROM unnest($1::text[]) n"
                         "   WHERE NOT EXISTS (SELECT 1 FROM monitors.regions r WHERE r.name = n)),"
                         " (SELECT string_agg(name, ', ' ORDER BY name) FROM monitors.regions)",
                         1, params, &res);
    if (rc == 0 && !PQgetisnull(res, 0, 0)) {
        char msg[600];
        snprintf(msg, sizeof msg, "No checker runs in %.200s (regions: %.300s).",
                 PQgetvalue(res, 0, 0),
                 PQgetisnull(res, 0, 1) ? "none yet" : PQgetvalue(res, 0, 1));
        sw_reply_field(reply, "regions", msg);
        rc = SW_EINVAL;
    }
    PQclear(res);
    return rc;
}

/* Fails the reply with 403 plan_limit_reached (`active_only`: resuming one). */
static int limit_reached(const struct mon_tenant *t, bool active_only, struct sw_reply *reply)
{
    if (active_only)
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "plan_limit_reached",
                      "Your plan allows %d active endpoints. Upgrade to resume this one.",
                      t->endpoint_limit);
    else
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "plan_limit_reached",
                      "Your plan allows %d endpoints. Upgrade to add more.", t->endpoint_limit);
    return SW_EPERM;
}

/*
 * Refuses to resume an endpoint when the tenant's active endpoints already
 * fill its plan; `counts` were read under the tenant's endpoint lock.
 */
static int check_room(const struct mon_tenant *t, const struct mon_counts *counts,
                      struct sw_reply *reply)
{
    if (!t->limited || counts->active < t->endpoint_limit)
        return 0;
    return limit_reached(t, true, reply);
}

/* The endpoint's settings as the audit log shows them before and after a change. */
static const char AUDIT_JSON_SQL[] =
    "SELECT jsonb_build_object('id', id, 'name', name, 'url', url, 'method', method,"
    " 'interval_seconds', interval_seconds, 'timeout_ms', timeout_ms, 'expected_status',"
    " expected_status, 'keyword', keyword, 'paused', paused, 'kind', kind, 'record_type',"
    " record_type, 'expected_value', expected_value, 'grace_seconds', grace_seconds,"
    " 'regions', regions, 'min_failing_regions', min_failing_regions)::text"
    " FROM endpoints WHERE id = $1";

/* The audit log's view of endpoint `id` into *json (owned; NULL when it is gone). */
static int audit_json(PGconn *db, const char *id, char **json)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    *json = NULL;
    int rc = sw_pg_query(db, AUDIT_JSON_SQL, 1, params, &res);
    if (rc == 0 && PQntuples(res) == 1)
        *json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

/* What a change is, for the audit log: who asked, which action, the endpoint before it. */
struct change_audit {
    const Sw__Envelope *env;
    const char *action; /* endpoint.create | endpoint.update | endpoint.delete */
    char *before;       /* owned by the caller */
};

/*
 * The end of a change to endpoint `id` in the tenant's transaction: its
 * schedule row (mon_schedule_sync), the endpoint as stored into *row when row
 * is given, the audit row, and the commit.
 */
static int finish_change(PGconn *db, const struct mon_tenant *t, const char *id, bool paused,
                         bool now, const struct change_audit *audit, PGresult **row)
{
    const char *params[] = {id};
    char *after = NULL;
    int rc = mon_schedule_sync(db, t, id, paused, now);
    if (rc == 0 && row)
        rc = mon_sql_query(db, t, GET_SQL, 1, params, row);
    if (rc == 0)
        rc = audit_json(db, id, &after);
    if (rc == 0)
        rc = sw_audit_write(db, audit->env,
                            &(struct sw_audit){.tenant_id = t->id,
                                               .action = audit->action,
                                               .target_type = "endpoint",
                                               .target_id = id,
                                               .before = audit->before,
                                               .after = after});
    if (rc == 0)
        rc = sw_pg_commit(db);
    free(after);
    return rc;
}

/*
 * A heartbeat's token (random, unguessable) is kept in the endpoint row and in
 * the global monitors.ping_tokens, written in the same transaction, so that a
 * ping finds its tenant and endpoint with one index lookup.
 */
static int insert_ping_token(PGconn *db, const struct mon_tenant *t, const char *id,
                             const char *token)
{
    const char *params[] = {token, t->id, t->schema, id};
    return sw_pg_exec(db,
                      "INSERT INTO monitors.ping_tokens (token, tenant_id, schema_name,"
                      " endpoint_id) VALUES ($1, $2, $3, $4)",
                      4, params);
}

/* Inserts the endpoint and its schedule row; *row: the endpoint as stored. */
static int insert_endpoint(PGconn *db, const struct mon_tenant *t, const struct mon_settings *s,
                           const Sw__Envelope *env, struct sw_reply *reply, PGresult **row)
{
    const struct change_audit audit = {env, "endpoint.create", NULL};
    struct settings_text text;
    settings_params(s, &text);
    char token[MON_PING_TOKEN_SIZE] = "";
    bool heartbeat = mon_is_kind(s, MON_KIND_HEARTBEAT);
    if (heartbeat && sw_random_token(MON_PING_TOKEN_BYTES, token, sizeof token) != 0)
        return SW_EINTERNAL;
    const char *params[N_SETTINGS + 1];
    memcpy(params, text.params, sizeof text.params);
    params[N_SETTINGS] = heartbeat ? token : NULL;
    PGresult *res = NULL;
    bool taken = false;
    int rc = mon_tenant_begin(db, t);
    if (rc == 0)
        rc = mon_counts_take(db, t, !s->paused, &taken);
    if (rc == 0 && !taken)
        rc = limit_reached(t, false, reply);
    if (rc == 0)
        rc = sw_pg_query(db,
                         "INSERT INTO endpoints (name, url, method, interval_seconds, timeout_ms,"
                         " expected_status, keyword, retry_interval_seconds, failure_threshold,"
                         " success_threshold, paused, kind, record_type, expected_value,"
                         " grace_seconds, follow_redirects, regions, min_failing_regions,"
                         " ping_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                         " $13, $14, $15, $16, $17, $18, $19) RETURNING id",
                         N_SETTINGS + 1, params, &res);
    if (rc == 0 && heartbeat)
        rc = insert_ping_token(db, t, PQgetvalue(res, 0, 0), token);
    if (rc == 0)
        rc = finish_change(db, t, PQgetvalue(res, 0, 0), s->paused, true, &audit, row);
    PQclear(res);
    return rc;
}

void mon_create_endpoint(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__CreateEndpointRequest *req = request;
    struct mon_service *svc = ctx->service;
    struct mon_tenant t;
    struct mon_change change;
    struct mon_settings s;
    if (mon_caller_tenant(ctx, reply, &t) != 0)
        return;
    if (t.suspended) {
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "account_suspended",
                      "This organisation is suspended.");
        return;
    }
    if (mon_change_check(req->input, &t, &svc->allow, true, &change, reply) != 0)
        return;
    mon_settings_defaults(&t, &s);
    mon_change_apply(&change, &s);
    if (mon_settings_check(&s, reply) != 0)
        return;
    int known = check_known_regions(ctx->db, &s, reply);
    if (known == SW_EINVAL)
        return;
    if (known) {
        sw_reply_fail_rc(reply, known);
        return;
    }

    PGresult *row = NULL;
    int rc = insert_endpoint(ctx->db, &t, &s, ctx->env, reply, &row);

    if (rc == SW_EPERM)
        mon_record_plan_limit(svc, ctx->db, t.id, reply->message);
    if (rc == SW_EEXISTS) {
        duplicate_url(reply);
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        reply_endpoint(row, reply);
        sw_log(SW_LOG_INFO, ctx->env->request_id, t.id, "endpoint %s created",
               sw_pg_text(row, 0, 0));
    }
    PQclear(row);
}

void mon_get_endpoint(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__GetEndpointRequest *req = request;
    const char *params[] = {req->id};
    PGresult *res = NULL;
    if (mon_caller_read(ctx, reply, true, "mon_get", GET_SQL, 1, params, &res) == 0)
        reply_endpoint(res, reply);
    PQclear(res);
}

/* Reads the stored settings of endpoint `id` (locked for update) into *s. */
static int load_settings(PGconn *db, const char *id, struct mon_settings *s)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT name, url, method, interval_seconds, timeout_ms, expected_status,"
                          " keyword, retry_interval_seconds, failure_threshold, success_threshold,"
                          " paused, kind, record_type, expected_value, grace_seconds,"
                          " follow_redirects, regions, cardinality(regions), min_failing_regions"
                          " FROM endpoints WHERE id = $1 FOR UPDATE",
                          id, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0) {
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", PQgetvalue(res, 0, 0));
        snprintf(s->url, sizeof s->url, "%s", PQgetvalue(res, 0, 1)); /* "" for NULL */
        snprintf(s->method, sizeof s->method, "%s", PQgetvalue(res, 0, 2));
        s->interval_seconds = (int)sw_pg_int(res, 0, 3);
        s->timeout_ms = (int)sw_pg_int(res, 0, 4);
        s->has_expected_status = !PQgetisnull(res, 0, 5);
        s->expected_status = (int)sw_pg_int(res, 0, 5);
        snprintf(s->keyword, sizeof s->keyword, "%s", sw_pg_text(res, 0, 6));
        s->retry_interval_seconds = (int)sw_pg_int(res, 0, 7);
        s->failure_threshold = (int)sw_pg_int(res, 0, 8);
        s->success_threshold = (int)sw_pg_int(res, 0, 9);
        s->paused = sw_pg_bool(res, 0, 10);
        snprintf(s->kind, sizeof s->kind, "%s", PQgetvalue(res, 0, 11));
        snprintf(s->record_type, sizeof s->record_type, "%s", PQgetvalue(res, 0, 12));
        snprintf(s->expected_value, sizeof s->expected_value, "%s", PQgetvalue(res, 0, 13));
        s->grace_seconds = (int)sw_pg_int(res, 0, 14);
        s->follow_redirects = sw_pg_bool(res, 0, 15);
        snprintf(s->regions, sizeof s->regions, "%s", PQgetvalue(res, 0, 16)); /* "" for NULL */
        s->n_regions = (int)sw_pg_int(res, 0, 17);
        s->has_min_failing_regions = !PQgetisnull(res, 0, 18);
        s->min_failing_regions = (int)sw_pg_int(res, 0, 18);
    }
    PQclear(res);
    return rc;
}

/* Writes the merged settings (the kind never changes); a new target starts over as "pending". */
static int store_settings(PGconn *db, const char *id, const struct mon_settings *s, bool new_target)
{
    struct settings_text text;
    settings_params(s, &text);
    const char *params[N_SETTINGS + 2];
    memcpy(params, text.params, sizeof text.params);
    params[N_SETTINGS] = id;
    params[N_SETTINGS + 1] = new_target ? "true" : "false";
    return sw_pg_exec(
        db,
        "UPDATE endpoints SET name = $1, url = $2, method = $3,"
        " interval_seconds = $4, timeout_ms = $5, expected_status = $6,"
        " keyword = $7, retry_interval_seconds = $8, failure_threshold = $9,"
        " success_threshold = $10, paused = $11, updated_at = now(),"
        " record_type = $13, expected_value = $14, grace_seconds = $15,"
        " follow_redirects = $16, paused_by_plan = paused_by_plan AND paused = $11,"
        " regions = $17, min_failing_regions = $18,"
        " status = CASE WHEN $20 THEN 'pending' ELSE status END,"
        " consecutive_failures = CASE WHEN $20 THEN 0 ELSE consecutive_failures END,"
        " consecutive_successes = CASE WHEN $20 THEN 0 ELSE consecutive_successes END,"
        " region_state = CASE WHEN $20 THEN '{}' ELSE region_state END"
        " WHERE id = $19 AND kind = $12",
        N_SETTINGS + 2, params);
}

/*
 * Applies the change to endpoint `id` (PUT: onto the defaults, PATCH: onto
 * what is stored) and reschedules it; *row: the endpoint as stored.
 */
static int update_endpoint(PGconn *db, const struct mon_tenant *t, const char *id,
                           const struct mon_change *change, bool replace,
                           struct change_audit *audit, struct sw_reply *reply, PGresult **row)
{
    struct mon_settings before, after;
    struct mon_counts counts;
    int rc = mon_tenant_begin(db, t);
    if (rc == 0)
        rc = mon_tenant_lock(db, t, &counts);
    if (rc == 0)
        rc = load_settings(db, id, &before);
    if (rc == 0)
        rc = audit_json(db, id, &audit->before);
    if (rc)
        return rc;
    if (replace)
        mon_settings_defaults(t, &after);
    else
        after = before;
    /* The kind is fixed: PUT keeps it when the body names none. */
    snprintf(after.kind, sizeof after.kind, "%s", before.kind);
    if (change->in->kind && strcmp(change->kind, before.kind) != 0) {
        sw_reply_field(reply, "kind", "The kind of an endpoint cannot be changed.");
        return SW_EINVAL;
    }
    mon_change_apply(change, &after);
    if (mon_settings_check(&after, reply) != 0)
        return SW_EINVAL;
    if (change->in->regions)
        rc = check_known_regions(db, &after, reply);
    if (rc)
        return rc;
    bool new_target = strcmp(before.url, after.url) != 0 ||
                      strcmp(before.method, after.method) != 0 ||
                      strcmp(before.record_type, after.record_type) != 0;
    bool resumed = before.paused && !after.paused;
    if (resumed)
        rc = check_room(t, &counts, reply);
    if (rc == 0)
        rc = store_settings(db, id, &after, new_target);
    if (rc == 0 && before.paused != after.paused)
        rc = mon_counts_add(db, t, 0, resumed ? 1 : -1);
    if (rc == 0)
        rc = finish_change(db, t, id, after.paused, new_target || resumed, audit, row);
    return rc;
}

void mon_update_endpoint(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__UpdateEndpointRequest *req = request;
    struct mon_service *svc = ctx->service;
    struct mon_tenant t;
    struct mon_change change;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;
    if (mon_change_check(req->input, &t, &svc->allow, false, &change, reply) != 0)
        return;

    PGresult *row = NULL;
    struct change_audit audit = {ctx->env, "endpoint.update", NULL};
    int rc = update_endpoint(ctx->db, &t, req->id, &change, req->replace, &audit, reply, &row);
    free(audit.before);

    if (rc == SW_EEXISTS)
        duplicate_url(reply);
    else if (rc == SW_ENOTFOUND)
        mon_reply_not_found(reply);
    else if (rc == SW_EINVAL && reply->n_fields > 0)
        ; /* the field errors are the answer */
    else if (rc)
        sw_reply_fail_rc(reply, rc);
    else
        reply_endpoint(row, reply);
    PQclear(row);
}

static int delete_endpoint(PGconn *db, const struct mon_tenant *t, const char *id,
                           const Sw__Envelope *env)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    struct change_audit audit = {env, "endpoint.delete", NULL};
    int rc = mon_tenant_begin(db, t);
    if (rc == 0)
        rc = mon_tenant_lock(db, t, NULL);
    if (rc == 0)
        rc = audit_json(db, id, &audit.before);
    /* The schedule row first: that waits for a result being stored (which holds it), so the
     * results deleted next are all there are (check_results has no foreign key). */
    if (rc == 0)
        rc = mon_schedule_sync(db, t, id, true, false);
    if (rc == 0)
        rc = sw_pg_exec(db, "DELETE FROM check_results WHERE endpoint_id = $1", 1, params);
    if (rc == 0)
        rc = sw_pg_query(db, "DELETE FROM endpoints WHERE id = $1 RETURNING paused", 1, params,
                         &res);
    if (rc == 0) /* a heartbeat's token stops working with it */
        rc = sw_pg_exec(db, "DELETE FROM monitors.ping_tokens WHERE endpoint_id = $1", 1, params);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = mon_counts_add(db, t, -1, sw_pg_bool(res, 0, 0) ? 0 : -1);
    if (rc == 0)
        rc = finish_change(db, t, id, true, false, &audit, NULL);
    free(audit.before);
    PQclear(res);
    return rc;
}

void mon_delete_endpoint(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__DeleteEndpointRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;

    int rc = delete_endpoint(ctx->db, &t, req->id, ctx->env);

    if (rc == SW_ENOTFOUND) {
        mon_reply_not_found(reply);
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        Sw__Monitors__DeleteEndpointReply out = SW__MONITORS__DELETE_ENDPOINT_REPLY__INIT;
        sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, t.id, "endpoint %s deleted", req->id);
    }
}

void mon_list_endpoints(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Monitors__ListEndpointsRequest *req = request;
    struct sw_rows_page page;
    if (!sw_rows_page(req->page, req->page_size, &page)) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "page and page_size start at 1.");
        return;
    }
    const char *params[] = {page.limit, page.offset, ctx->env->tenant_id};
    PGresult *res = NULL;
    if (mon_caller_read(ctx, reply, false, "mon_list", LIST_SQL, 3, params, &res) != 0)
        return;

    if (req->page > 1 && PQntuples(res) == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
    } else {
        Sw__Monitors__ListEndpointsReply out = SW__MONITORS__LIST_ENDPOINTS_REPLY__INIT;
        out.count = PQntuples(res) ? sw_pg_int(res, 0, MON_ENDPOINT_N_COLUMNS) : 0;
        sw_rows_reply(reply, 0, res, sizeof(Sw__Monitors__Endpoint), mon_endpoint_from_row,
                      &out.base, &out.n_endpoints, &out.endpoints);
    }
    PQclear(res);
}

void mon_count_endpoints(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    const char *params[] = {ctx->env->tenant_id};
    PGresult *res = NULL;
    if (mon_caller_read(ctx, reply, false, "mon_count", COUNT_SQL, 1, params, &res) == 0) {
        Sw__Monitors__CountEndpointsReply out = SW__MONITORS__COUNT_ENDPOINTS_REPLY__INIT;
        out.count = PQntuples(res) ? (int32_t)sw_pg_int(res, 0, 0) : 0;
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}
