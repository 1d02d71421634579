/*
 * The staff side of the tenant registry (api.md "Staff"): the tenant
 * listing with its filters, suspension and reactivation, and the tenant
 * counts of the usage report. Every handler speaks only to a staff caller
 * (sw_reply_caller_staff). A change of account status is written with its
 * audit row (audit.events, actor "staff") in one transaction and then
 * announced as tenant.status_changed
 * (payload: the tenant id); the gateway's tenant guard picks it up at its
 * next sync (SW_GATEWAY_TENANT_SYNC_MS), sw-monitors drops its cached copy.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "staff.pb-c.h"
#include "sw_audit.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_text.h"
#include "sw_time.h"
#include "tenants.h"

#define REASON_MAX 500
#define QUERY_MAX 200

/* Columns named after the fields of Sw__Staff__Tenant. */
#define STAFF_TENANT_COLUMNS                                                                       \
    "t.id, t.name, t.schema_name AS schema, t.plan, t.account_status, t.subscription_status,"      \
    " " SW_TIME_SQL_MS("t.created_at") " AS created_unix_ms, t.suspension_reason,"                 \
                                       " " SW_TIME_SQL_MS(                                         \
                                           "t.suspended_at") " AS suspended_unix_ms"

/* The account statuses of the contract, in the order reports show them. */
static const char *const STATUSES[] = {"trial",    "active",    "pending_payment",
                                       "past_due", "suspended", "cancelled"};
#define STATUS_ARRAY "'{trial,active,pending_payment,past_due,suspended,cancelled}'::text[]"

static bool known_status(const char *status)
{
    for (size_t i = 0; i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        if (strcmp(status, STATUSES[i]) == 0)
            return true;
    return false;
}

/* A filter as sent: "" is no filter. */
static const char *filter(const char *value) { return value && value[0] ? value : NULL; }

void tenants_staff_list(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Staff__ListTenantsRequest *req = request;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    const char *q = filter(req->q), *status = filter(req->status), *plan = filter(req->plan);
    if (q && strlen(q) > QUERY_MAX)
        sw_reply_field(reply, "q", "Ensure this field has no more than 200 characters.");
    if (status && !known_status(status))
        sw_reply_field(reply, "status", "Not a valid account status.");
    if (plan && strcmp(plan, "free") != 0 && strcmp(plan, "pro") != 0)
        sw_reply_field(reply, "plan", "Not a valid plan.");
    if (!sw_reply_ok(reply))
        return;
    const char *params[] = {q, status, plan};
    Sw__Staff__ListTenantsReply out = SW__STAFF__LIST_TENANTS_REPLY__INIT;
    sw_rows_page_query_reply(
        reply, ctx->db,
        "SELECT " STAFF_TENANT_COLUMNS ", count(*) OVER ()"
        " FROM tenancy.tenants t"
        " WHERE ($1::text IS NULL OR position(lower($1) IN lower(t.name)) > 0"
        " OR t.id::text = lower($1) OR t.schema_name = lower($1))"
        " AND ($2::text IS NULL OR t.account_status = $2)"
        " AND ($3::text IS NULL OR t.plan = $3)"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT $4::int OFFSET $5::bigint",
        3, params, req->page, req->page_size, &out.base);
}

/*
 * Moves the tenant to account status $2 (with reason $3 when suspending)
 * unless it is there already, audited (sw_audit_exec: the change and its
 * audit.events row in one transaction); a row only when it changed.
 */
static const char SET_STATUS_SQL[] =
    "WITH old AS (SELECT id, account_status, suspension_reason FROM tenancy.tenants"
    " WHERE id = $1 FOR UPDATE)"
    " UPDATE tenancy.tenants t SET account_status = $2,"
    " suspension_reason = CASE WHEN $2 = 'suspended' THEN $3 END,"
    " suspended_at = CASE WHEN $2 = 'suspended' THEN now() END, updated_at = now()"
    " FROM old WHERE t.id = old.id AND t.account_status <> $2"
    " RETURNING old.account_status, t.id::text AS audit_target,"
    " jsonb_build_object('account_status', old.account_status,"
    " 'suspension_reason', old.suspension_reason)::text AS audit_before,"
    " jsonb_build_object('account_status', t.account_status,"
    " 'suspension_reason', t.suspension_reason)::text AS audit_after";

static void staff_tenant_from_row(const PGresult *res, int row, void *msg)
{
    sw_rows_fill(res, row, &sw__staff__tenant__descriptor, msg);
}

void tenants_staff_set_account_status(struct sw_rpc_ctx *ctx, const void *request,
                                      struct sw_reply *reply)
{
    struct tenants_service *svc = ctx->service;
    const Sw__Staff__SetAccountStatusRequest *req = request;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    char reason[REASON_MAX * 4 + 1] = "";
    if (req->reason && (sw_trim_copy(req->reason, reason, sizeof reason) != 0 ||
                        sw_utf8_length(reason) > REASON_MAX))
        sw_reply_field(reply, "reason", "Ensure this field has no more than 500 characters.");
    else if (req->suspend && !reason[0])
        sw_reply_field(reply, "reason", "This field is required.");
    if (!sw_reply_ok(reply))
        return;
    if (!sw_uuid_valid(req->id)) {
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
        return;
    }
    const char *to = req->suspend ? "suspended" : "active";
    const struct sw_audit audit = {.tenant_id = req->id,
                                   .action = req->suspend ? "tenant.suspend" : "tenant.reactivate",
                                   .target_type = "tenant"};
    const char *params[] = {req->id, to, reason[0] ? reason : NULL};
    PGresult *changed = NULL, *row = NULL;
    int rc = sw_audit_exec(ctx->db, ctx->env, &audit, SET_STATUS_SQL, 3, params, &changed);
    char from[32] = "";
    if (rc == 0 && PQntuples(changed) == 1)
        snprintf(from, sizeof from, "%s", PQgetvalue(changed, 0, 0));
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "SELECT " STAFF_TENANT_COLUMNS " FROM tenancy.tenants t WHERE t.id = $1",
                         1, params, &row);
    if (rc == 0 && PQntuples(row) == 0)
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
    else if (sw_reply_fail_rc(reply, rc) == 0) {
        if (from[0]) {
            sw_log(SW_LOG_INFO, ctx->env->request_id, req->id, "account %s -> %s by staff %s", from,
                   to, ctx->env->user_id);
            if (sw_pub_send(svc->pub, "tenant.status_changed", req->id) != 0)
                sw_log(SW_LOG_WARN, ctx->env->request_id, req->id,
                       "tenant.status_changed not published");
        }
        Sw__Staff__Tenant tenant;
        staff_tenant_from_row(row, 0, &tenant);
        Sw__Staff__TenantReply out = SW__STAFF__TENANT_REPLY__INIT;
        out.tenant = &tenant;
        sw_reply_body(reply, &out.base);
    }
    PQclear(row);
    PQclear(changed);
}

/* One tally of the usage report: rows of (kind, key, value). */
static void add_tally(Sw__Staff__Tally *t, const PGresult *res, int row)
{
    sw__staff__tally__init(t);
    t->key = (char *)sw_pg_text(res, row, 1);
    t->value = sw_pg_int(res, row, 2);
}

#define USAGE_ROWS_MAX 64

void tenants_staff_usage(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db,
                         "SELECT kind, key, value FROM ("
                         " SELECT 'plan' AS kind, 1 AS k, 0::int8 AS n, p.plan AS key,"
                         " count(t.id) AS value FROM tenancy.plan_limits p"
                         " LEFT JOIN tenancy.tenants t ON t.plan = p.plan GROUP BY p.plan"
                         " UNION ALL SELECT 'status', 2, s.n, s.status, count(t.id)"
                         " FROM unnest(" STATUS_ARRAY ") WITH ORDINALITY AS s(status, n)"
                         " LEFT JOIN tenancy.tenants t ON t.account_status = s.status"
                         " GROUP BY s.status, s.n"
                         " UNION ALL SELECT 'api', 3, 0, '', coalesce(sum(calls), 0)::int8"
                         " FROM tenancy.api_usage_hourly WHERE hour > now() - interval '24 hours'"
                         ") x ORDER BY k, n, key",
                         0, NULL, &res);
    int n = rc == 0 ? PQntuples(res) : 0;
    if (rc == 0 && n > USAGE_ROWS_MAX)
        rc = SW_EINTERNAL;
    if (rc == 0) {
        Sw__Staff__Tally tallies[USAGE_ROWS_MAX];
        Sw__Staff__Tally *by_plan[USAGE_ROWS_MAX], *by_status[USAGE_ROWS_MAX];
        Sw__Staff__TenantUsageReply out = SW__STAFF__TENANT_USAGE_REPLY__INIT;
        out.tenants_by_plan = by_plan;
        out.tenants_by_status = by_status;
        for (int i = 0; i < n; i++) {
            const char *kind = PQgetvalue(res, i, 0);
            add_tally(&tallies[i], res, i);
            if (strcmp(kind, "plan") == 0)
                by_plan[out.n_tenants_by_plan++] = &tallies[i];
            else if (strcmp(kind, "status") == 0)
                by_status[out.n_tenants_by_status++] = &tallies[i];
            else
                out.api_calls_last_24h = tallies[i].value;
        }
        sw_reply_body(reply, &out.base);
    }
    sw_reply_fail_rc(reply, rc);
    PQclear(res);
}
