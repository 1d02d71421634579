#include "tenants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

/* Points the message's strings into the result row (valid until PQclear). */
void tenants_from_row(const PGresult *res, int row, Sw__Tenants__Tenant *t)
{
    sw__tenants__tenant__init(t);
    t->id = (char *)sw_pg_text(res, row, 0);
    t->name = (char *)sw_pg_text(res, row, 1);
    t->schema = (char *)sw_pg_text(res, row, 2);
    t->plan = (char *)sw_pg_text(res, row, 3);
    t->subscription_status = (char *)sw_pg_text(res, row, 4);
    t->account_status = (char *)sw_pg_text(res, row, 5);
    t->endpoint_limit = (int32_t)sw_pg_int(res, row, 6);
    t->min_interval_seconds = (int32_t)sw_pg_int(res, row, 7);
    t->retention_days = (int32_t)sw_pg_int(res, row, 8);
    t->created_at = (char *)sw_pg_text(res, row, 9);
}

static int audit(PGconn *db, const Sw__Envelope *env, const char *tenant_id, const char *action,
                 const char *detail_json)
{
    const char *params[] = {tenant_id, env->user_id[0] ? env->user_id : NULL, action, detail_json,
                            env->client_ip, env->request_id};
    return sw_pg_exec(db,
                      "INSERT INTO tenancy.audit_log"
                      " (tenant_id, actor_user_id, action, detail, client_ip, request_id)"
                      " VALUES ($1, $2, $3, $4::jsonb, $5, $6)",
                      6, params);
}

/* Inserts the tenant row and its domain; the schema name is generated here. */
static int insert_tenant(PGconn *db, const char *name, PGresult **row)
{
    const char *params[] = {name};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "WITH new AS (SELECT gen_random_uuid() AS id)"
                         " INSERT INTO tenancy.tenants (id, name, schema_name)"
                         " SELECT id, $1, 't_' || replace(id::text, '-', '') FROM new"
                         " RETURNING id",
                         1, params, &res);
    if (rc)
        return rc;
    const char *id_params[] = {PQgetvalue(res, 0, 0)};
    rc = sw_pg_exec(db,
                    "INSERT INTO tenancy.domains (tenant_id, domain)"
                    " SELECT id, schema_name || '.tenants.statuswatch.local'"
                    " FROM tenancy.tenants WHERE id = $1",
                    1, id_params);
    if (rc == 0)
        rc = sw_pg_query(db, "SELECT " TENANT_COLUMNS TENANT_FROM " WHERE t.id = $1", 1, id_params,
                         row);
    PQclear(res);
    return rc;
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

int tenants_create(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Tenants__CreateTenantRequest *req =
        sw__tenants__create_tenant_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
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
        sw_reply_error(reply, SW_ALREADY_EXISTS, "duplicate_organization_name",
                       "An organisation with this name already exists.");
    else if (rc == SW_EINVAL)
        sw_reply_field(reply, "organization_name", "Enter a name of 2 to 100 characters.");
    if (rc == 0) {
        Sw__Tenants__Tenant tenant;
        tenants_from_row(row, 0, &tenant);
        Sw__Tenants__CreateTenantReply out = SW__TENANTS__CREATE_TENANT_REPLY__INIT;
        out.tenant = &tenant;
        rc = sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, tenant.id, "tenant created (schema %s)",
               tenant.schema);
    }
    PQclear(row);
    sw__tenants__create_tenant_request__free_unpacked(req, NULL);
    return rc;
}

int tenants_delete(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Tenants__DeleteTenantRequest *req =
        sw__tenants__delete_tenant_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    const char *params[] = {req->id};
    PGresult *res = NULL;
    char *quoted = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "DELETE FROM tenancy.tenants WHERE id = $1 RETURNING schema_name", 1,
                         params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = sw_pg_quote_ident(ctx->db, PQgetvalue(res, 0, 0), &quoted);
    if (rc == 0) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", quoted);
        rc = sw_pg_exec(ctx->db, sql, 0, NULL);
    }
    if (rc == 0)
        rc = audit(ctx->db, ctx->env, req->id, "tenant.deleted", "{}");
    if (rc == 0)
        rc = sw_pg_commit(ctx->db);
    if (rc == 0) {
        Sw__Tenants__DeleteTenantReply out = SW__TENANTS__DELETE_TENANT_REPLY__INIT;
        rc = sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, req->id, "tenant removed");
    } else if (rc == SW_ENOTFOUND || rc == SW_EINVAL) {
        sw_reply_error(reply, SW_NOT_FOUND, NULL, "No such tenant.");
    }
    PQfreemem(quoted);
    PQclear(res);
    sw__tenants__delete_tenant_request__free_unpacked(req, NULL);
    return rc;
}

int tenants_get(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Tenants__GetTenantRequest *req =
        sw__tenants__get_tenant_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    const char *params[] = {req->id};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT " TENANT_COLUMNS TENANT_FROM " WHERE t.id = $1", 1,
                         params, &res);
    if (rc == SW_EINVAL || (rc == 0 && PQntuples(res) == 0)) {
        sw_reply_error(reply, SW_NOT_FOUND, NULL, "No such tenant.");
        rc = 0;
    } else if (rc == 0) {
        Sw__Tenants__Tenant tenant;
        tenants_from_row(res, 0, &tenant);
        Sw__Tenants__GetTenantReply out = SW__TENANTS__GET_TENANT_REPLY__INIT;
        out.tenant = &tenant;
        rc = sw_reply_body(reply, &out.base);
    }
    PQclear(res);
    sw__tenants__get_tenant_request__free_unpacked(req, NULL);
    return rc;
}

/* Joins ids with commas for string_to_array(); an id holding a comma is dropped. */
static char *join_ids(char **ids, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(ids[i]) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr(ids[i], ','))
            continue;
        if (pos)
            out[pos++] = ',';
        memcpy(out + pos, ids[i], strlen(ids[i]));
        pos += strlen(ids[i]);
    }
    out[pos] = '\0';
    return out;
}

int tenants_get_many(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body,
                     struct sw_reply *reply)
{
    Sw__Tenants__GetTenantsRequest *req =
        sw__tenants__get_tenants_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    char *ids = join_ids(req->ids, req->n_ids);
    PGresult *res = NULL;
    Sw__Tenants__Tenant *store = NULL;
    Sw__Tenants__Tenant **ptrs = NULL;
    int rc = ids ? 0 : SW_EINTERNAL;
    if (rc == 0) {
        const char *params[] = {ids};
        rc = sw_pg_query(ctx->db,
                         "SELECT " TENANT_COLUMNS TENANT_FROM
                         " WHERE t.id = ANY(string_to_array($1, ',')::uuid[]) ORDER BY t.name",
                         1, params, &res);
    }
    if (rc == 0) {
        size_t n = (size_t)PQntuples(res);
        store = calloc(n ? n : 1, sizeof *store);
        ptrs = calloc(n ? n : 1, sizeof *ptrs);
        rc = store && ptrs ? 0 : SW_EINTERNAL;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            tenants_from_row(res, (int)i, &store[i]);
            ptrs[i] = &store[i];
        }
        Sw__Tenants__GetTenantsReply out = SW__TENANTS__GET_TENANTS_REPLY__INIT;
        out.n_tenants = n;
        out.tenants = ptrs;
        if (rc == 0)
            rc = sw_reply_body(reply, &out.base);
    }
    free(ptrs);
    free(store);
    PQclear(res);
    free(ids);
    sw__tenants__get_tenants_request__free_unpacked(req, NULL);
    return rc;
}
