/*
 * auth.Login: checks the password against every membership of the e-mail.
 * One match logs in; several matches without a chosen tenant_schema answer
 * with the list to choose from; no match is 401 with the same answer (and
 * the same password-hashing work) whether or not the e-mail exists.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "records.h"
#include "rules.h"
#include "session.h"
#include "sw_pg.h"
#include "sw_status.h"
#include "tenants_client.h"

#define MAX_MEMBERSHIPS 64

/* Columns of a membership row after the user's own. */
#define COL_TENANT_ID AUTH_USER_NCOLS
#define COL_HASH (AUTH_USER_NCOLS + 1)

static void invalid_credentials(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_credentials",
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
                         "SELECT " AUTH_USER_COLUMNS ", u.tenant_id, c.password_hash"
                         " FROM auth.users u JOIN auth.credentials c ON c.user_id = u.id"
                         " WHERE u.email = $1 AND u.is_active ORDER BY u.created_at LIMIT 64",
                         1, params, res);
    if (rc)
        return rc;
    int n = PQntuples(*res);
    size_t len = strlen(password);
    if (n == 0) { /* spend the same effort as for a real account */
        int ignored = crypto_pwhash_str_verify(svc->dummy_hash, password, len);
        (void)ignored;
    }
    for (int i = 0; i < n; i++)
        if (crypto_pwhash_str_verify(PQgetvalue(*res, i, COL_HASH), password, len) == 0)
            m->rows[m->n++] = i;
    return 0;
}

/*
 * The matching membership to log into: the chosen schema's, or the only
 * one. Returns its row in users and sets *tenant, or -1.
 */
static int choose(const PGresult *users, const struct matches *m,
                  const Sw__Tenants__GetTenantsReply *list, const char *tenant_schema,
                  const Sw__Tenants__Tenant **tenant)
{
    int chosen = -1;
    *tenant = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const char *tenant_id = PQgetvalue(users, m->rows[i], COL_TENANT_ID);
        for (size_t j = 0; j < list->n_tenants; j++) {
            const Sw__Tenants__Tenant *t = list->tenants[j];
            if (strcmp(t->id, tenant_id) == 0 &&
                (tenant_schema ? strcmp(t->schema, tenant_schema) == 0 : m->n == 1)) {
                *tenant = t;
                chosen = m->rows[i];
            }
        }
    }
    return chosen;
}

static void answer_choice(const Sw__Tenants__GetTenantsReply *list, struct sw_reply *reply)
{
    Sw__Auth__TenantRef refs[MAX_MEMBERSHIPS];
    Sw__Auth__TenantRef *ptrs[MAX_MEMBERSHIPS];
    size_t n = list->n_tenants < MAX_MEMBERSHIPS ? list->n_tenants : MAX_MEMBERSHIPS;
    for (size_t i = 0; i < n; i++) {
        auth_tenant_ref(list->tenants[i], &refs[i]);
        ptrs[i] = &refs[i];
    }
    Sw__Auth__TenantChoice choice = SW__AUTH__TENANT_CHOICE__INIT;
    choice.n_tenants = n;
    choice.tenants = ptrs;
    choice.message = "This e-mail belongs to several organisations; choose one with tenant_schema.";
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.outcome_case = SW__AUTH__LOGIN_REPLY__OUTCOME_CHOICE;
    out.choice = &choice;
    sw_reply_body(reply, &out.base);
}

static void answer_login(const PGresult *users, int row, const Sw__Tenants__Tenant *tenant,
                         const struct auth_pair *pair, struct sw_reply *reply)
{
    Sw__Auth__User user;
    auth_user_from_row(users, row, &user);
    Sw__Auth__TenantRef ref;
    auth_tenant_ref(tenant, &ref);
    Sw__Auth__LoggedIn in = SW__AUTH__LOGGED_IN__INIT;
    in.access = pair->access;
    in.refresh = pair->refresh;
    in.user = &user;
    in.tenant = &ref;
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.outcome_case = SW__AUTH__LOGIN_REPLY__OUTCOME_LOGGED_IN;
    out.logged_in = &in;
    sw_reply_body(reply, &out.base);
}

/*
 * Failed logins are limited per client address and per e-mail (a success
 * does not count): false, with the reply failed 429, when either is spent.
 */
static bool login_allowed(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state by_ip, by_email;
    if (sw_rate_peek(ctx->db, AUTH_RATE_TABLE, &svc->login_ip_rule, client, &by_ip) != 0 ||
        sw_rate_peek(ctx->db, AUTH_RATE_TABLE, &svc->login_email_rule, email, &by_email) != 0)
        return true; /* the limiter's own trouble never locks people out */
    sw_reply_rate(reply, by_email.limited && !by_ip.limited ? &by_email : &by_ip);
    return sw_reply_ok(reply);
}

/* Counts a failed login against the address and the e-mail; the reply shows the address's state. */
static void count_failure(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply)
{
    const struct auth_service *svc = ctx->service;
    char client[64];
    auth_client_key(ctx, client, sizeof client);
    struct sw_rate_state by_ip, by_email;
    if (sw_rate_record(ctx->db, AUTH_RATE_TABLE, &svc->login_ip_rule, client, &by_ip) == 0) {
        reply->has_rate = true;
        reply->rate = by_ip;
    }
    sw_rate_record(ctx->db, AUTH_RATE_TABLE, &svc->login_email_rule, email, &by_email);
}

void auth_login(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__LoginRequest *req = request;
    if (!req->email[0])
        sw_reply_field(reply, "email", "This field is required.");
    if (!req->password[0])
        sw_reply_field(reply, "password", "This field is required.");
    char email[512];
    if (sw_reply_ok(reply) && auth_normalize_email(req->email, email, sizeof email) != 0)
        invalid_credentials(reply);
    if (!sw_reply_ok(reply) || !login_allowed(ctx, email, reply))
        return;

    PGresult *users = NULL;
    struct matches m = {.n = 0};
    struct sw_rpc_result fetched = {0};
    const Sw__Tenants__GetTenantsReply *list = NULL;
    int rc = find_matches(ctx->db, ctx->service, email, req->password, &users, &m);
    if (rc == 0 && m.n == 0)
        invalid_credentials(reply);
    if (rc == 0 && m.n > 0) {
        char *ids[MAX_MEMBERSHIPS];
        for (size_t i = 0; i < m.n; i++)
            ids[i] = PQgetvalue(users, m.rows[i], COL_TENANT_ID);
        rc = auth_tenants_get_many(ctx, ids, m.n, &fetched, &list);
    }
    const Sw__Tenants__Tenant *tenant = NULL;
    int row = list ? choose(users, &m, list, req->tenant_schema, &tenant) : -1;
    struct auth_pair pair = {0};
    if (tenant) {
        struct auth_identity who = {
            .user_id = PQgetvalue(users, row, 0),
            .tenant_id = tenant->id,
            .schema = tenant->schema,
            .role = PQgetvalue(users, row, 2),
        };
        rc = auth_session_start(ctx->db, ctx->service, &who, &pair);
    }
    sw_reply_fail_rc(reply, rc);

    if (rc == 0 && tenant)
        answer_login(users, row, tenant, &pair, reply);
    else if (rc == 0 && list && !req->tenant_schema && list->n_tenants > 1)
        answer_choice(list, reply);
    else if (rc == 0 && list)
        invalid_credentials(reply);
    if (reply->status == SW_UNAUTHENTICATED)
        count_failure(ctx, email, reply);
    auth_pair_free(&pair);
    sw_rpc_result_free(&fetched);
    PQclear(users);
    sodium_memzero(email, sizeof email);
}
