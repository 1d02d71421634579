#include "records.h"

#include <string.h>

#include "rules.h"
#include "sw_audit.h"
#include "sw_rpc.h"

#include "sw_pg.h"
#include "sw_reply.h"

void auth_user_from_row(const PGresult *res, int row, Sw__Auth__User *user)
{
    sw__auth__user__init(user);
    user->id = (char *)sw_pg_text(res, row, 0);
    user->email = (char *)sw_pg_text(res, row, 1);
    user->role = (char *)sw_pg_text(res, row, 2);
    user->email_verified = sw_pg_bool(res, row, 3);
}

void auth_tenant_ref(const Sw__Tenants__Tenant *tenant, Sw__Auth__TenantRef *ref)
{
    sw__auth__tenant_ref__init(ref);
    ref->id = tenant->id;
    ref->name = tenant->name;
    ref->schema = tenant->schema;
}

void auth_answer_membership(const Sw__Tenants__Tenant *tenant, const PGresult *user,
                            struct sw_reply *reply)
{
    Sw__Auth__TenantRef ref;
    auth_tenant_ref(tenant, &ref);
    Sw__Auth__User u;
    auth_user_from_row(user, 0, &u);
    Sw__Auth__RegisterReply out = SW__AUTH__REGISTER_REPLY__INIT;
    out.tenant = &ref;
    out.user = &u;
    sw_reply_body(reply, &out.base);
}

void auth_check_new_password(const char *password, const char *confirm, bool policy,
                             struct sw_reply *reply)
{
    const char *msg = policy ? auth_rule_password(password) : NULL;
    if (msg)
        sw_reply_field(reply, "password", msg);
    if (!confirm || !confirm[0])
        sw_reply_field(reply, "password_confirm", "This field is required.");
    else if (!password || strcmp(password, confirm) != 0)
        sw_reply_field(reply, "password_confirm", "Passwords do not match.");
}

int auth_audit(struct sw_rpc_ctx *ctx, const char *action, const char *target_type,
               const char *target_id, const char *before, const char *after)
{
    const struct sw_audit a = {.action = action,
                               .target_type = target_type,
                               .target_id = target_id,
                               .before = before,
                               .after = after};
    return sw_audit_write(ctx->db, ctx->env, &a);
}

int auth_audit_self(struct sw_rpc_ctx *ctx, const char *user_id, const char *action)
{
    const char *params[] = {user_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db, "SELECT tenant_id, email FROM auth.users WHERE id = $1::uuid", 1,
                         params, &res);
    if (rc == 0 && PQntuples(res) == 1) {
        const struct sw_audit a = {.tenant_id = PQgetvalue(res, 0, 0),
                                   .actor_type = "user",
                                   .actor_id = user_id,
                                   .actor_email = PQgetvalue(res, 0, 1),
                                   .action = action,
                                   .target_type = "user",
                                   .target_id = user_id};
        rc = sw_audit_write(ctx->db, ctx->env, &a);
    }
    PQclear(res);
    return rc;
}

void auth_require_fields(const char *email, const char *password, struct sw_reply *reply)
{
    if (!email[0])
        sw_reply_field(reply, "email", "This field is required.");
    if (!password[0])
        sw_reply_field(reply, "password", "This field is required.");
}
