/*
 * Incidents: written by hand (any role, api.md "Roles": members manage
 * incidents) or opened by an outage. An incident is about endpoints and
 * shows on every page that shows one of them, so an endpoint going down
 * opens one incident, which each of its pages shows once (DECISIONS.md,
 * "Status pages"). Every update is a row of incident_updates, newest first
 * in the JSON; every change is audited and every update is a
 * statuspage.incident outbox event for the pages' subscribers (sw-notify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenant_sql.h"

static const char *const STATUSES[] = {"investigating", "identified", "monitoring", "resolved",
                                       NULL};
static const char *const IMPACTS[] = {"none", "minor", "major", "critical", NULL};

#define INCIDENT_JSON                                                                              \
    "json_build_object('id', i.id, 'title', i.title, 'status', i.status, 'impact', i.impact,"      \
    " 'endpoint_ids', coalesce((SELECT json_agg(ie.endpoint_id ORDER BY ie.endpoint_id)"           \
    " FROM {s}.incident_endpoints ie WHERE ie.incident_id = i.id), '[]'),"                         \
    " 'automatic', i.auto_endpoint_id IS NOT NULL,"                                                \
    " 'started_at', monitors.iso(i.started_at), 'resolved_at', monitors.iso(i.resolved_at),"       \
    " 'updates', coalesce((SELECT json_agg(json_build_object('id', u.id, 'status', u.status,"      \
    " 'message', u.message, 'created_at', monitors.iso(u.created_at))"                             \
    " ORDER BY u.created_at DESC, u.id DESC) FROM {s}.incident_updates u"                          \
    " WHERE u.incident_id = i.id), '[]'))::text"

static const char GET_SQL[] = "SELECT " INCIDENT_JSON " FROM {s}.incidents i WHERE i.id = $1";
static const char LIST_SQL[] = "SELECT " INCIDENT_JSON ", count(*) OVER ()"
                               " FROM {s}.incidents i ORDER BY i.started_at DESC, i.id DESC"
                               " LIMIT $1 OFFSET $2";

/*
 * The event's pages: every public page showing one of the incident's
 * endpoints, with what a message needs of it (FRONTEND_URL links use the slug).
 */
int mon_sp_incident_event(PGconn *db, const char *tenant_id, const char *incident_id,
                          const char *update_id, const char *kind)
{
    const char *params[] = {tenant_id, incident_id, update_id, kind};
    int rc = sw_pg_exec(db, "SELECT pg_advisory_xact_lock(" MON_LOCK_OUTBOX ")", 0, NULL);
    if (rc == 0)
        rc = sw_pg_exec(
            db,
            "WITH pages AS (SELECT p.id, p.slug, p.title FROM status_pages p WHERE p.public"
            "   AND EXISTS (SELECT 1 FROM status_page_components c JOIN incident_endpoints ie"
            "   ON ie.endpoint_id = c.endpoint_id WHERE c.page_id = p.id"
            "   AND ie.incident_id = $2::uuid))"
            " INSERT INTO monitors.outbox (type, tenant_id, payload)"
            " SELECT 'statuspage.incident', $1::uuid, jsonb_build_object('kind', $4::text,"
            "   'tenant_id', $1::text, 'incident_id', i.id, 'update_id', u.id, 'title', i.title,"
            "   'impact', i.impact, 'status', u.status, 'message', u.message,"
            "   'created_at', monitors.iso(u.created_at), 'pages', (SELECT jsonb_agg("
            "   jsonb_build_object('id', id, 'slug', slug, 'title', title)) FROM pages))"
            " FROM incidents i JOIN incident_updates u ON u.incident_id = i.id"
            " WHERE i.id = $2::uuid AND u.id = $3::uuid AND EXISTS (SELECT 1 FROM pages)",
            4, params);
    return rc;
}

/* Adds an update and moves the incident to its status; *update_id (SW_UUID_LEN) its id. */
static int add_update(PGconn *db, const char *incident_id, const char *status, const char *message,
                      char *update_id)
{
    const char *params[] = {incident_id, status, message};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "WITH i AS (UPDATE incidents SET status = $2, updated_at = now(),"
                         " resolved_at = CASE WHEN $2 = 'resolved'"
                         " THEN coalesce(resolved_at, clock_timestamp()) END"
                         " WHERE id = $1 RETURNING id)"
                         " INSERT INTO incident_updates (incident_id, status, message)"
                         " SELECT id, $2, $3 FROM i RETURNING id",
                         3, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        snprintf(update_id, SW_UUID_LEN, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

static const char *kind_of(const char *status)
{
    return strcmp(status, "resolved") == 0 ? "resolved" : "updated";
}

/* Replaces the incident's endpoints by ids_array (a uuid[] literal). */
static int set_endpoints(PGconn *db, const char *incident_id, const char *ids_array)
{
    return mon_sp_set_endpoints(db, "incident_endpoints", "incident_id", incident_id, ids_array);
}

/* The end of a change: the incident now, its audit row, the commit; then the wake-up. */
static int finish(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, const char *action,
                  const char *id, const char *before, char **after, bool evented)
{
    return mon_sp_finish(ctx, t, GET_SQL, "incident", action, id, before, after, evented);
}

static bool input_ok(const Sw__Status__IncidentInput *in, bool create, struct sw_reply *reply)
{
    if (!in) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "An incident is required.");
        return false;
    }
    mon_sp_text_ok(reply, "title", in->title, create, false, MON_SP_TITLE_MAX);
    mon_sp_text_ok(reply, "message", in->message, create, false, MON_SP_TEXT_MAX);
    if (in->status)
        mon_sp_choice_ok(reply, "status", in->status, STATUSES);
    if (in->impact)
        mon_sp_choice_ok(reply, "impact", in->impact, IMPACTS);
    if (create && !in->endpoint_ids_given)
        sw_reply_field(reply, "endpoint_ids", "This field is required.");
    return sw_reply_ok(reply);
}

void mon_incident_create(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__CreateRequest *req = request;
    const Sw__Status__IncidentInput *in = req->incident;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0 || !input_ok(in, true, reply))
        return;
    const char *status = in->status ? in->status : "investigating";
    char *ids = NULL, *json = NULL, update_id[SW_UUID_LEN];
    PGresult *res = NULL;
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0)
        rc = mon_sp_endpoint_array(ctx->db, reply, "endpoint_ids", in->endpoint_ids,
                                   in->n_endpoint_ids, true, &ids);
    if (rc == 0) {
        const char *params[] = {in->title, in->impact ? in->impact : "minor"};
        rc =
            sw_pg_query(ctx->db,
                        "INSERT INTO incidents (title, status, impact) VALUES ($1, 'investigating',"
                        " $2) RETURNING id",
                        2, params, &res);
    }
    const char *id = rc == 0 ? PQgetvalue(res, 0, 0) : NULL;
    if (rc == 0)
        rc = set_endpoints(ctx->db, id, ids);
    if (rc == 0)
        rc = add_update(ctx->db, id, status, in->message, update_id);
    if (rc == 0)
        rc = mon_sp_incident_event(ctx->db, t.id, id, update_id,
                                   strcmp(status, "resolved") == 0 ? "resolved" : "opened");
    if (rc == 0)
        rc = finish(ctx, &t, "incident.create", id, NULL, &json, true);
    else
        sw_pg_rollback(ctx->db);
    mon_sp_answer(reply, rc, json);
    PQclear(res);
    free(ids);
    free(json);
}

void mon_incident_get(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__IdRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;
    char *json = NULL;
    int rc = mon_sp_json(ctx->db, &t, GET_SQL, 1, (const char *[]){req->id}, &json);
    mon_sp_answer(reply, rc, json);
    free(json);
}

void mon_incidents_list(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ListRequest *req = request;
    mon_sp_reply_list(ctx, reply, "inc_list", LIST_SQL, 0, NULL, req->page, req->page_size);
}

/* Locks incident `id` and reads its JSON (the audit's before) and status. */
static int load(PGconn *db, const struct mon_tenant *t, const char *id, char **before, char *status,
                size_t status_size)
{
    PGresult *res = NULL;
    int rc = sw_pg_query(db, "SELECT status FROM incidents WHERE id = $1 FOR UPDATE", 1,
                         (const char *[]){id}, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        snprintf(status, status_size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (rc == 0)
        rc = mon_sp_json(db, t, GET_SQL, 1, (const char *[]){id}, before);
    return rc;
}

void mon_incident_update(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__UpdateRequest *req = request;
    const Sw__Status__IncidentInput *in = req->incident;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0 || !input_ok(in, false, reply))
        return;
    char *before = NULL, *after = NULL, *ids = NULL, status[32] = "", update_id[SW_UUID_LEN];
    bool evented = false;
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0)
        rc = load(ctx->db, &t, req->id, &before, status, sizeof status);
    if (rc == 0 && in->endpoint_ids_given)
        rc = mon_sp_endpoint_array(ctx->db, reply, "endpoint_ids", in->endpoint_ids,
                                   in->n_endpoint_ids, true, &ids);
    if (rc == 0 && ids)
        rc = set_endpoints(ctx->db, req->id, ids);
    if (rc == 0) {
        const char *params[] = {req->id, in->title, in->impact};
        rc = sw_pg_exec(ctx->db,
                        "UPDATE incidents SET title = coalesce($2, title),"
                        " impact = coalesce($3, impact), updated_at = now() WHERE id = $1",
                        3, params);
    }
    /* A new status is an update of the timeline, as POST …/updates/ makes one. */
    if (rc == 0 && in->status && strcmp(in->status, status) != 0) {
        char message[96];
        snprintf(message, sizeof message, "The incident is now %s.", in->status);
        rc = add_update(ctx->db, req->id, in->status, in->message ? in->message : message,
                        update_id);
        if (rc == 0)
            rc = mon_sp_incident_event(ctx->db, t.id, req->id, update_id, kind_of(in->status));
        evented = true;
    }
    if (rc == 0)
        rc = finish(ctx, &t, "incident.update", req->id, before, &after, evented);
    else
        sw_pg_rollback(ctx->db);
    mon_sp_answer(reply, rc, after);
    free(ids);
    free(before);
    free(after);
}

void mon_incident_add_update(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__AddUpdateRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;
    if (!req->status[0])
        sw_reply_field(reply, "status", "This field is required.");
    else
        mon_sp_choice_ok(reply, "status", req->status, STATUSES);
    mon_sp_text_ok(reply, "message", req->message[0] ? req->message : NULL, true, false,
                   MON_SP_TEXT_MAX);
    if (!sw_reply_ok(reply))
        return;
    char *before = NULL, *after = NULL, status[32] = "", update_id[SW_UUID_LEN];
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0)
        rc = load(ctx->db, &t, req->id, &before, status, sizeof status);
    if (rc == 0)
        rc = add_update(ctx->db, req->id, req->status, req->message, update_id);
    if (rc == 0)
        rc = mon_sp_incident_event(ctx->db, t.id, req->id, update_id, kind_of(req->status));
    if (rc == 0)
        rc = finish(ctx, &t, "incident.add_update", req->id, before, &after, true);
    else
        sw_pg_rollback(ctx->db);
    mon_sp_answer(reply, rc, after);
    free(before);
    free(after);
}

/* ---- incidents opened and resolved by outages ---------------------------- */

int mon_incidents_on_transition(PGconn *db, const char *tenant_id, const char *endpoint_id,
                                const char *to, const char *error)
{
    bool down = strcmp(to, "down") == 0, up = strcmp(to, "up") == 0;
    if (!down && !up)
        return 0;
    PGresult *res = NULL;
    int rc;
    if (down) {
        /* One per outage (incidents_open_outage), and only when a page shows the endpoint. */
        char message[400];
        snprintf(message, sizeof message, "Checks are failing: %.300s",
                 error && error[0] ? error : "no answer");
        const char *params[] = {endpoint_id, message};
        rc = sw_pg_query(
            db,
            "WITH opened AS (INSERT INTO incidents (title, status, impact, auto_endpoint_id)"
            "   SELECT e.name || ' is down', 'investigating', 'major', e.id FROM endpoints e"
            "   WHERE e.id = $1 AND EXISTS (SELECT 1 FROM status_page_components c"
            "   WHERE c.endpoint_id = e.id)"
            "   ON CONFLICT (auto_endpoint_id) WHERE resolved_at IS NULL"
            "   AND auto_endpoint_id IS NOT NULL DO NOTHING RETURNING id),"
            " linked AS (INSERT INTO incident_endpoints (incident_id, endpoint_id)"
            "   SELECT id, $1 FROM opened)"
            " INSERT INTO incident_updates (incident_id, status, message)"
            " SELECT id, 'investigating', $2 FROM opened RETURNING incident_id, id",
            2, params, &res);
    } else {
        const char *params[] = {endpoint_id};
        rc = sw_pg_query(db,
                         "WITH closed AS (UPDATE incidents SET status = 'resolved',"
                         "   resolved_at = clock_timestamp(), updated_at = now()"
                         "   WHERE auto_endpoint_id = $1 AND resolved_at IS NULL RETURNING id)"
                         " INSERT INTO incident_updates (incident_id, status, message)"
                         " SELECT c.id, 'resolved', e.name || ' is answering normally again.'"
                         " FROM closed c, endpoints e WHERE e.id = $1 RETURNING incident_id, id",
                         1, params, &res);
    }
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        const char *incident_id = PQgetvalue(res, i, 0);
        rc = mon_sp_incident_event(db, tenant_id, incident_id, PQgetvalue(res, i, 1),
                                   down ? "opened" : "resolved");
        if (rc == 0)
            rc = mon_sp_audit(db, NULL, tenant_id, down ? "incident.open" : "incident.resolve",
                              "incident", incident_id, NULL, NULL);
    }
    PQclear(res);
    return rc;
}
