/* auth.Me: the caller's user row, provided the login is still live. */
#include "auth.h"
#include "auth.pb-c.h"
#include "sw_pg.h"
#include "sw_status.h"

int auth_me(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    (void)body;
    const char *params[] = {ctx->env->user_id, ctx->env->session_id, ctx->env->tenant_id};
    PGresult *res = NULL;
    int rc = sw_pg_query(ctx->db,
                         "SELECT u.id, u.email, u.role, u.email_verified FROM auth.users u"
                         " JOIN auth.sessions s ON s.user_id = u.id"
                         " WHERE u.id = $1 AND s.id = $2 AND u.tenant_id = $3"
                         " AND u.is_active AND s.revoked_at IS NULL",
                         3, params, &res);
    if (rc == SW_EINVAL || (rc == 0 && PQntuples(res) == 0)) {
        sw_reply_error(reply, SW_UNAUTHENTICATED, "not_authenticated",
                       "This login is no longer valid.");
        rc = 0;
    } else if (rc == 0) {
        Sw__Auth__User user = SW__AUTH__USER__INIT;
        user.id = PQgetvalue(res, 0, 0);
        user.email = PQgetvalue(res, 0, 1);
        user.role = PQgetvalue(res, 0, 2);
        user.email_verified = sw_pg_bool(res, 0, 3);
        Sw__Auth__MeReply out = SW__AUTH__ME_REPLY__INIT;
        out.user = &user;
        rc = sw_reply_body(reply, &out.base);
    }
    PQclear(res);
    return rc;
}
