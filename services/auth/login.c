/*
 * auth.Login: checks the password against the memberships of the e-mail
 * that count at login (identity.h: at most two hashes). One match logs in,
 * or answers with a two-factor challenge when the membership has it on;
 * several matches without a chosen tenant_schema answer with the list to
 * choose from; no match is 401 with the same answer (and the same
 * password-hashing work) whether or not the e-mail exists.
 */
#include <sodium.h>
#include <string.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "identity.h"
#include "login.h"
#include "records.h"
#include "rules.h"
#include "session.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_status.h"
#include "tenants_client.h"

#define MAX_MEMBERSHIPS AUTH_MAX_MEMBERSHIPS_PER_EMAIL

/* Columns of a membership row after the user's own. */
#define COL_TENANT_ID AUTH_USER_NCOLS
#define COL_HASH (AUTH_USER_NCOLS + 1)
#define COL_TWO_FACTOR (AUTH_USER_NCOLS + 2)
#define COL_VERIFIED 3 /* u.email_verified in AUTH_USER_COLUMNS */

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

/*
 * The memberships that count at login: every verified one (they share the
 * identity's password) and the oldest unverified one (its own password).
 * At most two hashes are verified, one when the e-mail is unknown.
 */
static int find_matches(PGconn *db, const struct auth_service *svc, const char *email,
                        const char *password, PGresult **res, struct matches *m)
{
    const char *params[] = {email};
    m->n = 0;
    int rc =
        sw_pg_run(db, "auth_login_memberships",
                  "SELECT " AUTH_USER_COLUMNS ", u.tenant_id,"
                  " CASE WHEN u.email_verified THEN i.password_hash ELSE c.password_hash END,"
                  " u.totp_enabled_at IS NOT NULL"
                  " FROM auth.users u LEFT JOIN auth.identities i ON i.email = u.email"
                  " LEFT JOIN auth.credentials c ON c.user_id = u.id"
                  " WHERE u.email = $1 AND u.is_active AND (u.email_verified OR u.id = (SELECT f.id"
                  " FROM auth.users f WHERE f.email = $1 AND f.is_active AND NOT f.email_verified"
                  " ORDER BY f.created_at, f.id LIMIT 1))"
                  " ORDER BY u.created_at, u.id LIMIT " AUTH_STR(AUTH_MAX_MEMBERSHIPS_PER_EMAIL),
                  1, params, res);
    if (rc)
        return rc;
    int n = PQntuples(*res), hashes = 0, identity = -1; /* -1: not checked yet */
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(*res, i, COL_HASH))
            continue;
        bool verified = sw_pg_bool(*res, i, COL_VERIFIED), match;
        if (verified && identity >= 0) {
            match = identity == 1;
        } else {
            match = auth_password_matches(svc->password_verifications,
                                          PQgetvalue(*res, i, COL_HASH), password);
            hashes++;
            if (verified)
                identity = match;
        }
        if (match)
            m->rows[m->n++] = i;
    }
    if (hashes == 0) { /* spend the same effort as for a real account */
        bool ignored =
            auth_password_matches(svc->password_verifications, svc->dummy_hash, password);
        (void)ignored;
    }
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

void auth_login_finish(struct sw_rpc_ctx *ctx, const PGresult *users, int row,
                       const Sw__Tenants__Tenant *tenant, struct sw_reply *reply)
{
    struct auth_identity who = {
        .user_id = PQgetvalue(users, row, 0),
        .tenant_id = tenant->id,
        .schema = tenant->schema,
        .role = PQgetvalue(users, row, 2),
        .email = PQgetvalue(users, row, 1),
    };
    struct auth_pair pair = {0};
    if (sw_reply_fail_rc(reply, auth_session_start(ctx, &who, &pair)) != 0)
        return;
    Sw__Auth__User user;
    auth_user_from_row(users, row, &user);
    Sw__Auth__TenantRef ref;
    auth_tenant_ref(tenant, &ref);
    Sw__Auth__LoggedIn in = SW__AUTH__LOGGED_IN__INIT;
    in.access = pair.access;
    in.refresh = pair.refresh;
    in.user = &user;
    in.tenant = &ref;
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.outcome_case = SW__AUTH__LOGIN_REPLY__OUTCOME_LOGGED_IN;
    out.logged_in = &in;
    sw_reply_body(reply, &out.base);
    auth_pair_free(&pair);
}

/* The membership has two-factor on: answer with a challenge instead of tokens. */
static void answer_challenge(struct sw_rpc_ctx *ctx, const char *user_id, struct sw_reply *reply)
{
    char token[AUTH_TOKEN_TEXT];
    if (sw_reply_fail_rc(reply, auth_challenge_start(ctx->db, user_id, token)) != 0)
        return;
    Sw__Auth__TwoFactorRequired two = SW__AUTH__TWO_FACTOR_REQUIRED__INIT;
    two.challenge = token;
    Sw__Auth__LoginReply out = SW__AUTH__LOGIN_REPLY__INIT;
    out.outcome_case = SW__AUTH__LOGIN_REPLY__OUTCOME_TWO_FACTOR;
    out.two_factor = &two;
    sw_reply_body(reply, &out.base);
    sodium_memzero(token, sizeof token);
}

/*
 * Failed logins are limited per client address and per e-mail (a success
 * does not count): false, with the reply failed 429, when either is spent.
 */
bool auth_login_allowed(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply)
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
void auth_login_count_failure(struct sw_rpc_ctx *ctx, const char *email, struct sw_reply *reply)
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
    auth_require_fields(req->email, req->password, reply);
    char email[512];
    if (sw_reply_ok(reply) && auth_normalize_email(req->email, email, sizeof email) != 0)
        invalid_credentials(reply);
    if (!sw_reply_ok(reply) || !auth_login_allowed(ctx, email, reply))
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
    sw_reply_fail_rc(reply, rc);

    if (rc == 0 && tenant && sw_pg_bool(users, row, COL_TWO_FACTOR))
        answer_challenge(ctx, PQgetvalue(users, row, 0), reply);
    else if (rc == 0 && tenant)
        auth_login_finish(ctx, users, row, tenant, reply);
    else if (rc == 0 && list && !req->tenant_schema && list->n_tenants > 1)
        answer_choice(list, reply);
    else if (rc == 0 && list)
        invalid_credentials(reply);
    if (reply->status == SW_UNAUTHENTICATED)
        auth_login_count_failure(ctx, email, reply);
    sw_rpc_result_free(&fetched);
    PQclear(users);
    sodium_memzero(email, sizeof email);
}
