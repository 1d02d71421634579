#include "records.h"

#include <string.h>

#include "rules.h"

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
