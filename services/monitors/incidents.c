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
#include "public_error.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "sw_url.h"
#include "tenant_sql.h"

static const char *const STATUSES[] = {"investigating", "identified", "monitoring", "resolved",
                                       NULL};
/* What the first update of an outage's incident quotes of the check's error, at most. */
#define QUOTE_MAX 301

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

static const struct mon_sp_kind KIND = {"incident", "incidents", GET_SQL, "incident_endpoints",
                                        "incident_id"};

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

/* A new incident, linked to its endpoints, with its first update. */
static int write_created(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                         const void *input, struct mon_sp_change *c)
{
    (void)reply;
    const Sw__Status__IncidentInput *in = input;
    const char *status = in->status ? in->status : "investigating";
    const char *params[] = {in->title, in->impact ? in->impact : "minor"};
    char update_id[SW_UUID_LEN];
    int rc = sw_pg_query(ctx->db,
                         "INSERT INTO incidents (title, status, impact)"
                         " VALUES ($1, 'investigating', $2) RETURNING id",
                         2, params, &c->res);
    if (rc == 0) {
        c->id = PQgetvalue(c->res, 0, 0);
        rc = mon_sp_link(ctx->db, c);
    }
    if (rc == 0)
        rc = add_update(ctx->db, c->id, status, in->message, update_id);
    if (rc == 0)
        rc = mon_sp_incident_event(ctx->db, t->id, c->id, update_id,
                                   strcmp(status, "resolved") == 0 ? "resolved" : "opened");
    c->evented = true;
    return rc;
}

void mon_incident_create(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__CreateRequest *req = request;
    const Sw__Status__IncidentInput *in = req->incident;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0 || !input_ok(in, true, reply))
        return;
    struct mon_sp_change c = mon_sp_change_of(&KIND, "incident.create", NULL, in->endpoint_ids,
                                              in->n_endpoint_ids, true);
    mon_sp_run(ctx, reply, &t, &c, write_created, in);
}

void mon_incident_get(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    mon_sp_get(ctx, reply, &KIND, ((const Sw__Status__IdRequest *)request)->id);
}

void mon_incidents_list(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ListRequest *req = request;
    mon_sp_reply_list(ctx, reply, "inc_list", LIST_SQL, 0, NULL, req->page, req->page_size);
}

/* A timeline update of incident c->id (locked) moving it to status; the subscribers' event. */
static int add_event(PGconn *db, const struct mon_tenant *t, struct mon_sp_change *c,
                     const char *status, const char *message)
{
    char update_id[SW_UUID_LEN];
    int rc = add_update(db, c->id, status, message, update_id);
    c->evented = true;
    return rc ? rc : mon_sp_incident_event(db, t->id, c->id, update_id, kind_of(status));
}

/* Title, impact, endpoints; a new status is an update of the timeline, as POST …/updates/ makes. */
static int write_changed(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                         const void *input, struct mon_sp_change *c)
{
    (void)reply;
    const Sw__Status__IncidentInput *in = input;
    char status[32] = "";
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT status FROM incidents WHERE id = $1", 1,
                         (const char *[]){c->id}, &res);
    if (rc == 0 && PQntuples(res) == 1)
        snprintf(status, sizeof status, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (rc == 0)
        rc = mon_sp_link(ctx->db, c);
    if (rc == 0)
        rc = sw_pg_exec(ctx->db,
                        "UPDATE incidents SET title = coalesce($2, title),"
                        " impact = coalesce($3, impact), updated_at = now() WHERE id = $1",
                        3, (const char *[]){c->id, in->title, in->impact});
    if (rc == 0 && in->status && strcmp(in->status, status) != 0) {
        char message[96];
        snprintf(message, sizeof message, "The incident is now %s.", in->status);
        rc = add_event(ctx->db, t, c, in->status, in->message ? in->message : message);
    }
    return rc;
}

void mon_incident_update(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__UpdateRequest *req = request;
    const Sw__Status__IncidentInput *in = req->incident;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0 || !input_ok(in, false, reply))
        return;
    struct mon_sp_change c = mon_sp_change_of(&KIND, "incident.update", req->id, in->endpoint_ids,
                                              in->n_endpoint_ids, in->endpoint_ids_given);
    mon_sp_run(ctx, reply, &t, &c, write_changed, in);
}

static int write_update(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                        const void *input, struct mon_sp_change *c)
{
    (void)reply;
    const Sw__Status__AddUpdateRequest *req = input;
    return add_event(ctx->db, t, c, req->status, req->message);
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
    struct mon_sp_change c = {.kind = &KIND, .action = "incident.add_update", .id = req->id};
    mon_sp_run(ctx, reply, &t, &c, write_update, req);
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
        /* One per outage (incidents_open_outage), and only when a page shows the endpoint;
         * its first update quotes the error as the public may read it (public_error.h). */
        char url[SW_URL_TEXT_MAX + 1] = "", quoted[QUOTE_MAX], message[QUOTE_MAX + 32];
        rc = sw_pg_query(db, "SELECT url FROM endpoints WHERE id = $1", 1,
                         (const char *[]){endpoint_id}, &res);
        if (rc == 0 && PQntuples(res) > 0)
            snprintf(url, sizeof url, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        res = NULL;
        mon_public_error(error && error[0] ? error : "no answer", url, quoted, sizeof quoted);
        snprintf(message, sizeof message, "Checks are failing: %s", quoted);
        const char *params[] = {endpoint_id, message};
        if (rc == 0)
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
