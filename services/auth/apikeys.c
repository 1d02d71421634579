/*
 * API keys of a tenant (owner and admin manage them; api.md "Identity"): a
 * key is "sw_" and 8 random characters — its visible prefix, unique — then
 * 32 more; it is shown once and stored as a keyed BLAKE2b hash (the key is
 * auth_service.api_key_mac). auth.CheckApiKey runs on every request the
 * gateway receives with "Authorization: Api-Key …": unknown, revoked or
 * expired keys are 401, so a revocation holds at once on every gateway.
 * last_used_at moves at most once a minute per key.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "auth.pb-c.h"
#include "records.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "sw_text.h"
#include "sw_time.h"

#define PREFIX_LEN 11 /* "sw_" and 8 characters */
#define KEY_LEN (PREFIX_LEN + 32)
#define NAME_MAX_CHARS 100
/* The columns of an ApiKey, named after its fields (sw_rows_fill). */
#define KEY_COLUMNS                                                                                \
    "id, name, prefix, scope, " SW_TIME_SQL_MS("created_at") " AS created_ms, " SW_TIME_SQL_MS(    \
        "last_used_at") " AS last_used_ms, " SW_TIME_SQL_MS("expires_at") " AS expires_ms"

/* A key as the audit log shows it: never the key or its hash. */
#define KEY_AUDIT_JSON                                                                             \
    "jsonb_build_object('name', name, 'prefix', prefix, 'scope', scope, 'expires_at', expires_at)"

static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* The stored form of a key: its keyed BLAKE2b-256 digest in hex. */
static void key_digest(const struct auth_service *svc, const char *key, char out[65])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)key, strlen(key),
                       svc->api_key_mac, sizeof svc->api_key_mac);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static void new_key(char out[KEY_LEN + 1])
{
    memcpy(out, "sw_", 3);
    for (size_t i = 3; i < KEY_LEN; i++)
        out[i] = ALPHABET[randombytes_uniform(sizeof ALPHABET - 1)];
    out[KEY_LEN] = '\0';
}

void auth_list_api_keys(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    static const char sql[] = "SELECT " KEY_COLUMNS ", count(*) OVER () FROM auth.api_keys"
                              " WHERE tenant_id = $1::uuid AND revoked_at IS NULL"
                              " ORDER BY created_at DESC, id LIMIT $2::int OFFSET $3::int";
    const Sw__Auth__ListApiKeysRequest *req = request;
    Sw__Auth__ListApiKeysReply out = SW__AUTH__LIST_API_KEYS_REPLY__INIT;
    auth_list_owned(ctx, true, sql, req->page, req->page_size, &out.base, reply);
}

static void check_new_key(const Sw__Auth__CreateApiKeyRequest *req, struct sw_reply *reply)
{
    size_t chars = sw_utf8_length(req->name);
    if (chars == 0 || chars > NAME_MAX_CHARS)
        sw_reply_field(reply, "name", "A name of 1 to 100 characters is required.");
    if (strcmp(req->scope, "read") != 0 && strcmp(req->scope, "write") != 0)
        sw_reply_field(reply, "scope", "Choose read or write.");
    if (req->has_expires_ms && req->expires_ms <= (long long)time(NULL) * 1000)
        sw_reply_field(reply, "expires_at", "The expiry must be in the future.");
}

void auth_create_api_key(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__CreateApiKeyRequest *req = request;
    const char *tenant = sw_reply_caller_tenant(ctx, reply);
    if (!tenant || !auth_caller_manages(ctx, reply))
        return;
    check_new_key(req, reply);
    if (!sw_reply_ok(reply))
        return;
    char key[KEY_LEN + 1], prefix[PREFIX_LEN + 1], digest[65], expires[24];
    new_key(key);
    snprintf(prefix, sizeof prefix, "%.*s", PREFIX_LEN, key);
    key_digest(ctx->service, key, digest);
    snprintf(expires, sizeof expires, "%lld", (long long)req->expires_ms);
    const char *params[] = {tenant,
                            req->name,
                            prefix,
                            digest,
                            req->scope,
                            req->has_expires_ms ? expires : NULL,
                            ctx->env->user_id,
                            ctx->env->tenant_schema ? ctx->env->tenant_schema : ""};
    PGresult *res = NULL;
    int rc = sw_pg_begin(ctx->db);
    if (rc == 0)
        rc = sw_pg_query(ctx->db,
                         "INSERT INTO auth.api_keys (tenant_id, name, prefix, key_hash, scope,"
                         " expires_at, created_by, tenant_schema) VALUES ($1, $2, $3, $4, $5,"
                         " to_timestamp($6::int8 / 1000.0), $7::uuid, $8) RETURNING " KEY_COLUMNS
                         ", (" KEY_AUDIT_JSON ")::text AS audit",
                         8, params, &res);
    if (rc == 0)
        rc = auth_audit(ctx, "api_key.create", "api_key", PQgetvalue(res, 0, 0), NULL,
                        PQgetvalue(res, 0, PQfnumber(res, "audit")));
    rc = sw_pg_end(ctx->db, rc);
    if (sw_reply_fail_rc(reply, rc) == 0) {
        Sw__Auth__ApiKey k;
        sw_rows_fill(res, 0, &sw__auth__api_key__descriptor, &k);
        k.key = key;
        Sw__Auth__ApiKeyReply out = SW__AUTH__API_KEY_REPLY__INIT;
        out.key = &k;
        sw_reply_body(reply, &out.base);
    }
    sodium_memzero(key, sizeof key);
    PQclear(res);
}

void auth_revoke_api_key(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__RevokeApiKeyRequest *req = request;
    Sw__Auth__RevokeApiKeyReply out = SW__AUTH__REVOKE_API_KEY_REPLY__INIT;
    static const struct auth_owned keys = {"auth.api_keys", "true", KEY_AUDIT_JSON,
                                           "api_key.revoke", "api_key"};
    auth_revoke_owned(ctx, &keys, req->id, &out.base, reply);
}

static void key_refused(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_UNAUTHENTICATED, "invalid_api_key", "Invalid API key.");
}

void auth_check_api_key(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Auth__CheckApiKeyRequest *req = request;
    if (strlen(req->key) != KEY_LEN || strncmp(req->key, "sw_", 3) != 0) {
        key_refused(reply);
        return;
    }
    char prefix[PREFIX_LEN + 1], digest[65];
    snprintf(prefix, sizeof prefix, "%.*s", PREFIX_LEN, req->key);
    key_digest(ctx->service, req->key, digest);
    const char *params[] = {prefix};
    PGresult *res = NULL;
    int rc = sw_pg_run(ctx->db, "auth_check_api_key",
                       "SELECT id, tenant_id, scope, key_hash, tenant_schema,"
                       " last_used_at IS NULL OR last_used_at < now() - interval '1 minute'"
                       " FROM auth.api_keys WHERE prefix = $1 AND revoked_at IS NULL"
                       " AND (expires_at IS NULL OR expires_at > now())",
                       1, params, &res);
    bool ok = rc == 0 && PQntuples(res) == 1 &&
              sodium_memcmp(PQgetvalue(res, 0, 3), digest, 64) == 0;
    if (sw_reply_fail_rc(reply, rc) == 0 && !ok)
        key_refused(reply);
    if (ok && sw_pg_bool(res, 0, 5)) { /* at most once a minute, and never failing the call */
        const char *id[] = {PQgetvalue(res, 0, 0)};
        if (sw_pg_run(ctx->db, "auth_touch_api_key",
                      "UPDATE auth.api_keys SET last_used_at = now() WHERE id = $1", 1, id,
                      NULL) != 0)
            sw_log_warn("api key %s: last use not recorded", id[0]);
    }
    if (ok) {
        Sw__Auth__CheckApiKeyReply out = SW__AUTH__CHECK_API_KEY_REPLY__INIT;
        out.key_id = PQgetvalue(res, 0, 0);
        out.tenant_id = PQgetvalue(res, 0, 1);
        out.scope = PQgetvalue(res, 0, 2);
        out.tenant_schema = PQgetvalue(res, 0, 4);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}
