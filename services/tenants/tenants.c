#include "tenants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

void tenants_reply_with(struct sw_reply *reply, const PGresult *res, ProtobufCMessage *out,
                        Sw__Tenants__Tenant **slot)
{
    Sw__Tenants__Tenant tenant;
    tenants_from_row(res, 0, &tenant);
    *slot = &tenant;
    sw_reply_body(reply, out);
    *slot = NULL;
}

bool tenants_commit(struct sw_rpc_ctx *ctx, struct sw_reply *reply, int rc)
{
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == SW_ENOTFOUND)
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
    else
        sw_reply_fail_rc(reply, rc);
    return rc == 0;
}

void tenants_from_row(const PGresult *res, int row, void *tenant)
{
    sw_rows_fill(res, row, &sw__tenants__tenant__descriptor, tenant);
}

static int audit(PGconn *db, const Sw__Envelope *env, const char *tenant_id, const char *action,
                 const char *detail_json)
{
    const char *params[] = {tenant_id,   env->user_id,   action,
                            detail_json, env->client_ip, env->request_id};
    return sw_pg_exec(db,
                      "INSERT INTO tenancy.audit_log"
                      " (tenant_id, actor_user_id, action, detail, client_ip, request_id)"
                      " VALUES ($1, $2, $3, $4::jsonb, $5, $6)",
                      6, params);
}

/*
 * Inserts the tenant row and its domain in one statement; *row: the tenant as
 * stored. The id and the schema name are generated here.
 */
static int insert_tenant(PGconn *db, const char *name, PGresult **row)
{
    const char *params[] = {name};
    return sw_pg_query(db,
                       "WITH t AS (INSERT INTO tenancy.tenants (id, name, schema_name)"
                       " SELECT id, $1, 't_' || replace(id::text, '-', '')"
                       " FROM (SELECT gen_random_uuid() AS id) new RETURNING *),"
                       " d AS (INSERT INTO tenancy.domains (tenant_id, domain)"
                       " SELECT id, schema_name || '.tenants.statuswatch.local' FROM t)"
                       " SELECT " TENANT_COLUMNS
                       " FROM t JOIN tenancy.plan_limits p ON p.plan = t.plan",
                       1, params, row);
}

static int create_schema(PGconn *db, const char *schema)
{
    char *quoted = NULL;
    int rc = sw_pg_quote_ident(db, schema, &quoted);
    if (rc)
        return rc;
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", quoted);
    PQfreemem(quoted);
    return sw_pg_exec(db, sql, 0, NULL);
}

void tenants_create(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Tenants__CreateTenantRequest *req = request;
    PGresult *row = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = insert_tenant(ctx->db, req->name, &row);
    if (rc == 0)
        rc = create_schema(ctx->db, sw_pg_text(row, 0, 2));
    if (rc == 0)
        rc = audit(ctx->db, ctx->env, sw_pg_text(row, 0, 0), "tenant.created", "{}");
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == SW_EEXISTS)
        sw_reply_fail(reply, SW_ALREADY_EXISTS, "duplicate_organization_name",
                      "An organisation with this name already exists.");
    else if (rc == SW_EINVAL)
        sw_reply_field(reply, "organization_name", "Enter a name of 2 to 100 characters.");
    else if (rc)
        sw_reply_fail_rc(reply, rc);
    else {
        Sw__Tenants__CreateTenantReply out = SW__TENANTS__CREATE_TENANT_REPLY__INIT;
        tenants_reply_with(reply, row, &out.base, &out.tenant);
        sw_log(SW_LOG_INFO, ctx->env->request_id, sw_pg_text(row, 0, 0),
               "tenant created (schema %s)", sw_pg_text(row, 0, 2));
    }
    PQclear(row);
}

static int drop_schema(PGconn *db, const char *schema)
{
    char *quoted = NULL;
    int rc = sw_pg_quote_ident(db, schema, &quoted);
    if (rc == 0) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", quoted);
        rc = sw_pg_exec(db, sql, 0, NULL);
    }
    PQfreemem(quoted);
    return rc;
}

void tenants_delete(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Tenants__DeleteTenantRequest *req = request;
    const char *params[] = {req->id};
    PGresult *res = NULL;
    int rc = sw_uuid_valid(req->id) ? sw_pg_begin(ctx->db) : SW_ENOTFOUND;
    if (rc == 0)
        rc = sw_pg_query(ctx->db, "DELETE FROM tenancy.tenants WHERE id = $1 RETURNING schema_name",
                         1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = drop_schema(ctx->db, PQgetvalue(res, 0, 0));
    if (rc == 0)
        rc = audit(ctx->db, ctx->env, req->id, "tenant.deleted", "{}");
    if (tenants_commit(ctx, reply, rc)) {
        Sw__Tenants__DeleteTenantReply out = SW__TENANTS__DELETE_TENANT_REPLY__INIT;
        sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, req->id, "tenant removed");
    }
    PQclear(res);
}

void tenants_get(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Tenants__GetTenantRequest *req = request;
    if (!sw_uuid_valid(req->id)) {
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
        return;
    }
    const char *params[] = {req->id};
    PGresult *res = NULL;
    int rc = sw_pg_run(ctx->db, "tenants_get",
                       "SELECT " TENANT_COLUMNS TENANT_FROM " WHERE t.id = $1", 1, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such tenant.");
    else if (rc)
        sw_reply_fail_rc(reply, rc);
    else {
        Sw__Tenants__GetTenantReply out = SW__TENANTS__GET_TENANT_REPLY__INIT;
        tenants_reply_with(reply, res, &out.base, &out.tenant);
    }
    PQclear(res);
}

void tenants_get_many(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Tenants__GetTenantsRequest *req = request;
    char *ids = sw_pg_uuid_array(req->ids, req->n_ids);
    if (!ids) {
        sw_reply_fail_rc(reply, SW_EINTERNAL);
        return;
    }
    const char *params[] = {ids};
    Sw__Tenants__GetTenantsReply out = SW__TENANTS__GET_TENANTS_REPLY__INIT;
    sw_rows_query_reply(reply, ctx->db,
                        "SELECT " TENANT_COLUMNS TENANT_FROM
                        " WHERE t.id = ANY($1::uuid[]) ORDER BY t.name",
                        1, params, sizeof(Sw__Tenants__Tenant), tenants_from_row, &out.base,
                        &out.n_tenants, &out.tenants);
    free(ids);
}
