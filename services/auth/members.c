/*
 * Members of the caller's tenant: the list (every role), a role change and a
 * removal (owner and admin; an admin may neither touch an owner nor make
 * one). The last owner can neither be demoted nor removed (409 last_owner),
 * decided under a lock on the tenant's owners so two concurrent changes
 * cannot both pass. A removed member's logins end with its row.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "records.h"
#include "sw_pg.h"
#include "sw_pubsub.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"

/* The columns of a Member, named after its fields (sw_rows_fill). */
#define MEMBER_COLUMNS                                                                                     \
    "id, email, role, email_verified, totp_enabled_at IS NOT NULL AS two_factor_enabled, " SW_TIME_SQL_MS( \
        "created_at") " AS created_ms, " SW_TIME_SQL_MS("last_login_at") " AS last_login_ms"

void auth_list_owned(struct sw_rpc_ctx *ctx, bool managers_only, const char *sql, int32_t page,
                     int32_t page_size, ProtobufCMessage *out, struct sw_reply *reply)
{
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || (managers_only && !auth_caller_manages(ctx, reply)))
        return;
    const char *params[] = {tenant};
    sw_rows_page_query_reply(reply, ctx->db, sql, 1, params, page, page_size, out);
}

static const char LIST_SQL[] = "SELECT " MEMBER_COLUMNS ", count(*) OVER () FROM auth.users"
                               " WHERE tenant_id = $1::uuid AND is_active ORDER BY created_at, id"
                               " LIMIT $2::int OFFSET $3::int";

void auth_list_members(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__ListMembersRequest *req = request;
    Sw__Auth__ListMembersReply out = SW__AUTH__LIST_MEMBERS_REPLY__INIT;
    auth_list_owned(ctx, false, LIST_SQL, req->page, req->page_size, &out.base, reply);
}

bool auth_caller_manages(struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *role = ctx->env->role;
    if (role && (strcmp(role, "owner") == 0 || strcmp(role, "admin") == 0))
        return true;
    sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                  "You do not have permission to perform this action.");
    return false;
}

/*
 * Locks the tenant's owners and reads the target member: *res holds its
 * role (column 0), the number of owners (column 1) and the member as the
 * audit log shows it (column 2), or no row (404).
 */
static int lock_target(PGconn *db, const char *tenant, const char *id, PGresult **res)
{
    const char *params[] = {tenant, id};
    int rc = sw_pg_exec(db,
                        "SELECT 1 FROM auth.users WHERE tenant_id = $1::uuid AND role = 'owner'"
                        " AND is_active FOR UPDATE",
                        1, params);
    if (rc == 0)
        rc = sw_pg_query(db,
                         "SELECT role, (SELECT count(*) FROM auth.users WHERE tenant_id = $1::uuid"
                         " AND role = 'owner' AND is_active),"
                         " jsonb_build_object('email', email, 'role', role)::text FROM auth.users"
                         " WHERE tenant_id = $1::uuid AND id = $2::uuid AND is_active FOR UPDATE",
                         2, params, res);
    return rc;
}

/*
 * Whether the caller may change the member whose role is `current` into
 * `next` (NULL: remove it); the reply is failed when not.
 */
static bool change_allowed(struct sw_rpc_ctx *ctx, const char *current, long long owners,
                           const char *next, struct sw_reply *reply)
{
    bool caller_admin = strcmp(ctx->env->role, "admin") == 0;
    bool touches_owner = strcmp(current, "owner") == 0 || (next && strcmp(next, "owner") == 0);
    if (caller_admin && touches_owner)
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                      "Only an owner may change or remove an owner.");
    else if (strcmp(current, "owner") == 0 && (!next || strcmp(next, "owner") != 0) && owners <= 1)
        sw_reply_fail(reply, SW_FAILED_PRECONDITION, "last_owner",
                      "An organisation keeps at least one owner; make someone else owner first.");
    return sw_reply_ok(reply);
}

/* The member's row after the change, for the reply. */
static void answer_member(PGconn *db, const char *tenant, const char *id, struct sw_reply *reply)
{
    const char *params[] = {tenant, id};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT " MEMBER_COLUMNS " FROM auth.users"
                         " WHERE tenant_id = $1::uuid AND id = $2::uuid",
                         2, params, &res);
    if (sw_reply_fail_rc(reply, rc) == 0 && PQntuples(res) == 1) {
        Sw__Auth__Member m;
        sw_rows_fill(res, 0, &sw__auth__member__descriptor, &m);
        Sw__Auth__MemberReply out = SW__AUTH__MEMBER_REPLY__INIT;
        out.member = &m;
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}

static void not_found(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_NOT_FOUND, "not_found", "Not found.");
}

/* Runs `change` on the member `id` inside the owners' lock when change_allowed() agrees. */
static int change_member(struct sw_rpc_ctx *ctx, const char *tenant, const char *id,
                         const char *next, struct sw_reply *reply)
{
    PGresult *res = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_target(ctx->db, tenant, id, &res);
    if (rc == 0 && PQntuples(res) == 0)
        not_found(reply);
    else if (rc == 0 &&
             change_allowed(ctx, PQgetvalue(res, 0, 0), sw_pg_int(res, 0, 1), next, reply)) {
        const char *params[] = {id, next};
        PGresult *after = NULL;
        rc = next ? sw_pg_query(ctx->db,
                                "UPDATE auth.users SET role = $2 WHERE id = $1::uuid RETURNING"
                                " jsonb_build_object('email', email, 'role', role)::text",
                                2, params, &after)
                  : sw_pg_exec(ctx->db, "DELETE FROM auth.users WHERE id = $1::uuid", 1, params);
        if (rc == 0)
            rc = auth_audit(ctx, next ? "member.update" : "member.remove", "member", id,
                            PQgetvalue(res, 0, 2), after ? PQgetvalue(after, 0, 0) : NULL);
        PQclear(after);
    }
    rc = sw_pg_end(ctx->db, sw_reply_outcome(reply, rc));
    PQclear(res);
    return sw_reply_fail_rc(reply, rc);
}

void auth_update_member(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__UpdateMemberRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || !auth_caller_manages(ctx, reply))
        return;
    if (strcmp(req->role, "owner") != 0 && strcmp(req->role, "admin") != 0 &&
        strcmp(req->role, "member") != 0)
        sw_reply_field(reply, "role", "Choose owner, admin or member.");
    if (!sw_reply_ok(reply))
        return;
    if (!sw_uuid_valid(req->id)) {
        not_found(reply);
        return;
    }
    if (change_member(ctx, tenant, req->id, req->role, reply) == 0 && sw_reply_ok(reply))
        answer_member(ctx->db, tenant, req->id, reply);
}

void auth_remove_member(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__RemoveMemberRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || !auth_caller_manages(ctx, reply))
        return;
    if (!sw_uuid_valid(req->id)) {
        not_found(reply);
        return;
    }
    if (change_member(ctx, tenant, req->id, NULL, reply) == 0 && sw_reply_ok(reply)) {
        const struct auth_service *svc = ctx->service;
        /* Its sessions went with the row; gateways refuse its last access tokens now. */
        sw_pub_send(svc->pub, "auth.user_revoked", req->id);
        Sw__Auth__RemoveMemberReply out = SW__AUTH__REMOVE_MEMBER_REPLY__INIT;
        sw_reply_body(reply, &out.base);
    }
}

void auth_revoke_owned(struct sw_rpc_ctx *ctx, const struct auth_owned *what, const char *id,
                       const ProtobufCMessage *done, struct sw_reply *reply)
{
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || !auth_caller_manages(ctx, reply))
        return;
    if (!sw_uuid_valid(id)) {
        not_found(reply);
        return;
    }
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET revoked_at = now() WHERE tenant_id = $1::uuid AND id = $2::uuid"
             " AND revoked_at IS NULL AND %s RETURNING (%s)::text",
             what->table, what->open, what->audit_json);
    const char *params[] = {tenant, id};
    PGresult *res = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = sw_pg_query(ctx->db, sql, 2, params, &res);
    if (rc == 0 && PQntuples(res) == 0)
        not_found(reply);
    else if (rc == 0)
        rc = auth_audit(ctx, what->action, what->target_type, id, PQgetvalue(res, 0, 0), NULL);
    sw_reply_fail_rc(reply, sw_pg_end(ctx->db, sw_reply_outcome(reply, rc)));
    if (sw_reply_ok(reply))
        sw_reply_body(reply, done);
    PQclear(res);
}
