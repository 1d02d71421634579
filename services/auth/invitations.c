/*
 * Invitations into the caller's tenant (owner and admin): a single-use link
 * mailed through sw-notify, valid 7 days, at most one open per e-mail (a new
 * one replaces it). Accepting (unauthenticated) spends the link and creates
 * the membership as verified (the link proved the mailbox): under the
 * e-mail's identity when it has one — then its existing password is the one
 * to give — or founding it with the password given.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "mailer.h"
#include "one_time.h"
#include "records.h"
#include "rules.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_time.h"
#include "tenants_client.h"

#define INVITATION_TTL_S "604800" /* 7 days */
#define INVITATION_COLUMNS "id, email, role, " SW_TIME_SQL_MS("expires_at") " AS expires_ms"
#define INVITATION_AUDIT_JSON "jsonb_build_object('email', email, 'role', role)"
#define OPEN "accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()"

void auth_list_invitations(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__ListInvitationsRequest *req = request;
    Sw__Auth__ListInvitationsReply out = SW__AUTH__LIST_INVITATIONS_REPLY__INIT;
    auth_list_owned(ctx, true,
                    "SELECT " INVITATION_COLUMNS ", count(*) OVER () FROM auth.invitations"
                    " WHERE tenant_id = $1::uuid AND " OPEN " ORDER BY created_at DESC, id"
                    " LIMIT $2::int OFFSET $3::int",
                    req->page, req->page_size, &out.base, reply);
}

/* The invitation e-mail: who invites, into which organisation, and the link. */
static int mail_invitation(struct sw_rpc_ctx *ctx, const char *inviter, const char *email,
                           const char *token)
{
    const struct auth_service *svc = ctx->service;
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    int rc = auth_tenants_get(ctx, ctx->env->tenant_id, &fetched, &tenant);
    char text[2048];
    if (rc == 0) {
        snprintf(text, sizeof text,
                 "%s invites you to the organisation \"%s\" on StatusWatch.\n\n"
                 "To join, open this link and choose your password:\n\n"
                 "%s/invitations/accept?token=%s\n\n"
                 "The link works once and expires in 7 days.\n",
                 inviter, tenant->name, svc->app_url, token);
        rc = auth_mail_send(ctx, email, "invitation", "You are invited to StatusWatch", text);
        sodium_memzero(text, sizeof text);
    }
    sw_rpc_result_free(&fetched);
    return rc;
}

/* The checks of a new invitation; the normalised e-mail into email. */
static void check_invitation(struct sw_rpc_ctx *ctx, const char *tenant,
                             const Sw__Auth__CreateInvitationRequest *req, const PGresult *me,
                             char *email, size_t size, struct sw_reply *reply)
{
    if (!sw_pg_bool(me, 0, 3)) {
        sw_reply_fail(reply, SW_PERMISSION_DENIED, "email_not_verified",
                      "Confirm your e-mail address before inviting anyone.");
        return;
    }
    if (auth_normalize_email(req->email, email, size) != 0 || auth_rule_email(email))
        sw_reply_field(reply, "email", "Enter a valid email address.");
    if (strcmp(req->role, "admin") != 0 && strcmp(req->role, "member") != 0)
        sw_reply_field(reply, "role", "Choose admin or member.");
    if (!sw_reply_ok(reply))
        return;
    const char *params[] = {tenant, email};
    long long members = 0;
    if (sw_reply_fail_rc(reply,
                         sw_pg_query_int(ctx->db,
                                         "SELECT count(*) FROM auth.users WHERE"
                                         " tenant_id = $1::uuid AND email = $2 AND is_active",
                                         2, params, &members)) == 0 &&
        members > 0)
        sw_reply_fail(reply, SW_ALREADY_EXISTS, "already_member",
                      "This e-mail already belongs to a member of the organisation.");
}

void auth_create_invitation(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__CreateInvitationRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    PGresult *me = NULL, *res = NULL;
    char email[512], token[AUTH_TOKEN_TEXT], digest[AUTH_DIGEST_TEXT];
    if (!tenant || !auth_caller_manages(ctx, reply) || auth_caller(ctx, reply, &me) != 0)
        return;
    check_invitation(ctx, tenant, req, me, email, sizeof email, reply);
    int rc = sw_reply_ok(reply) ? auth_token_new(token) : 0;
    if (sw_reply_ok(reply) && rc == 0) {
        auth_token_digest(token, digest);
        const char *params[] = {tenant, email, req->role, digest, ctx->env->user_id};
        rc = sw_pg_begin(ctx->db);
        if (rc == 0)
            rc = sw_pg_exec(ctx->db,
                            "UPDATE auth.invitations SET revoked_at = now() WHERE tenant_id = $1"
                            " AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
                            2, params);
        if (rc == 0)
            rc = sw_pg_query(ctx->db,
                             "INSERT INTO auth.invitations (tenant_id, email, role, token_hash,"
                             " invited_by, expires_at) VALUES ($1, $2, $3, $4, $5,"
                             " now() + interval '" INVITATION_TTL_S " seconds')"
                             " RETURNING " INVITATION_COLUMNS ", (" INVITATION_AUDIT_JSON
                             ")::text AS audit",
                             5, params, &res);
        if (rc == 0)
            rc = auth_audit(ctx, "invitation.create", "invitation", PQgetvalue(res, 0, 0), NULL,
                            PQgetvalue(res, 0, PQfnumber(res, "audit")));
        rc = sw_pg_end(ctx->db, rc);
    }
    if (sw_reply_fail_rc(reply, rc) == 0 && sw_reply_ok(reply)) {
        if (mail_invitation(ctx, PQgetvalue(me, 0, 1), email, token) != 0)
            sw_reply_fail(reply, SW_UNAVAILABLE, "mail_unavailable",
                          "The invitation was saved but its e-mail could not be sent; invite"
                          " again in a minute.");
    }
    if (sw_reply_ok(reply)) {
        Sw__Auth__Invitation inv;
        sw_rows_fill(res, 0, &sw__auth__invitation__descriptor, &inv);
        Sw__Auth__InvitationReply out = SW__AUTH__INVITATION_REPLY__INIT;
        out.invitation = &inv;
        sw_reply_body(reply, &out.base);
    }
    sodium_memzero(token, sizeof token);
    PQclear(res);
    PQclear(me);
}

void auth_revoke_invitation(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__RevokeInvitationRequest *req = request;
    Sw__Auth__RevokeInvitationReply out = SW__AUTH__REVOKE_INVITATION_REPLY__INIT;
    static const struct auth_owned invitations = {"auth.invitations", "accepted_at IS NULL",
                                                  INVITATION_AUDIT_JSON, "invitation.revoke",
                                                  "invitation"};
    auth_revoke_owned(ctx, &invitations, req->id, &out.base, reply);
}
