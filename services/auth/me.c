/*
 * The caller's membership, provided its login is still live (auth.Me and
 * every handler acting for a logged-in user), and auth.Me itself.
 */
#include "auth.h"
#include "auth.pb-c.h"
#include "records.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_random.h"
#include "sw_status.h"

static void login_ended(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "not_authenticated", "This login is no longer valid.");
}

int auth_caller(struct sw_rpc_ctx *ctx, struct sw_reply *reply, PGresult **res)
{
    const Sw__Envelope *env = ctx->env;
    *res = NULL;
    if (!sw_uuid_valid(env->user_id) || !sw_uuid_valid(env->session_id) ||
        !sw_uuid_valid(env->tenant_id)) {
        login_ended(reply);
        return SW_EUNAUTH;
    }
    const char *params[] = {env->user_id, env->session_id, env->tenant_id};
    int rc = sw_pg_run(ctx->db, "auth_caller",
                       "SELECT " AUTH_CALLER_COLUMNS " FROM auth.users u"
                       " JOIN auth.sessions s ON s.user_id = u.id"
                       " WHERE u.id = $1 AND s.id = $2 AND u.tenant_id = $3"
                       " AND u.is_active AND " AUTH_SESSION_LIVE("s"),
                       3, params, res);
    if (rc == 0 && PQntuples(*res) == 0) {
        login_ended(reply);
        rc = SW_EUNAUTH;
    }
    sw_reply_fail_rc(reply, rc);
    if (rc) {
        PQclear(*res);
        *res = NULL;
    }
    return rc;
}

void auth_me(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    (void)request;
    PGresult *res = NULL;
    if (auth_caller(ctx, reply, &res) != 0)
        return;
    Sw__Auth__User user;
    auth_user_from_row(res, 0, &user);
    Sw__Auth__MeReply out = SW__AUTH__ME_REPLY__INIT;
    out.user = &user;
    out.two_factor_enabled = sw_pg_bool(res, 0, AUTH_CALLER_TWO_FACTOR);
    sw_reply_body(reply, &out.base);
    PQclear(res);
}
