/*
 * auth.AcceptInvitation (unauthenticated): spends an invitation's link and
 * creates the verified membership it promised, in one transaction. The
 * e-mail's identity keeps its password (the one to give here) when it has
 * one; otherwise the password given founds it, under the password rules.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "one_time.h"
#include "records.h"
#include "rules.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"

enum { C_TENANT, C_EMAIL, C_ROLE, C_LIVE, C_OPEN, C_IDENTITY, C_MEMBERSHIPS, C_MEMBER };

/* The invitation of the token, locked, with what accepting it depends on. */
static int lock_invitation(PGconn *db, const char *token, PGresult **res)
{
    char digest[AUTH_DIGEST_TEXT];
    auth_token_digest(token, digest);
    const char *params[] = {digest};
    return sw_pg_query(db,
                       "SELECT v.tenant_id, v.email, v.role, v.expires_at > now(),"
                       " v.accepted_at IS NULL AND v.revoked_at IS NULL,"
                       " (SELECT password_hash FROM auth.identities i WHERE i.email = v.email),"
                       " (SELECT count(*) FROM auth.users u WHERE u.email = v.email),"
                       " EXISTS (SELECT 1 FROM auth.users u WHERE u.email = v.email"
                       " AND u.tenant_id = v.tenant_id AND u.is_active)"
                       " FROM auth.invitations v WHERE v.token_hash = $1 FOR UPDATE",
                       1, params, res);
}

/* Decides whether the invitation can be accepted with this password; *hash when a new one. */
static void check(const struct auth_service *svc, const PGresult *inv, const char *password,
                  char hash[AUTH_HASH_MAX], bool *founds, struct sw_reply *reply)
{
    if (PQntuples(inv) == 0 || !sw_pg_bool(inv, 0, C_OPEN)) {
        auth_token_refused(reply, AUTH_TOKEN_INVALID);
        return;
    }
    if (!sw_pg_bool(inv, 0, C_LIVE)) {
        auth_token_refused(reply, AUTH_TOKEN_EXPIRED);
        return;
    }
    if (sw_pg_bool(inv, 0, C_MEMBER)) {
        sw_reply_fail(reply, SW_ALREADY_EXISTS, "already_member",
                      "This e-mail already belongs to a member of the organisation.");
        return;
    }
    if (sw_pg_int(inv, 0, C_MEMBERSHIPS) >= AUTH_MAX_MEMBERSHIPS_PER_EMAIL) {
        sw_reply_field(reply, "email",
                       "This e-mail already belongs to the most organisations it may join.");
        return;
    }
    *founds = PQgetisnull(inv, 0, C_IDENTITY);
    if (!*founds) {
        if (!auth_password_matches(svc->password_verifications, PQgetvalue(inv, 0, C_IDENTITY),
                                   password))
            sw_reply_field(reply, "password",
                           "This e-mail already has a StatusWatch password: enter that one.");
        return;
    }
    const char *msg = auth_rule_password(password);
    if (msg)
        sw_reply_field(reply, "password", msg);
    else
        sw_reply_fail_rc(reply, auth_hash_password(password, hash));
}

/* Stores the membership (and the identity it founds); *user is its row. */
static int join(struct sw_rpc_ctx *ctx, const PGresult *inv, const char *digest, const char *hash,
                PGresult **user)
{
    PGconn *db = ctx->db;
    const char *email = PQgetvalue(inv, 0, C_EMAIL);
    const char *params[] = {PQgetvalue(inv, 0, C_TENANT), email, PQgetvalue(inv, 0, C_ROLE)};
    int rc = sw_pg_query(db,
                         "INSERT INTO auth.users AS u (tenant_id, email, role, email_verified)"
                         " VALUES ($1, $2, $3, true) RETURNING " AUTH_USER_COLUMNS,
                         3, params, user);
    const char *identity[] = {email, hash};
    if (rc == 0 && hash)
        rc = sw_pg_exec(db,
                        "INSERT INTO auth.identities (email, password_hash) VALUES ($1, $2)"
                        " ON CONFLICT (email) DO NOTHING",
                        2, identity);
    const char *spent[] = {digest};
    if (rc == 0)
        rc = sw_pg_exec(db, "UPDATE auth.invitations SET accepted_at = now() WHERE token_hash = $1",
                        1, spent);
    if (rc == 0)
        rc = auth_audit_self(ctx, PQgetvalue(*user, 0, 0), "invitation.accept");
    return rc;
}

void auth_accept_invitation(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__AcceptInvitationRequest *req = request;
    if (!auth_check_link_form(req->token, req->password, req->password_confirm, false, reply))
        return;
    PGresult *inv = NULL, *user = NULL;
    char hash[AUTH_HASH_MAX], digest[AUTH_DIGEST_TEXT];
    bool founds = false;
    auth_token_digest(req->token, digest);
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = lock_invitation(ctx->db, req->token, &inv);
    if (rc == 0)
        check(ctx->service, inv, req->password, hash, &founds, reply);
    if (rc == 0 && sw_reply_ok(reply))
        rc = join(ctx, inv, digest, founds ? hash : NULL, &user);
    sw_reply_fail_rc(reply, sw_pg_end(ctx->db, sw_reply_outcome(reply, rc)));

    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    if (sw_reply_ok(reply))
        tenant = auth_tenant_or_fail(ctx, PQgetvalue(inv, 0, C_TENANT), &fetched, reply);
    if (sw_reply_ok(reply) && tenant)
        auth_answer_membership(tenant, user, reply);
    sodium_memzero(hash, sizeof hash);
    sw_rpc_result_free(&fetched);
    PQclear(user);
    PQclear(inv);
}
