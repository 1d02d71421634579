/*
 * A tenant's endpoint counts, kept as data in its monitors.tenant_schemas row
 * (migrations/006_plan_rules.sql) and changed in the transaction of every
 * change that adds, removes, pauses or resumes an endpoint. The row is also
 * the tenant's endpoint lock: taken FOR UPDATE before any endpoint row, so two
 * creations at the limit cannot both pass and no two writers of one tenant
 * lock in opposite orders.
 */
#include <stdbool.h>
#include <stdio.h>

#include "monitors.h"
#include "sw_pg.h"
#include "sw_status.h"

int mon_tenant_lock(PGconn *db, const struct mon_tenant *tenant, struct mon_counts *out)
{
    const char *params[] = {tenant->schema};
    PGresult *res = NULL;
    int rc = sw_pg_query(db,
                         "SELECT endpoints, active_endpoints FROM monitors.tenant_schemas"
                         " WHERE schema_name = $1 FOR UPDATE",
                         1, params, &res);
    if (rc == 0 && PQntuples(res) != 1)
        rc = SW_ENOTFOUND; /* provisioned before any handler runs; gone only with the tenant */
    if (rc == 0 && out) {
        out->endpoints = sw_pg_int(res, 0, 0);
        out->active = sw_pg_int(res, 0, 1);
    }
    PQclear(res);
    return rc;
}

int mon_counts_take(PGconn *db, const struct mon_tenant *tenant, bool active, bool *taken)
{
    char limit[16];
    snprintf(limit, sizeof limit, "%d", tenant->endpoint_limit);
    const char *params[] = {tenant->schema, tenant->limited ? limit : NULL, active ? "1" : "0"};
    long long n = 0;
    /* A creation running at the same time waits for the row and is judged on the new count. */
    int rc =
        sw_pg_query_int(db,
                        "WITH up AS (UPDATE monitors.tenant_schemas SET endpoints = endpoints + 1,"
                        "   active_endpoints = active_endpoints + $3::int WHERE schema_name = $1"
                        "   AND ($2::int IS NULL OR endpoints < $2::int) RETURNING 1)"
                        " SELECT count(*) FROM up",
                        3, params, &n);
    *taken = n == 1;
    if (rc == 0 && !*taken && !tenant->limited)
        rc = SW_ENOTFOUND; /* no counts row: the tenant's schema is gone */
    return rc;
}

int mon_counts_add(PGconn *db, const struct mon_tenant *tenant, int endpoints, int active)
{
    if (endpoints == 0 && active == 0)
        return 0;
    char e[16], a[16];
    snprintf(e, sizeof e, "%d", endpoints);
    snprintf(a, sizeof a, "%d", active);
    const char *params[] = {tenant->schema, e, a};
    return sw_pg_exec(db,
                      "UPDATE monitors.tenant_schemas SET endpoints = endpoints + $2::int,"
                      " active_endpoints = active_endpoints + $3::int WHERE schema_name = $1",
                      3, params);
}
