#include "records.h"

#include "sw_pg.h"

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
