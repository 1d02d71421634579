/*
 * sw-tenants: the tenant registry (schema "tenancy"). Creates a tenant with
 * its generated schema t_<hex id> and primary domain in one transaction,
 * removes all of it again on request (the compensation of a failed
 * registration), answers tenant look-ups with the plan's limits, and takes
 * plan changes from sw-billing (published as tenant.plan_changed).
 */
#ifndef TENANTS_H
#define TENANTS_H

#include <libpq-fe.h>

#include "sw_rpc.h"
#include "sw_time.h"
#include "tenants.pb-c.h"

struct sw_pub;

/* Shared by the workers (ctx->service); built at start-up. */
struct tenants_service {
    struct sw_pub *pub; /* tenant.plan_changed */
};

/* Columns named after the fields of Sw__Tenants__Tenant (tenants_from_row() reads them). */
#define TENANT_COLUMNS                                                                             \
    "t.id, t.name, t.schema_name AS schema, t.plan, t.subscription_status, t.account_status,"      \
    " p.endpoint_limit, p.min_interval_seconds, p.retention_days,"                                 \
    " " SW_TIME_SQL_MS("t.created_at") " AS created_unix_ms"

#define TENANT_FROM " FROM tenancy.tenants t JOIN tenancy.plan_limits p ON p.plan = t.plan"

/* Points the message's strings into the result row (valid until PQclear); a sw_row_fill. */
void tenants_from_row(const PGresult *res, int row, void *tenant);

/* Packs `out` (whose `tenant` field is *slot) with the tenant of res's first row. */
void tenants_reply_with(struct sw_reply *reply, const PGresult *res, ProtobufCMessage *out,
                        Sw__Tenants__Tenant **slot);

/*
 * The end of a change to one tenant: commits when rc is 0, else answers the
 * failure (SW_ENOTFOUND: 404 "No such tenant."). True when committed; the
 * caller then answers with its body.
 */
bool tenants_commit(struct sw_rpc_ctx *ctx, struct sw_reply *reply, int rc);

/* Handlers (request types in proto/tenants.proto). */
sw_rpc_handler_fn tenants_create;
sw_rpc_handler_fn tenants_delete;
sw_rpc_handler_fn tenants_get;
sw_rpc_handler_fn tenants_get_many;
sw_rpc_handler_fn tenants_set_plan;
sw_rpc_handler_fn tenants_list_plan_limits;

/* The most tenants one SyncUsage batch may carry (the gateway sends at most this many). */
#define TENANTS_USAGE_BATCH_MAX 1000

/* usage.c: the gateway's per-tenant API call counts (tenancy.api_usage). */
sw_rpc_handler_fn tenants_sync_usage;
/*
 * Writes SW_RATE_LIMIT_API_PER_MINUTE_FREE [120] and _PRO [1200] into the
 * plans' api_requests_per_minute (start-up); SW_EINVAL for a malformed value.
 */
int tenants_usage_store_limits(PGconn *db);

/* staff.c: the staff routes' tenant listing, suspension and usage counts (proto/staff.proto). */
sw_rpc_handler_fn tenants_staff_list;
sw_rpc_handler_fn tenants_staff_set_account_status;
sw_rpc_handler_fn tenants_staff_usage;

#endif
