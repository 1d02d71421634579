#include "sw_audit.h"

#include "sw_pg.h"
#include "sw_pg_prepared.h"

/* The actor of an envelope: what the gateway said, or a user when it names one, or the system. */
static const char *actor_type(const Sw__Envelope *env, const struct sw_audit *a)
{
    if (a->actor_type)
        return a->actor_type;
    if (env && env->actor_type)
        return env->actor_type;
    return (env && env->user_id) || a->actor_id ? "user" : "system";
}

int sw_audit_write(PGconn *db, const Sw__Envelope *env, const struct sw_audit *a)
{
    const char *params[] = {
        a->tenant_id ? a->tenant_id : (env ? env->tenant_id : NULL),
        actor_type(env, a),
        a->actor_id ? a->actor_id : (env ? env->user_id : NULL),
        a->actor_email ? a->actor_email : (env ? env->actor_email : NULL),
        a->action,
        a->target_type,
        a->target_id,
        env ? env->client_ip : NULL,
        env ? env->user_agent : NULL,
        env ? env->request_id : NULL,
        a->before,
        a->after,
    };
    if (!params[0])
        return 0; /* nothing of a tenant changed */
    return sw_pg_run(db, "sw_audit_write",
                     "INSERT INTO audit.events (tenant_id, actor_type, actor_id, actor_email,"
                     " action, target_type, target_id, ip, user_agent, request_id, before, after)"
                     " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, left($9, 512), $10,"
                     " audit.clean($11::jsonb), audit.clean($12::jsonb))",
                     12, params, NULL);
}

/* The text of column `name` of row `row`, or `fallback` when there is no such column or it is NULL.
 */
static const char *column_or(const PGresult *res, int row, const char *name, const char *fallback)
{
    int col = PQfnumber(res, name);
    return col < 0 || PQgetisnull(res, row, col) ? fallback : PQgetvalue(res, row, col);
}

int sw_audit_exec(PGconn *db, const Sw__Envelope *env, const struct sw_audit *a, const char *sql,
                  int n_params, const char *const *params, PGresult **res)
{
    *res = NULL;
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db, sql, n_params, params, res);
    for (int row = 0; rc == 0 && row < PQntuples(*res); row++) {
        struct sw_audit one = *a;
        one.target_id = column_or(*res, row, "audit_target", a->target_id);
        one.before = column_or(*res, row, "audit_before", a->before);
        one.after = column_or(*res, row, "audit_after", a->after);
        rc = sw_audit_write(db, env, &one);
    }
    rc = sw_pg_end(db, rc);
    if (rc) {
        PQclear(*res);
        *res = NULL;
    }
    return rc;
}
