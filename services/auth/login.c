/*
 * auth.Login: checks the password against every membership of the e-mail.
 * One match logs in; several matches without a chosen tenant_schema answer
 * "multiple_tenants" with the list to choose from; no match is 401 with the
 * same answer (and the same password-hashing work) whether or not the e-mail
 * exists.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "rules.h"
#include "session.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants.pb-c.h"

#define MAX_MEMBERSHIPS 64

static void invalid_credentials(struct sw_reply *reply)
{
    sw_reply_error(reply, SW_UNAUTHENTICATED, "invalid_credentials",
                   "No active account found with the given credentials.");
}

/* Rows of the memberships whose password matched. */
struct matches {
    int rows[MAX_MEMBERSHIPS];
    size_t n;
};

static int find_matches(PGconn *db, const struct auth_service *svc, const char *email,
                        const char *password, PGresult **res, struct matches *m)
{
    const char *params[] = {email};
    m->n = 0;
    int rc = sw_pg_query(db,
                         "SELECT u.id, u.tenant_id, u.email, u.role, u.email_verified,"
                         " c.password_hash FROM auth.users u"
                         " JOIN auth.credentials c ON c.user_id = u.id"
                         " WHERE u.email = $1 AND u.is_active ORDER BY u.created_at LIMIT 64",
                         1, params, res);
    if (rc)
        return rc;
    int n = PQntuples(*res);
    if (n == 0) { /* spend the same effort as for a real account */
        int ignored = crypto_pwhash_str_verify(svc->dummy_hash, password, strlen(password));
        (void)ignored;
    }
    for (int i = 0; i < n; i++)
        if (crypto_pwhash_str_verify(PQgetvalue(*res, i, 5), password, strlen(password)) == 0)
            m->rows[m->n++] = i;
    return 0;
}

static int fetch_tenants(struct sw_rpc_ctx *ctx, const PGresult *users, const struct matches *m,
                         struct sw_rpc_result *out)
{
    const struct auth_service *svc = ctx->service;
    char *ids[MAX_MEMBERSHIPS];
    for (size_t i = 0; i < m->n; i++)
        ids[i] = PQgetvalue(users, m->rows[i], 1);
    Sw__Tenants__GetTenantsRequest req = SW__TENANTS__GET_TENANTS_REQUEST__INIT;
    req.n_ids = m->n;
    req.ids = ids;
    struct sw_rpc_meta meta;
    auth_meta_from_env(ctx->env, &meta);
    int rc = sw_rpc_call(svc->tenants, &meta, "tenants.GetTenants", &req.base,
                         &sw__tenants__get_tenants_reply__descriptor, svc->rpc_timeout_ms, out);
    if (rc == 0 && out->reply->status != SW_OK)
        rc = -out->reply->status;
    return rc;
}

static const Sw__Tenants__Tenant *tenant_by_id(const Sw__Tenants__GetTenantsReply *list,
                                               const char *id)
{
    for (size_t i = 0; i < list->n_tenants; i++)
        if (strcmp(list->tenants[i]->id, id) == 0)
            return list->tenants[i];
    return NULL;
}

static void tenant_ref(const Sw__Tenants__Tenant *t, Sw__Auth__TenantRef *ref)
{
    sw__auth__tenant_ref__init(ref);
    ref->id = t->id;
    ref->name = t->name;
    ref->schema = t->schema;
}

static int answer_choice(const Sw__Tenants__GetTenantsReply *list, struct sw_reply *reply)
{
    Sw__Auth__TenantRef refs[MAX_MEMBERSHIPS];
    Sw__Auth__TenantRef *ptrs[MAX_MEMBERSHIPS];
    size_t n = list->n_tenants < MAX_MEMBERSHIPS ? list->n_tenants : MAX_MEMBERSHIPS;
    for (size_t i = 0; i < n; i++) {
        tenant_ref(list->tenants[i], &refs[i]);
        ptrs[i] = &refs[i];
    }
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.multiple_tenants = true;
    out.n_tenants = n;
    out.tenants = ptrs;
    out.message = "This e-mail belongs to several organisations; choose one with tenant_schema.";
    return sw_reply_body(reply, &out.base);
}

static int answer_login(struct sw_rpc_ctx *ctx, const PGresult *users, int row,
                        const Sw__Tenants__Tenant *tenant, struct sw_reply *reply)
{
    struct auth_identity who = {
        .user_id = PQgetvalue(users, row, 0),
        .tenant_id = tenant->id,
        .schema = tenant->schema,
        .role = PQgetvalue(users, row, 3),
    };
    struct auth_pair pair = {0};
    int rc = auth_session_start(ctx->db, ctx->service, &who, &pair);
    if (rc)
        return rc;
    Sw__Auth__User user = SW__AUTH__USER__INIT;
    user.id = (char *)who.user_id;
    user.email = PQgetvalue(users, row, 2);
    user.role = (char *)who.role;
    user.email_verified = sw_pg_bool(users, row, 4);
    Sw__Auth__TenantRef ref;
    tenant_ref(tenant, &ref);
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.access = pair.access;
    out.refresh = pair.refresh;
    out.user = &user;
    out.tenant = &ref;
    rc = sw_reply_body(reply, &out.base);
    auth_pair_free(&pair);
    return rc;
}

int auth_login(struct sw_rpc_ctx *ctx, const ProtobufCBinaryData *body, struct sw_reply *reply)
{
    Sw__Auth__LoginRequest *req = sw__auth__login_request__unpack(NULL, body->len, body->data);
    if (!req)
        return SW_EINVAL;
    char email[512];
    PGresult *users = NULL;
    struct matches m = {.n = 0};
    struct sw_rpc_result tenants = {0};
    int rc = 0;
    if (!req->email[0])
        sw_reply_field(reply, "email", "This field is required.");
    if (!req->password[0])
        sw_reply_field(reply, "password", "This field is required.");
    if (reply->status != SW_OK)
        goto out;
    if (auth_normalize_email(req->email, email, sizeof email) != 0) {
        invalid_credentials(reply);
        goto out;
    }
    rc = find_matches(ctx->db, ctx->service, email, req->password, &users, &m);
    if (rc == 0 && m.n == 0)
        invalid_credentials(reply);
    if (rc || m.n == 0)
        goto out;
    rc = fetch_tenants(ctx, users, &m, &tenants);
    if (rc)
        goto out;
    const Sw__Tenants__GetTenantsReply *list = (Sw__Tenants__GetTenantsReply *)tenants.body;
    const Sw__Tenants__Tenant *chosen = NULL;
    int chosen_row = -1;
    for (size_t i = 0; i < m.n; i++) {
        const Sw__Tenants__Tenant *t = tenant_by_id(list, PQgetvalue(users, m.rows[i], 1));
        if (!t)
            continue;
        if (req->tenant_schema[0] ? strcmp(t->schema, req->tenant_schema) == 0 : m.n == 1) {
            chosen = t;
            chosen_row = m.rows[i];
        }
    }
    if (chosen)
        rc = answer_login(ctx, users, chosen_row, chosen, reply);
    else if (!req->tenant_schema[0] && list->n_tenants > 1)
        rc = answer_choice(list, reply);
    else
        invalid_credentials(reply);
out:
    sw_rpc_result_free(&tenants);
    PQclear(users);
    sodium_memzero(email, sizeof email);
    sw__auth__login_request__free_unpacked(req, NULL);
    return rc;
}
