/*
 * auth.Register: validates the form, asks sw-tenants for a new tenant (which
 * creates its schema), then stores the owner. When storing the owner fails,
 * the tenant is removed again so a failed registration leaves nothing behind.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
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
    const char *msg = auth_rule_password(req->password);
    if (msg)
        sw_reply_field(reply, "password", msg);
    if (!req->password_confirm || !req->password_confirm[0])
        sw_reply_field(reply, "password_confirm", "This field is required.");
    else if (!req->password || strcmp(req->password, req->password_confirm) != 0)
        sw_reply_field(reply, "password_confirm", "Passwords do not match.");
}

static int hash_password(const char *password, char hash[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str_alg(hash, password, strlen(password),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : SW_EINTERNAL;
}

/* Stores the owner and its credentials in one transaction; *user is its row. */
static int insert_owner(PGconn *db, const char *tenant_id, const char *email, const char *hash,
                        PGresult **user)
{
    const char *params[] = {tenant_id, email};
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_query(db,
                         "INSERT INTO auth.users AS u (tenant_id, email, role)"
                         " VALUES ($1, $2, 'owner') RETURNING " AUTH_USER_COLUMNS,
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
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state rate;
    int limited = sw_rate_take(ctx->db, AUTH_RATE_TABLE, &svc->register_rule, client, &rate);
    if (limited == 0)
        sw_reply_rate(reply, &rate);
    if (!sw_reply_ok(reply))
        return;
    struct register_form form;
    validate(req, &form, reply);
    if (!sw_reply_ok(reply))
        return;

    char hash[crypto_pwhash_STRBYTES];
    struct sw_rpc_result created = {0};
    const Sw__Tenants__Tenant *tenant = NULL;
    PGresult *user = NULL;
    int rc = hash_password(req->password, hash);
    if (rc == 0) {
        rc = auth_tenants_create(ctx, form.name, &created, &tenant);
        if (rc)
            auth_tenants_forward(reply, &created, rc);
    }
    if (rc == 0) {
        rc = insert_owner(ctx->db, tenant->id, form.email, hash, &user);
        if (rc) {
            remove_tenant(ctx, tenant->id);
            sw_reply_fail(reply, rc == SW_EUNAVAIL ? SW_UNAVAILABLE : SW_INTERNAL, NULL,
                          "Registration failed; nothing was created. Please try again.");
        }
    }
    sw_reply_fail_rc(reply, rc);

    if (rc == 0) {
        Sw__Auth__TenantRef tref;
        auth_tenant_ref(tenant, &tref);
        Sw__Auth__User u;
        auth_user_from_row(user, 0, &u);
        Sw__Auth__RegisterReply out = SW__AUTH__REGISTER_REPLY__INIT;
        out.tenant = &tref;
        out.user = &u;
        sw_reply_body(reply, &out.base);
        sw_log(SW_LOG_INFO, ctx->env->request_id, tenant->id, "organisation registered");
    }
    sodium_memzero(hash, sizeof hash);
    PQclear(user);
    sw_rpc_result_free(&created);
}
