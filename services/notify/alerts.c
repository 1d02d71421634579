/*
 * In-app alerts: newest first, read state per user (notify.alert_reads),
 * resolved for the whole tenant.
 */
#include <stdio.h>

#include "notify.h"
#include "notify.pb-c.h"
#include "sw_audit.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_random.h"
#include "sw_reply.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"

#define ALERT_CREATED_MS SW_TIME_SQL_MS("a.created_at")
#define ALERT_READ_MS SW_TIME_SQL_MS("r.read_at")
#define ALERT_RESOLVED_MS SW_TIME_SQL_MS("a.resolved_at")
/* Named after the fields of Sw__Notify__Alert. $1 tenant, $2 user. */
#define ALERT_COLUMNS                                                                               \
    "a.id, a.type, a.severity, a.title, a.message, a.endpoint_id, a.related::text AS related_json," \
    " " ALERT_CREATED_MS " AS created_unix_ms, " ALERT_READ_MS " AS read_unix_ms,"                  \
    " " ALERT_RESOLVED_MS " AS resolved_unix_ms"
#define ALERT_FROM                                                                                 \
    " FROM notify.alerts a LEFT JOIN notify.alert_reads r"                                         \
    " ON r.alert_id = a.id AND r.user_id = $2::uuid WHERE a.tenant_id = $1::uuid"

/* The caller's user id, or NULL after failing the reply. */
static const char *caller_user(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    if (sw_uuid_valid(ctx->env->user_id))
        return ctx->env->user_id;
    sw_reply_fail(reply, SW_UNAUTHENTICATED, NULL, "This call needs the calling user.");
    return NULL;
}

void notify_list_alerts(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ListAlertsRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    const char *user = tenant ? caller_user(ctx, reply) : NULL;
    if (!user)
        return;
    const char *params[] = {tenant, user, req->has_unread && req->unread ? "t" : "f", req->type};
    Sw__Notify__ListAlertsReply out = SW__NOTIFY__LIST_ALERTS_REPLY__INIT;
    sw_rows_page_query_reply(reply, ctx->db,
                             "SELECT " ALERT_COLUMNS ", count(*) OVER ()" ALERT_FROM
                             " AND (NOT $3::bool OR r.read_at IS NULL)"
                             " AND ($4::text IS NULL OR a.type = $4)"
                             " ORDER BY a.created_at DESC, a.id DESC LIMIT $5::int OFFSET $6::int",
                             4, params, req->page, req->page_size, &out.base);
}

/*
 * Answers alert `id` of the caller's tenant as the caller sees it, after
 * `sql` ran on it (audited as `action` when it changed something: sql
 * returns the alert's id as audit_target then).
 */
static void change_alert(struct sw_rpc_ctx *ctx, const char *id, const char *action,
                         const char *sql, struct sw_reply *reply)
{
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    const char *user = tenant ? caller_user(ctx, reply) : NULL;
    if (!user)
        return;
    if (!sw_uuid_valid(id)) {
        sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
        return;
    }
    const char *params[] = {tenant, user, id};
    const struct sw_audit audit = {.action = action, .target_type = "alert"};
    PGresult *res = NULL;
    int rc = sw_audit_exec(ctx->db, ctx->env, &audit, sql, 3, params, &res);
    PQclear(res);
    res = NULL;
    if (rc == 0)
        rc = sw_pg_query(ctx->db, "SELECT " ALERT_COLUMNS ALERT_FROM " AND a.id = $3::uuid", 3,
                         params, &res);
    if (rc == 0 && PQntuples(res) == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
    } else if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else {
        Sw__Notify__Alert alert;
        sw_rows_fill(res, 0, &sw__notify__alert__descriptor, &alert);
        Sw__Notify__AlertReply out = SW__NOTIFY__ALERT_REPLY__INIT;
        out.alert = &alert;
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}

void notify_read_alert(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__AlertRequest *req = request;
    change_alert(ctx, req->id, "alert.read",
                 "INSERT INTO notify.alert_reads (alert_id, user_id)"
                 " SELECT id, $2::uuid FROM notify.alerts WHERE id = $3::uuid"
                 " AND tenant_id = $1::uuid ON CONFLICT DO NOTHING RETURNING alert_id::text AS"
                 " audit_target",
                 reply);
}

void notify_resolve_alert(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__AlertRequest *req = request;
    change_alert(ctx, req->id, "alert.resolve",
                 "UPDATE notify.alerts SET resolved_at = now() WHERE id = $3::uuid"
                 " AND tenant_id = $1::uuid AND $2::uuid IS NOT NULL AND resolved_at IS NULL"
                 " RETURNING id::text AS audit_target",
                 reply);
}

/*
 * Runs the one-number statement `sql` ($1 tenant, $2 user) for the caller,
 * prepared once per connection as `name`: 0 and *n, or the reply failed.
 */
static int caller_count(struct sw_rpc_ctx *ctx, const char *name, const char *sql, int64_t *n,
                        struct sw_reply *reply)
{
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    const char *user = tenant ? caller_user(ctx, reply) : NULL;
    if (!user)
        return SW_EUNAUTH;
    const char *params[] = {tenant, user};
    PGresult *res = NULL;
    int rc = sw_pg_run(ctx->db, name, sql, 2, params, &res);
    *n = rc == 0 ? sw_pg_int(res, 0, 0) : 0;
    PQclear(res);
    return sw_reply_fail_rc(reply, rc);
}

void notify_read_all(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__Notify__ReadAllAlertsReply out = SW__NOTIFY__READ_ALL_ALERTS_REPLY__INIT;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    const char *user = tenant ? caller_user(ctx, reply) : NULL;
    if (!user)
        return;
    const char *params[] = {tenant, user};
    const struct sw_audit audit = {.action = "alert.read_all", .target_type = "alert"};
    PGresult *res = NULL;
    /* One row (and one audit row) when it marked any: the count. */
    int rc = sw_audit_exec(ctx->db, ctx->env, &audit,
                           "WITH marked AS (INSERT INTO notify.alert_reads (alert_id, user_id)"
                           " SELECT id, $2::uuid FROM notify.alerts WHERE tenant_id = $1::uuid"
                           " ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*),"
                           " jsonb_build_object('marked_read', count(*))::text AS audit_after"
                           " FROM marked HAVING count(*) > 0",
                           2, params, &res);
    if (sw_reply_fail_rc(reply, rc) == 0) {
        out.updated = PQntuples(res) ? sw_pg_int(res, 0, 0) : 0;
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}

void notify_count_unread(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    Sw__Notify__CountUnreadReply out = SW__NOTIFY__COUNT_UNREAD_REPLY__INIT;
    /* Asked by every /api/auth/me/. */
    if (caller_count(ctx, "notify_unread",
                     "SELECT count(*) FROM notify.alerts a WHERE a.tenant_id = $1::uuid"
                     " AND NOT EXISTS (SELECT 1 FROM notify.alert_reads r"
                     " WHERE r.alert_id = a.id AND r.user_id = $2::uuid)",
                     &out.unread, reply) == 0)
        sw_reply_body(reply, &out.base);
}
