/*
 * The endpoint routes: list, create, get, update (PUT/PATCH), delete, count.
 * Every query runs in a transaction whose search_path is the caller's tenant
 * schema, which comes from sw-tenants for the tenant id the gateway verified;
 * an id from another tenant is simply not found there. The schedule row of an
 * endpoint is written in the same transaction as the endpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_row.h"
#include "monitors.h"
#include "monitors.pb-c.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "validate.h"

#define MAX_PAGE_SIZE 100


/* Loads the caller's tenant, answering the reply itself on failure. */
static int caller_tenant(struct sw_rpc_ctx *ctx, struct sw_reply *reply, struct mon_tenant *t)
{
    int rc = mon_tenant_get(ctx->service, ctx->db, ctx->env, t);
    if (rc == SW_ENOTFOUND)
        sw_reply_error(reply, SW_NOT_FOUND, NULL, "No such organisation.");
    else if (rc == SW_EUNAVAIL)
        sw_reply_error(reply, SW_UNAVAILABLE, "service_unavailable",
                       "The organisation service is not answering; try again shortly.");
    return rc;
}

static void not_found(struct sw_reply *reply)
{
    sw_reply_error(reply, SW_NOT_FOUND, NULL, "Not found.");
}

/* Sends the endpoint `id` of the current transaction's tenant as the reply. */
static int reply_endpoint(PGconn *db, const char *id, struct sw_reply *reply)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db, "SELECT " MON_ENDPOINT_COLUMNS " FROM endpoints e WHERE e.id = $1",
                         1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0) {
        Sw__Monitors__Endpoint endpoint;
        mon_endpoint_from_row(res, 0, &endpoint);
        Sw__Monitors__EndpointReply out = SW__MONITORS__ENDPOINT_REPLY__INIT;
        out.endpoint = &endpoint;
        rc = sw_reply_body(reply, &out.base);
    }
    PQclear(res);
    return rc;
}

/* Text forms of the settings, in the column order of the INSERT and UPDATE below. */
struct settings_text {
    char numbers[7][16];
    const char *params[11];
};

static void settings_params(const struct mon_settings *s, struct settings_text *t)
{
    int values[] = {s->interval_seconds, s->timeout_ms, s->expected_status,
                    s->retry_interval_seconds, s->failure_threshold, s->success_threshold};
    for (int i = 0; i < 6; i++)
        snprintf(t->numbers[i], sizeof t->numbers[i], "%d", values[i]);
    t->params[0] = s->name;
    t->params[1] = s->url;
    t->params[2] = s->method;
    t->params[3] = t->numbers[0];
    t->params[4] = t->numbers[1];
    t->params[5] = t->numbers[2];
    t->params[6] = s->keyword;
    t->params[7] = t->numbers[3];
    t->params[8] = t->numbers[4];
    t->params[9] = t->numbers[5];
    t->params[10] = s->paused ? "true" : "false";
}

/*
 * Puts the endpoint on the schedule (or takes it off when paused). With
 * `now`, its next check is due at once (new, resumed, or a new target);
 * otherwise the pending slot is kept and only the settings are refreshed.
 */
int mon_schedule_sync(PGconn *db, const struct mon_tenant *t, const char *id, bool paused,
                      bool now)
{
    if (paused) {
        const char *params[] = {id};
        return sw_pg_exec(db, "DELETE FROM monitors.schedule WHERE endpoint_id = $1", 1, params);
    }
    const char *params[] = {id, t->id, t->schema, now ? "true" : "false"};
    return sw_pg_exec(
        db,
        "INSERT INTO monitors.schedule AS s (endpoint_id, tenant_id, schema_name, url, method,"
        " timeout_ms, expected_status, keyword, interval_seconds, slot_at, due_at)"
        " SELECT e.id, $2, $3, e.url, e.method, e.timeout_ms, e.expected_status, e.keyword,"
        " e.interval_seconds, monitors.now_ms(), monitors.now_ms() FROM endpoints e WHERE e.id = $1"
        " ON CONFLICT (endpoint_id) DO UPDATE SET url = EXCLUDED.url, method = EXCLUDED.method,"
        " timeout_ms = EXCLUDED.timeout_ms, expected_status = EXCLUDED.expected_status,"
        " keyword = EXCLUDED.keyword, interval_seconds = EXCLUDED.interval_seconds,"
        " slot_at = CASE WHEN $4 THEN EXCLUDED.slot_at ELSE s.slot_at END,"
        " due_at = CASE WHEN $4 THEN EXCLUDED.due_at ELSE s.due_at END,"
        " leases = CASE WHEN $4 THEN 0 ELSE s.leases END",
        4, params);
}

static void duplicate_url(struct sw_reply *reply)
{
    sw_reply_error(reply, SW_ALREADY_EXISTS, "duplicate_endpoint",
                   "This URL is already monitored in your organisation.");
}

int mon_create_endpoint(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                        struct sw_reply *reply)
{
    struct mon_service *svc = ctx->service;
    Sw__Monitors__CreateEndpointRequest *req =
        sw__monitors__create_endpoint_request__unpack(NULL, body->len, body->data);
    if (!req || !req->input) {
        if (req)
            sw__monitors__create_endpoint_request__free_unpacked(req, NULL);
        return SW_EINVAL;
    }
    struct mon_tenant t;
    struct mon_settings s;
    PGresult *res = NULL;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc)
        goto out;
    if (t.suspended) {
        sw_reply_error(reply, SW_PERMISSION_DENIED, "account_suspended",
                       "This organisation is suspended.");
        goto out;
    }
    mon_settings_defaults(&t, &s);
    if ((rc = mon_settings_apply(req->input, &t, &svc->allow, &s, reply)) != 0)
        goto out;
    if ((rc = mon_tenant_begin(ctx->db, &t)) != 0)
        goto out;
    /* Serialise creations per tenant so that two at once cannot both take the last slot. */
    rc = mon_tenant_lock(ctx->db, &t);
    if (rc == 0 && t.endpoint_limit >= 0) {
        rc = sw_pg_query(ctx->db, "SELECT count(*) FROM endpoints", 0, NULL, &res);
        if (rc == 0 && sw_pg_int(res, 0, 0) >= t.endpoint_limit) {
            sw_reply_error(reply, SW_PERMISSION_DENIED, "plan_limit_reached",
                           "Your plan allows %d endpoints. Upgrade to add more.",
                           t.endpoint_limit);
            sw_pg_rollback(ctx->db);
            goto out;
        }
        PQclear(res);
        res = NULL;
    }
    struct settings_text text;
    settings_params(&s, &text);
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "INSERT INTO endpoints (name, url, method, interval_seconds, timeout_ms,"
                         " expected_status, keyword, retry_interval_seconds, failure_threshold,"
                         " success_threshold, paused)"
                         " VALUES ($1, $2, $3, $4, $5, nullif($6::int, 0), nullif($7, ''), $8,"
                         " $9, $10, $11) RETURNING id",
                         11, text.params, &res);
    if (rc == 0)
        rc = mon_schedule_sync(ctx->db, &t, PQgetvalue(res, 0, 0), s.paused, true);
    if (rc == 0)
        rc = reply_endpoint(ctx->db, PQgetvalue(res, 0, 0), reply);
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc) {
        sw_pg_rollback(ctx->db);
        sw_reply_reset(reply);
        sw_reply_init(reply);
        if (rc == SW_EEXISTS)
            duplicate_url(reply);
    } else {
        sw_log(SW_LOG_INFO, ctx->env->request_id, t.id, "endpoint %s created",
               PQgetvalue(res, 0, 0));
    }
out:
    PQclear(res);
    sw__monitors__create_endpoint_request__free_unpacked(req, NULL);
    return rc == SW_EEXISTS ? 0 : rc;
}

int mon_get_endpoint(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                     struct sw_reply *reply)
{
    Sw__Monitors__GetEndpointRequest *req =
        sw__monitors__get_endpoint_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct mon_tenant t;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc == 0 && !sw_uuid_valid(req->id))
        rc = SW_ENOTFOUND;
    if (rc == 0 && (rc = mon_tenant_begin(ctx->db, &t)) == 0) {
        rc = reply_endpoint(ctx->db, req->id, reply);
        sw_pg_rollback(ctx->db);
    }
    if (rc == SW_ENOTFOUND) {
        not_found(reply);
        rc = 0;
    }
    sw__monitors__get_endpoint_request__free_unpacked(req, NULL);
    return rc;
}

/* Reads the stored settings of endpoint `id` (locked for update) into *s. */
static int load_settings(PGconn *db, const char *id, struct mon_settings *s)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT name, url, method, interval_seconds, timeout_ms,"
                         " coalesce(expected_status, 0), coalesce(keyword, ''),"
                         " retry_interval_seconds, failure_threshold, success_threshold, paused"
                         " FROM endpoints WHERE id = $1 FOR UPDATE",
                         1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0) {
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", PQgetvalue(res, 0, 0));
        snprintf(s->url, sizeof s->url, "%s", PQgetvalue(res, 0, 1));
        snprintf(s->method, sizeof s->method, "%s", PQgetvalue(res, 0, 2));
        s->interval_seconds = (int)sw_pg_int(res, 0, 3);
        s->timeout_ms = (int)sw_pg_int(res, 0, 4);
        s->expected_status = (int)sw_pg_int(res, 0, 5);
        snprintf(s->keyword, sizeof s->keyword, "%s", PQgetvalue(res, 0, 6));
        s->retry_interval_seconds = (int)sw_pg_int(res, 0, 7);
        s->failure_threshold = (int)sw_pg_int(res, 0, 8);
        s->success_threshold = (int)sw_pg_int(res, 0, 9);
        s->paused = sw_pg_bool(res, 0, 10);
    }
    PQclear(res);
    return rc;
}

/*
 * Refuses to resume an endpoint when the tenant's active endpoints already
 * fill its plan (after a downgrade paused the ones over the limit).
 */
static int check_room(PGconn *db, const struct mon_tenant *t, struct sw_reply *reply)
{
    if (t->endpoint_limit < 0)
        return 0;
    PGresult *res = NULL;
    int rc = mon_tenant_lock(db, t);
    if (rc == 0)
        rc = sw_pg_query(db, "SELECT count(*) FROM endpoints WHERE NOT paused", 0, NULL, &res);
    if (rc == 0 && sw_pg_int(res, 0, 0) >= t->endpoint_limit) {
        sw_reply_error(reply, SW_PERMISSION_DENIED, "plan_limit_reached",
                       "Your plan allows %d active endpoints. Upgrade to resume this one.",
                       t->endpoint_limit);
        rc = SW_EPERM;
    }
    PQclear(res);
    return rc;
}

/* Writes the merged settings; a new target starts over as "pending". */
static int store_settings(PGconn *db, const char *id, const struct mon_settings *s,
                          bool new_target)
{
    struct settings_text text;
    settings_params(s, &text);
    const char *params[13];
    memcpy(params, text.params, sizeof text.params);
    params[11] = id;
    params[12] = new_target ? "true" : "false";
    return sw_pg_exec(db,
                      "UPDATE endpoints SET name = $1, url = $2, method = $3,"
                      " interval_seconds = $4, timeout_ms = $5,"
                      " expected_status = nullif($6::int, 0), keyword = nullif($7, ''),"
                      " retry_interval_seconds = $8, failure_threshold = $9,"
                      " success_threshold = $10, paused = $11, updated_at = now(),"
                      " paused_by_plan = paused_by_plan AND paused = $11,"
                      " status = CASE WHEN $13 THEN 'pending' ELSE status END,"
                      " consecutive_failures = CASE WHEN $13 THEN 0 ELSE consecutive_failures END,"
                      " consecutive_successes = CASE WHEN $13 THEN 0 ELSE consecutive_successes END"
                      " WHERE id = $12",
                      13, params);
}

int mon_update_endpoint(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                        struct sw_reply *reply)
{
    struct mon_service *svc = ctx->service;
    Sw__Monitors__UpdateEndpointRequest *req =
        sw__monitors__update_endpoint_request__unpack(NULL, body->len, body->data);
    if (!req || !req->input) {
        if (req)
            sw__monitors__update_endpoint_request__free_unpacked(req, NULL);
        return SW_EINVAL;
    }
    struct mon_tenant t;
    struct mon_settings before, after;
    bool in_tx = false;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc)
        goto out;
    if (!sw_uuid_valid(req->id)) {
        rc = SW_ENOTFOUND;
        goto out;
    }
    if ((rc = mon_tenant_begin(ctx->db, &t)) != 0)
        goto out;
    in_tx = true;
    if ((rc = load_settings(ctx->db, req->id, &before)) != 0)
        goto out;
    if (req->replace) {
        mon_settings_defaults(&t, &after);
        if (!req->input->url) {
            sw_reply_field(reply, "url", "This field is required.");
            rc = SW_EINVAL;
            goto out;
        }
    } else {
        after = before;
    }
    if ((rc = mon_settings_apply(req->input, &t, &svc->allow, &after, reply)) != 0)
        goto out;
    bool new_target = strcmp(before.url, after.url) != 0 || strcmp(before.method, after.method);
    bool resumed = before.paused && !after.paused;
    if (resumed && (rc = check_room(ctx->db, &t, reply)) != 0)
        goto out;
    rc = store_settings(ctx->db, req->id, &after, new_target);
    if (rc == 0)
        rc = mon_schedule_sync(ctx->db, &t, req->id, after.paused, new_target || resumed);
    if (rc == 0)
        rc = reply_endpoint(ctx->db, req->id, reply);
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    in_tx = rc != 0;
out:
    if (in_tx)
        sw_pg_rollback(ctx->db);
    if (rc == SW_EEXISTS) {
        sw_reply_reset(reply);
        sw_reply_init(reply);
        duplicate_url(reply);
        rc = 0;
    } else if (rc == SW_ENOTFOUND) {
        not_found(reply);
        rc = 0;
    }
    sw__monitors__update_endpoint_request__free_unpacked(req, NULL);
    return rc;
}

int mon_delete_endpoint(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                        struct sw_reply *reply)
{
    Sw__Monitors__DeleteEndpointRequest *req =
        sw__monitors__delete_endpoint_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct mon_tenant t;
    PGresult *res = NULL;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc == 0 && !sw_uuid_valid(req->id))
        rc = SW_ENOTFOUND;
    if (rc == 0 && (rc = mon_tenant_begin(ctx->db, &t)) == 0) {
        const char *params[] = {req->id};
        rc = sw_pg_query(ctx->db, "DELETE FROM endpoints WHERE id = $1 RETURNING id", 1, params,
                         &res);
        if (rc == 0 && PQntuples(res) == 0)
            rc = SW_ENOTFOUND;
        if (rc == 0)
            rc = mon_schedule_sync(ctx->db, &t, req->id, true, false);
        if (rc == 0)
            rc = sw_pg_commit(ctx->db);
        if (rc)
            sw_pg_rollback(ctx->db);
    }
    if (rc == 0) {
        Sw__Monitors__DeleteEndpointReply out = SW__MONITORS__DELETE_ENDPOINT_REPLY__INIT;
        rc = sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, t.id, "endpoint %s deleted", req->id);
    } else if (rc == SW_ENOTFOUND) {
        not_found(reply);
        rc = 0;
    }
    PQclear(res);
    sw__monitors__delete_endpoint_request__free_unpacked(req, NULL);
    return rc;
}

int mon_list_endpoints(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                       struct sw_reply *reply)
{
    Sw__Monitors__ListEndpointsRequest *req =
        sw__monitors__list_endpoints_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct mon_tenant t;
    PGresult *count = NULL, *rows = NULL;
    Sw__Monitors__Endpoint *store = NULL;
    Sw__Monitors__Endpoint **ptrs = NULL;
    int page_size = req->page_size < 1 ? 20 : req->page_size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE
                                                                             : req->page_size;
    long long page = req->page < 1 ? 1 : req->page;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc == 0 && (rc = mon_tenant_begin(ctx->db, &t)) == 0) {
        char limit[16], offset[32];
        snprintf(limit, sizeof limit, "%d", page_size);
        snprintf(offset, sizeof offset, "%lld", (page - 1) * page_size);
        const char *params[] = {limit, offset};
        rc = sw_pg_query(ctx->db, "SELECT count(*) FROM endpoints", 0, NULL, &count);
        if (rc == 0)
            rc = sw_pg_query(ctx->db,
                             "SELECT " MON_ENDPOINT_COLUMNS " FROM endpoints e"
                             " ORDER BY e.created_at DESC, e.id DESC LIMIT $1 OFFSET $2",
                             2, params, &rows);
        sw_pg_rollback(ctx->db);
    }
    if (rc == 0 && page > 1 && PQntuples(rows) == 0) {
        sw_reply_error(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
        goto out;
    }
    if (rc == 0) {
        size_t n = (size_t)PQntuples(rows);
        store = calloc(n ? n : 1, sizeof *store);
        ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            mon_endpoint_from_row(rows, (int)i, &store[i]);
            ptrs[i] = &store[i];
        }
        Sw__Monitors__ListEndpointsReply out = SW__MONITORS__LIST_ENDPOINTS_REPLY__INIT;
        out.count = sw_pg_int(count, 0, 0);
        out.n_endpoints = n;
        out.endpoints = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
    }
out:
    free(ptrs);
    free(store);
    PQclear(rows);
    PQclear(count);
    sw__monitors__list_endpoints_request__free_unpacked(req, NULL);
    return rc;
}

int mon_count_endpoints(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                        struct sw_reply *reply)
{
    (void)body;
    struct mon_tenant t;
    PGresult *res = NULL;
    int rc = caller_tenant(ctx, reply, &t);
    if (rc == 0 && (rc = mon_tenant_begin(ctx->db, &t)) == 0) {
        rc = sw_pg_query(ctx->db, "SELECT count(*) FROM endpoints", 0, NULL, &res);
        sw_pg_rollback(ctx->db);
    }
    if (rc == 0) {
        Sw__Monitors__CountEndpointsReply out = SW__MONITORS__COUNT_ENDPOINTS_REPLY__INIT;
        out.count = (int32_t)sw_pg_int(res, 0, 0);
        rc = sw_reply_body(reply, &out.base);
    }
    PQclear(res);
    return rc;
}
