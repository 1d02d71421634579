/*
 * auth.Register: validates the form, asks sw-tenants for a new tenant (which
 * creates its schema), then stores the owner. When storing the owner fails,
 * the tenant is removed again so a failed registration leaves nothing behind.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "rules.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

#define COMPENSATION_TRIES 3

struct register_form {
    char name[512];
    char email[512];
};

/* Checks every field and reports all problems at once. */
static void validate(const Sw__Auth__RegisterRequest *req, struct register_form *form,
                     struct sw_reply *reply)
{
    const char *msg;
    if (auth_trim(req->organization_name, form->name, sizeof form->name) != 0)
        msg = "Organization name must be between 2 and 100 characters.";
    else
        msg = auth_rule_org_name(form->name);
    if (msg)
        sw_reply_field(reply, "organization_name", msg);

    if (auth_normalize_email(req->email, form->email, sizeof form->email) != 0)
        msg = "Enter a valid email address.";
    else
        msg = auth_rule_email(form->email);
    if (msg)
        sw_reply_field(reply, "email", msg);

    msg = auth_rule_password(req->password);
    if (msg)
        sw_reply_field(reply, "password", msg);
    if (!req->password_confirm[0])
        sw_reply_field(reply, "password_confirm", "This field is required.");
    else if (strcmp(req->password, req->password_confirm) != 0)
        sw_reply_field(reply, "password_confirm", "Passwords do not match.");
}

static int insert_owner(PGconn *db, const char *tenant_id, const char *email, const char *hash,
                        PGresult **user)
{
    const char *params[] = {tenant_id, email};
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db,
                         "INSERT INTO auth.users (tenant_id, email, role) VALUES ($1, $2, 'owner')"
                         " RETURNING id, email, role, email_verified",
                         2, params, user);
    if (rc == 0) {
        const char *cred[] = {PQgetvalue(*user, 0, 0), hash};
        rc = sw_pg_exec(db, "INSERT INTO auth.credentials (user_id, password_hash) VALUES ($1, $2)",
                        2, cred);
    }
    if (rc == 0)
        rc = sw_pg_commit(db);
    if (rc) {
        sw_pg_rollback(db);
        PQclear(*user);
        *user = NULL;
    }
    return rc;
}

/* Removes the tenant created for a registration that failed afterwards. */
static void remove_tenant(struct sw_rpc_ctx *ctx, const char *tenant_id)
{
    const struct auth_service *svc = ctx->service;
    struct sw_rpc_meta meta;
    auth_meta_from_env(ctx->env, &meta);
    Sw__Tenants__DeleteTenantRequest req = SW__TENANTS__DELETE_TENANT_REQUEST__INIT;
    req.id = (char *)tenant_id;
    for (int attempt = 1; attempt <= COMPENSATION_TRIES; attempt++) {
        struct sw_rpc_result res;
        int rc = sw_rpc_call(svc->tenants, &meta, "tenants.DeleteTenant", &req.base, NULL,
                             svc->rpc_timeout_ms, &res);
        int status = rc ? SW_UNAVAILABLE : res.reply->status;
        sw_rpc_result_free(&res);
        if (status == SW_OK || status == SW_NOT_FOUND)
            return;
    }
    sw_log(SW_LOG_ERROR, ctx->env->request_id, tenant_id,
           "registration failed and its tenant could not be removed; remove it by hand");
}

/* Asks sw-tenants for a new tenant; on failure the reply is already set. */
static int create_tenant(struct sw_rpc_ctx *ctx, const char *name, struct sw_rpc_result *res,
                         struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    struct sw_rpc_meta meta;
    auth_meta_from_env(ctx->env, &meta);
    Sw__Tenants__CreateTenantRequest req = SW__TENANTS__CREATE_TENANT_REQUEST__INIT;
    req.name = (char *)name;
    int rc = sw_rpc_call(svc->tenants, &meta, "tenants.CreateTenant", &req.base,
                         &sw__tenants__create_tenant_reply__descriptor, svc->rpc_timeout_ms, res);
    if (rc) {
        sw_reply_error(reply, SW_UNAVAILABLE, NULL, "The tenant service is unavailable.");
        return rc;
    }
    if (res->reply->status != SW_OK) {
        Sw__Reply *r = res->reply;
        sw_reply_error(reply, r->status, r->code, "%s", r->message);
        for (size_t i = 0; i < r->n_errors; i++)
            for (size_t j = 0; j < r->errors[i]->n_messages; j++)
                sw_reply_field(reply, r->errors[i]->field, r->errors[i]->messages[j]);
        return -r->status;
    }
    return 0;
}

int auth_register(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Auth__RegisterRequest *req = sw__auth__register_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    struct register_form form;
    struct sw_rpc_result tenant_res = {0};
    PGresult *user = NULL;
    char hash[crypto_pwhash_STRBYTES];
    int rc = 0;

    validate(req, &form, reply);
    if (reply->status != SW_OK)
        goto out;
    if (crypto_pwhash_str_alg(hash, req->password, strlen(req->password),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        rc = SW_EINTERNAL;
        goto out;
    }
    rc = create_tenant(ctx, form.name, &tenant_res, reply);
    if (rc)
        goto out;
    const Sw__Tenants__Tenant *tenant =
        ((Sw__Tenants__CreateTenantReply *)tenant_res.body)->tenant;
    rc = insert_owner(ctx->db, tenant->id, form.email, hash, &user);
    if (rc) {
        remove_tenant(ctx, tenant->id);
        sw_reply_error(reply, rc == SW_EUNAVAIL ? SW_UNAVAILABLE : SW_INTERNAL, NULL,
                       "Registration failed; nothing was created. Please try again.");
        goto out;
    }
    Sw__Auth__TenantRef tref = SW__AUTH__TENANT_REF__INIT;
    tref.id = tenant->id;
    tref.name = tenant->name;
    tref.schema = tenant->schema;
    Sw__Auth__User u = SW__AUTH__USER__INIT;
    u.id = PQgetvalue(user, 0, 0);
    u.email = PQgetvalue(user, 0, 1);
    u.role = PQgetvalue(user, 0, 2);
    u.email_verified = sw_pg_bool(user, 0, 3);
    Sw__Auth__RegisterReply out = SW__AUTH__REGISTER_REPLY__INIT;
    out.tenant = &tref;
    out.user = &u;
    rc = sw_reply_body(reply, &out.base);
    sw_log(SW_LOG_INFO, ctx->env->request_id, tenant->id, "organisation registered");
out:
    sodium_memzero(hash, sizeof hash);
    PQclear(user);
    sw_rpc_result_free(&tenant_res);
    sw__auth__register_request__free_unpacked(req, NULL);
    return rc;
}
