/*
 * Maintenance windows (any role manages them): a title, a window of at most
 * seven days and its endpoints. While one is on, checks of its endpoints
 * still run and are stored, but their failures move no status (so they
 * raise no alert and open no incident) and they stay out of the rollups,
 * hence out of every uptime figure (schedule.c, STORE_RESULTS_SQL); the
 * public page shows those endpoints as `maintenance`. Creating one tells the
 * subscribers of the public pages that show its endpoints
 * (statuspage.maintenance outbox event). Cancelling is DELETE.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenant_sql.h"

#define MAINTENANCE_JSON                                                                           \
    "json_build_object('id', m.id, 'title', m.title, 'starts_at', monitors.iso(m.starts_at),"      \
    " 'ends_at', monitors.iso(m.ends_at), 'endpoint_ids', coalesce((SELECT json_agg("              \
    " me.endpoint_id ORDER BY me.endpoint_id) FROM {s}.maintenance_endpoints me"                   \
    " WHERE me.maintenance_id = m.id), '[]'), 'status', CASE WHEN now() < m.starts_at"             \
    " THEN 'scheduled' WHEN now() < m.ends_at THEN 'active' ELSE 'completed' END,"                 \
    " 'created_at', monitors.iso(m.created_at))::text"

static const char GET_SQL[] = "SELECT " MAINTENANCE_JSON " FROM {s}.maintenances m WHERE m.id = $1";
static const char LIST_SQL[] = "SELECT " MAINTENANCE_JSON ", count(*) OVER ()"
                               " FROM {s}.maintenances m ORDER BY m.starts_at DESC, m.id DESC"
                               " LIMIT $1 OFFSET $2";

/* ISO-8601's shape: YYYY-MM-DDTHH:MM[:SS[.fraction]] and Z or an offset. */
static bool iso_shape(const char *v)
{
    static const char pattern[] = "dddd-dd-ddTdd:dd";
    for (size_t i = 0; pattern[i]; i++)
        if (pattern[i] == 'd' ? !isdigit((unsigned char)v[i]) : v[i] != pattern[i])
            return false;
    const char *p = v + sizeof pattern - 1;
    if (p[0] == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
        p += 3;
        if (*p == '.' && isdigit((unsigned char)p[1]))
            for (p++; isdigit((unsigned char)*p);)
                p++;
    }
    if (strcmp(p, "Z") == 0)
        return true;
    return (p[0] == '+' || p[0] == '-') && isdigit((unsigned char)p[1]) &&
           isdigit((unsigned char)p[2]) && p[3] == ':' && isdigit((unsigned char)p[4]) &&
           isdigit((unsigned char)p[5]) && p[6] == '\0';
}

/* A time the client sent, as PostgreSQL reads it; false after a field error. */
static bool time_ok(PGconn *db, struct sw_reply *reply, const char *field, const char *value,
                    bool required)
{
    if (!value) {
        if (required)
            sw_reply_field(reply, field, "This field is required.");
        return !required;
    }
    if (!iso_shape(value)) {
        sw_reply_field(reply, field, "Datetime has wrong format; use ISO-8601.");
        return false;
    }
    PGresult *res = NULL;
    /* A savepoint keeps the transaction usable after a value PostgreSQL refuses. */
    int rc = sw_pg_exec(db, "SAVEPOINT t", 0, NULL);
    if (rc == 0)
        rc = sw_pg_query(db, "SELECT $1::timestamptz", 1, (const char *[]){value}, &res);
    PQclear(res);
    if (rc == SW_EINVAL) {
        sw_pg_exec(db, "ROLLBACK TO SAVEPOINT t", 0, NULL);
        sw_reply_field(reply, field, "Datetime has wrong format; use ISO-8601.");
        return false;
    }
    return rc == 0;
}

/*
 * The window id would have with the input's times (the stored ones where
 * none is given; id NULL: a new one) must end after it starts and last at
 * most seven days.
 */
static int window_ok(PGconn *db, struct sw_reply *reply, const char *id,
                     const Sw__Status__MaintenanceInput *in)
{
    if (!time_ok(db, reply, "starts_at", in->starts_at, !id) ||
        !time_ok(db, reply, "ends_at", in->ends_at, !id))
        return SW_EINVAL;
    const char *params[] = {id, in->starts_at, in->ends_at};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT s < e, e <= s + interval '7 days' FROM (SELECT"
                         " coalesce($2::timestamptz, (SELECT starts_at FROM maintenances"
                         " WHERE id = $1::uuid)) AS s, coalesce($3::timestamptz, (SELECT ends_at"
                         " FROM maintenances WHERE id = $1::uuid)) AS e) w",
                         3, params, &res);
    if (rc == 0 && !sw_pg_bool(res, 0, 0)) {
        sw_reply_field(reply, "ends_at", "The window must end after it starts.");
        rc = SW_EINVAL;
    } else if (rc == 0 && !sw_pg_bool(res, 0, 1)) {
        sw_reply_field(reply, "ends_at", "A maintenance window lasts at most 7 days.");
        rc = SW_EINVAL;
    }
    PQclear(res);
    return rc;
}

static const struct mon_sp_kind KIND = {"maintenance", "maintenances", GET_SQL,
                                        "maintenance_endpoints", "maintenance_id"};

/* statuspage.maintenance: the window, for the public pages that show one of its endpoints. */
static int maintenance_event(PGconn *db, const char *tenant_id, const char *id)
{
    int rc = sw_pg_exec(db, "SELECT pg_advisory_xact_lock(" MON_LOCK_OUTBOX ")", 0, NULL);
    if (rc == 0)
        rc = sw_pg_exec(
            db,
            "WITH pages AS (SELECT p.id, p.slug, p.title FROM status_pages p WHERE p.public"
            "   AND EXISTS (SELECT 1 FROM status_page_components c JOIN maintenance_endpoints me"
            "   ON me.endpoint_id = c.endpoint_id WHERE c.page_id = p.id"
            "   AND me.maintenance_id = $2::uuid))"
            " INSERT INTO monitors.outbox (type, tenant_id, payload)"
            " SELECT 'statuspage.maintenance', $1::uuid, jsonb_build_object('kind', 'scheduled',"
            "   'tenant_id', $1::text, 'maintenance_id', m.id, 'title', m.title,"
            "   'starts_at', monitors.iso(m.starts_at), 'ends_at', monitors.iso(m.ends_at),"
            "   'pages', (SELECT jsonb_agg(jsonb_build_object('id', id, 'slug', slug,"
            "   'title', title)) FROM pages))"
            " FROM maintenances m WHERE m.id = $2::uuid AND EXISTS (SELECT 1 FROM pages)",
            2, (const char *[]){tenant_id, id});
    return rc;
}

static bool input_ok(const Sw__Status__MaintenanceInput *in, bool create, struct sw_reply *reply)
{
    if (!in) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "A maintenance window is required.");
        return false;
    }
    mon_sp_text_ok(reply, "title", in->title, create, false, MON_SP_TITLE_MAX);
    if (create && !in->endpoint_ids_given)
        sw_reply_field(reply, "endpoint_ids", "This field is required.");
    return sw_reply_ok(reply);
}

/* A new window, linked to its endpoints; the subscribers' event. */
static int write_created(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                         const void *input, struct mon_sp_change *c)
{
    const Sw__Status__MaintenanceInput *in = input;
    int rc = window_ok(ctx->db, reply, NULL, in);
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "INSERT INTO maintenances (title, starts_at, ends_at)"
                         " VALUES ($1, $2, $3) RETURNING id",
                         3, (const char *[]){in->title, in->starts_at, in->ends_at}, &c->res);
    if (rc == 0) {
        c->id = PQgetvalue(c->res, 0, 0);
        rc = mon_sp_link(ctx->db, c);
    }
    c->evented = true;
    return rc ? rc : maintenance_event(ctx->db, t->id, c->id);
}

void mon_maintenance_create(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__CreateRequest *req = request;
    const Sw__Status__MaintenanceInput *in = req->maintenance;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0 || !input_ok(in, true, reply))
        return;
    struct mon_sp_change c = mon_sp_change_of(&KIND, "maintenance.create", NULL, in->endpoint_ids,
                                              in->n_endpoint_ids, true);
    mon_sp_run(ctx, reply, &t, &c, write_created, in);
}

void mon_maintenance_get(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    mon_sp_get(ctx, reply, &KIND, ((const Sw__Status__IdRequest *)request)->id);
}

void mon_maintenances_list(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ListRequest *req = request;
    mon_sp_reply_list(ctx, reply, "mnt_list", LIST_SQL, 0, NULL, req->page, req->page_size);
}

static int write_changed(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                         const void *input, struct mon_sp_change *c)
{
    (void)t;
    const Sw__Status__MaintenanceInput *in = input;
    int rc = window_ok(ctx->db, reply, c->id, in);
    if (rc == 0)
        rc = mon_sp_link(ctx->db, c);
    if (rc == 0)
        rc = sw_pg_exec(ctx->db,
                        "UPDATE maintenances SET title = coalesce($2, title),"
                        " starts_at = coalesce($3::timestamptz, starts_at),"
                        " ends_at = coalesce($4::timestamptz, ends_at), updated_at = now()"
                        " WHERE id = $1",
                        4, (const char *[]){c->id, in->title, in->starts_at, in->ends_at});
    return rc;
}

void mon_maintenance_update(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__UpdateRequest *req = request;
    const Sw__Status__MaintenanceInput *in = req->maintenance;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0 || !input_ok(in, false, reply))
        return;
    struct mon_sp_change c = mon_sp_change_of(&KIND, "maintenance.update", req->id,
                                              in->endpoint_ids, in->n_endpoint_ids,
                                              in->endpoint_ids_given);
    mon_sp_run(ctx, reply, &t, &c, write_changed, in);
}

static int write_deleted(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, struct sw_reply *reply,
                         const void *input, struct mon_sp_change *c)
{
    (void)t;
    (void)reply;
    (void)input;
    return sw_pg_exec(ctx->db, "DELETE FROM maintenances WHERE id = $1", 1,
                      (const char *[]){c->id});
}

void mon_maintenance_delete(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__IdRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;
    struct mon_sp_change c = {.kind = &KIND,
                              .action = "maintenance.delete",
                              .id = req->id,
                              .deleting = true};
    mon_sp_run(ctx, reply, &t, &c, write_deleted, NULL);
}
