/*
 * auth.Register: validates the form, asks sw-tenants for a new tenant (which
 * creates its schema), then stores the owner. When storing the owner fails,
 * the tenant is removed again so a failed registration leaves nothing behind.
 * The owner starts unverified with a password of its own and is mailed a
 * verification link, unless the e-mail already has a verified identity whose
 * password was given: then the owner joins that identity at once
 * (identity.h). An e-mail holds at most AUTH_MAX_MEMBERSHIPS_PER_EMAIL
 * memberships.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "mailer.h"
#include "records.h"
#include "rules.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"

#define COMPENSATION_TRIES 3

struct register_form {
    char name[512];
    char email[512];
};

/*
 * A field of the form normalised into out by `clean`, then checked by
 * `rule`; an absent field or one that cannot be cleaned gets `bad`.
 */
static void check_field(struct sw_reply *reply, const char *field, const char *value,
                        int (*clean)(const char *, char *, size_t), char *out, size_t size,
                        const char *(*rule)(const char *), const char *bad)
{
    const char *msg = NULL;
    if (!value || !value[0])
        msg = "This field is required.";
    else if (clean(value, out, size) != 0)
        msg = bad;
    else
        msg = rule(out);
    if (msg)
        sw_reply_field(reply, field, msg);
}

/* Checks every field and reports all problems at once. */
static void validate(const Sw__Auth__RegisterRequest *req, struct register_form *form,
                     struct sw_reply *reply)
{
    check_field(reply, "organization_name", req->organization_name, auth_trim, form->name,
                sizeof form->name, auth_rule_org_name,
                "Organization name must be between 2 and 100 characters.");
    check_field(reply, "email", req->email, auth_normalize_email, form->email, sizeof form->email,
                auth_rule_email, "Enter a valid email address.");
    auth_check_new_password(req->password, req->password_confirm, true, reply);
}

/*
 * What the e-mail already holds: *full when it has all the memberships it
 * may, *verified when its identity's password is `password` (one hash).
 */
static int email_standing(PGconn *db, const struct auth_service *svc, const char *email,
                          const char *password, bool *full, bool *verified)
{
    PGresult *res = NULL;
    int rc = sw_pg_query1(db,
                          "SELECT (SELECT count(*) FROM auth.users WHERE email = $1),"
                          " (SELECT password_hash FROM auth.identities WHERE email = $1)",
                          email, &res);
    if (rc == 0) {
        *full = sw_pg_int(res, 0, 0) >= AUTH_MAX_MEMBERSHIPS_PER_EMAIL;
        *verified =
            !*full && !PQgetisnull(res, 0, 1) &&
            auth_password_matches(svc->password_verifications, PQgetvalue(res, 0, 1), password);
    }
    PQclear(res);
    return rc;
}

/*
 * Stores the owner in one transaction, with its own password or, when
 * `verified`, under the e-mail's identity; *user is its row.
 */
static int insert_owner(struct sw_rpc_ctx *ctx, const char *tenant_id, const char *email,
                        const char *hash, bool verified, PGresult **user)
{
    PGconn *db = ctx->db;
    const char *params[] = {tenant_id, email, verified ? "true" : "false"};
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db,
                         "INSERT INTO auth.users AS u (tenant_id, email, role, email_verified)"
                         " VALUES ($1, $2, 'owner', $3::bool) RETURNING " AUTH_USER_COLUMNS,
                         3, params, user);
    if (rc == 0 && !verified) {
        const char *cred[] = {PQgetvalue(*user, 0, 0), hash};
        rc = sw_pg_exec(db, "INSERT INTO auth.credentials (user_id, password_hash) VALUES ($1, $2)",
                        2, cred);
    }
    if (rc == 0)
        rc = auth_audit_self(ctx, PQgetvalue(*user, 0, 0), "auth.register");
    rc = sw_pg_end(db, rc);
    if (rc) {
        PQclear(*user);
        *user = NULL;
    }
    return rc;
}

/* Removes the tenant created for a registration that failed afterwards. */
static void remove_tenant(struct sw_rpc_ctx *ctx, const char *tenant_id)
{
    for (int attempt = 1; attempt <= COMPENSATION_TRIES; attempt++) {
        int rc = auth_tenants_delete(ctx, tenant_id);
        if (rc == 0 || rc == SW_ENOTFOUND)
            return;
    }
    sw_log(SW_LOG_ERROR, ctx->env->request_id, tenant_id,
           "registration failed and its tenant could not be removed; remove it by hand");
}

void auth_register(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__RegisterRequest *req = request;
    const struct auth_service *svc = ctx->service;
    if (!auth_take_rate(ctx, &svc->register_rule, reply))
        return;
    struct register_form form;
    validate(req, &form, reply);
    bool full = false, verified = false;
    if (sw_reply_ok(reply) &&
        sw_reply_fail_rc(reply, email_standing(ctx->db, svc, form.email, req->password, &full,
                                               &verified)) == 0 &&
        full)
        sw_reply_field(reply, "email",
                       "This e-mail already belongs to the most organisations it may join.");
    if (!sw_reply_ok(reply))
        return;

    char hash[AUTH_HASH_MAX];
    struct sw_rpc_result created = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    PGresult *user = NULL;
    int rc = auth_hash_password(req->password, hash);
    if (rc == 0) {
        rc = auth_tenants_create(ctx, form.name, &created, &tenant);
        if (rc)
            auth_tenants_forward(reply, &created, rc);
    }
    if (rc == 0) {
        rc = insert_owner(ctx, tenant->id, form.email, hash, verified, &user);
        if (rc) {
            remove_tenant(ctx, tenant->id);
            sw_reply_fail(reply, rc == SW_EUNAVAIL ? SW_UNAVAILABLE : SW_INTERNAL, NULL,
                          "Registration failed; nothing was created. Please try again.");
        }
    }
    sw_reply_fail_rc(reply, rc);

    if (rc == 0) {
        auth_answer_membership(tenant, user, reply);
        sw_log(SW_LOG_INFO, ctx->env->request_id, tenant->id, "organisation registered");
        if (!verified) /* a lost e-mail can be sent again ("resend") */
            auth_mail_verification(ctx, PQgetvalue(user, 0, 0), form.email, tenant->name);
    }
    sodium_memzero(hash, sizeof hash);
    PQclear(user);
    sw_rpc_result_free(&created);
}
