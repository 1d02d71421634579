/* A tenant's notification settings and its delivery log. */
#include <stdio.h>

#include "notify.h"
#include "notify.pb-c.h"
#include "sw_audit.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_reply.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"

/* The tenant's settings ($1), the defaults when it never saved any. */
#define SETTINGS_SQL                                                                               \
    "SELECT coalesce(max(debounce_minutes), %d), coalesce(max(storm_threshold), %d)"               \
    " FROM notify.settings WHERE tenant_id = $1::uuid"

static void reply_settings(PGconn *db, const char *tenant, struct sw_reply *reply)
{
    char sql[256];
    snprintf(sql, sizeof sql, SETTINGS_SQL, NOTIFY_DEBOUNCE_DEFAULT, NOTIFY_STORM_DEFAULT);
    const char *params[] = {tenant};
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, 1, params, &res);
    if (rc == 0) {
        Sw__Notify__Settings s = SW__NOTIFY__SETTINGS__INIT;
        s.debounce_minutes = (int)sw_pg_int(res, 0, 0);
        s.storm_threshold = (int)sw_pg_int(res, 0, 1);
        Sw__Notify__SettingsReply out = SW__NOTIFY__SETTINGS_REPLY__INIT;
        out.settings = &s;
        sw_reply_body(reply, &out.base);
    } else {
        sw_reply_fail_rc(reply, rc);
    }
    PQclear(res);
}

void notify_get_settings(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (tenant)
        reply_settings(ctx->db, tenant, reply);
}

static void check_range(struct sw_reply *reply, const char *field, protobuf_c_boolean has,
                        int value, int min, int max)
{
    char why[96];
    snprintf(why, sizeof why, "Ensure this value is between %d and %d.", min, max);
    if (!has)
        sw_reply_field(reply, field, "This field is required.");
    else if (value < min || value > max)
        sw_reply_field(reply, field, why);
}

void notify_put_settings(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__PutSettingsRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || notify_caller_manages(ctx, reply) != 0)
        return;
    check_range(reply, "debounce_minutes", req->has_debounce_minutes, req->debounce_minutes, 0,
                NOTIFY_DEBOUNCE_MAX);
    check_range(reply, "storm_threshold", req->has_storm_threshold, req->storm_threshold, 1,
                NOTIFY_STORM_MAX);
    if (!sw_reply_ok(reply))
        return;
    char debounce[16], storm[16];
    snprintf(debounce, sizeof debounce, "%d", req->debounce_minutes);
    snprintf(storm, sizeof storm, "%d", req->storm_threshold);
    const char *params[] = {tenant, debounce, storm};
    const struct sw_audit audit = {.action = "notification_settings.update",
                                   .target_type = "notification_settings",
                                   .target_id = tenant};
    PGresult *res = NULL;
    int rc = sw_audit_exec(
        ctx->db, ctx->env, &audit,
        "WITH old AS (SELECT jsonb_build_object('debounce_minutes', debounce_minutes,"
        " 'storm_threshold', storm_threshold)::text AS doc FROM notify.settings"
        " WHERE tenant_id = $1::uuid)"
        " INSERT INTO notify.settings (tenant_id, debounce_minutes, storm_threshold)"
        " VALUES ($1::uuid, $2::int, $3::int) ON CONFLICT (tenant_id) DO UPDATE"
        " SET debounce_minutes = excluded.debounce_minutes,"
        " storm_threshold = excluded.storm_threshold, updated_at = now()"
        " RETURNING (SELECT doc FROM old) AS audit_before, jsonb_build_object('debounce_minutes',"
        " debounce_minutes, 'storm_threshold', storm_threshold)::text AS audit_after",
        3, params, &res);
    PQclear(res);
    if (rc)
        sw_reply_fail_rc(reply, rc);
    else
        reply_settings(ctx->db, tenant, reply);
}

#define LOG_CREATED_MS SW_TIME_SQL_MS("created_at")
#define LOG_SENT_MS SW_TIME_SQL_MS("sent_at")
/*
 * Named after the fields of Sw__Notify__Delivery. The API's status of a row:
 * "pending" (not yet tried) shows as "retrying".
 */
#define LOG_COLUMNS                                                                                \
    "id, channel_id, event_type, endpoint_id,"                                                     \
    " CASE status WHEN 'pending' THEN 'retrying' ELSE status END AS status, attempts, error,"      \
    " " LOG_CREATED_MS " AS created_unix_ms, " LOG_SENT_MS " AS sent_unix_ms"

void notify_list_log(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Notify__ListLogRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant)
        return;
    if (req->channel_id && !sw_uuid_valid(req->channel_id)) {
        sw_reply_field(reply, "channel", "Must be a valid UUID.");
        return;
    }
    const char *params[] = {tenant, req->channel_id};
    Sw__Notify__ListLogReply out = SW__NOTIFY__LIST_LOG_REPLY__INIT;
    sw_rows_page_query_reply(reply, ctx->db,
                             "SELECT " LOG_COLUMNS ", count(*) OVER () FROM notify.deliveries"
                             " WHERE tenant_id = $1::uuid AND ($2::uuid IS NULL OR channel_id = $2)"
                             " ORDER BY created_at DESC, id DESC LIMIT $3::int OFFSET $4::int",
                             2, params, req->page, req->page_size, &out.base);
}
