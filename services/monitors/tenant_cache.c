/*
 * The tenant cache: tenant id → schema and plan limits, as sw-tenants last
 * said, kept for a short time (SW_MONITORS_TENANT_CACHE_SECONDS) and dropped
 * at once when tenant.plan_changed arrives. A fixed table indexed by a hash
 * of the id; a colliding tenant simply replaces the entry (it is a cache).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenant_schema.h"
#include "tenant_sql.h"
#include "tenants.pb-c.h"

#define CACHE_SLOTS 4096

struct entry {
    struct mon_tenant tenant;
    long long expires_ms;
};

struct mon_tenant_cache {
    pthread_mutex_t lock;
    int ttl_ms;
    struct entry slots[CACHE_SLOTS];
};

int mon_tenant_cache_new(int ttl_seconds, struct mon_tenant_cache **out)
{
    struct mon_tenant_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return SW_EINTERNAL;
    pthread_mutex_init(&cache->lock, NULL);
    cache->ttl_ms = ttl_seconds * 1000;
    *out = cache;
    return 0;
}

void mon_tenant_cache_free(struct mon_tenant_cache *cache)
{
    if (!cache)
        return;
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

static size_t slot_of(const char *tenant_id)
{
    size_t h = 5381;
    for (const char *p = tenant_id; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h % CACHE_SLOTS;
}

static bool cache_lookup(struct mon_tenant_cache *cache, const char *tenant_id,
                         struct mon_tenant *out)
{
    bool found = false;
    pthread_mutex_lock(&cache->lock);
    struct entry *e = &cache->slots[slot_of(tenant_id)];
    if (e->expires_ms > sw_now_ms() && strcmp(e->tenant.id, tenant_id) == 0) {
        *out = e->tenant;
        found = true;
    }
    pthread_mutex_unlock(&cache->lock);
    return found;
}

static void cache_store(struct mon_tenant_cache *cache, const struct mon_tenant *tenant)
{
    pthread_mutex_lock(&cache->lock);
    struct entry *e = &cache->slots[slot_of(tenant->id)];
    e->tenant = *tenant;
    e->expires_ms = sw_now_ms() + cache->ttl_ms;
    pthread_mutex_unlock(&cache->lock);
}

void mon_tenant_cache_forget(struct mon_tenant_cache *cache, const char *tenant_id)
{
    pthread_mutex_lock(&cache->lock);
    struct entry *e = &cache->slots[slot_of(tenant_id)];
    if (strcmp(e->tenant.id, tenant_id) == 0)
        e->expires_ms = 0;
    pthread_mutex_unlock(&cache->lock);
}

int mon_tenants_get(struct mon_service *svc, const struct sw_rpc_meta *meta, const char *tenant_id,
                    struct mon_tenant *out)
{
    Sw__Tenants__GetTenantRequest req = SW__TENANTS__GET_TENANT_REQUEST__INIT;
    req.id = (char *)tenant_id;
    struct sw_rpc_result res = {0};
    int rc = sw_rpc_call(svc->tenants, meta, "tenants.GetTenant", &req.base,
                         &sw__tenants__get_tenant_reply__descriptor, svc->cfg.rpc_timeout_ms, &res);
    if (rc == 0) {
        const Sw__Tenants__Tenant *t = ((Sw__Tenants__GetTenantReply *)res.body)->tenant;
        memset(out, 0, sizeof *out);
        snprintf(out->id, sizeof out->id, "%s", t->id);
        snprintf(out->schema, sizeof out->schema, "%s", t->schema);
        out->limited = t->has_endpoint_limit;
        out->endpoint_limit = t->endpoint_limit;
        out->min_interval_seconds = t->min_interval_seconds;
        out->retention_days = t->retention_days;
        /* trial, pending_payment and past_due work as active does (api.md). */
        out->suspended = strcmp(t->account_status, "suspended") == 0 ||
                         strcmp(t->account_status, "cancelled") == 0;
    }
    sw_rpc_result_free(&res);
    return rc;
}

int mon_tenant_get(struct mon_service *svc, PGconn *db, const struct sw_rpc_meta *meta,
                   const char *tenant_id, struct mon_tenant *out)
{
    if (!tenant_id || !sw_uuid_valid(tenant_id))
        return SW_ENOTFOUND;
    if (cache_lookup(svc->cache, tenant_id, out))
        return 0;
    int rc = mon_tenants_get(svc, meta, tenant_id, out);
    /* First use in this process: the schema is brought to this release's migrations. */
    const struct mon_migration_list migrations = mon_tenant_migration_list();
    if (rc == 0)
        rc = mon_tenant_schema_migrate(db, out->id, out->schema, &migrations, NULL);
    if (rc == 0)
        cache_store(svc->cache, out);
    return rc;
}

int mon_caller_tenant(struct sw_rpc_ctx *ctx, struct sw_reply *reply, struct mon_tenant *out)
{
    struct sw_rpc_meta meta = sw_rpc_meta_of(ctx->env);
    int rc = mon_tenant_get(ctx->service, ctx->db, &meta, ctx->env->tenant_id, out);
    if (rc == SW_ENOTFOUND)
        sw_reply_fail(reply, SW_NOT_FOUND, NULL, "No such organisation.");
    else if (rc == SW_EUNAVAIL)
        sw_reply_fail(reply, SW_UNAVAILABLE, "service_unavailable",
                      "The organisation service is not answering; try again shortly.");
    else
        sw_reply_fail_rc(reply, rc);
    return rc;
}

int mon_caller_endpoint(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const char *endpoint_id,
                        struct mon_tenant *out)
{
    int rc = mon_caller_tenant(ctx, reply, out);
    if (rc == 0 && !sw_uuid_valid(endpoint_id)) {
        mon_reply_not_found(reply);
        rc = SW_ENOTFOUND;
    }
    return rc;
}

int mon_caller_read(struct sw_rpc_ctx *ctx, struct sw_reply *reply, bool about_endpoint,
                    const char *name, const char *sql, int n_params, const char *const *params,
                    PGresult **res)
{
    *res = NULL;
    struct mon_tenant t;
    int rc = about_endpoint ? mon_caller_endpoint(ctx, reply, params[0], &t)
                            : mon_caller_tenant(ctx, reply, &t);
    if (rc)
        return rc;
    rc = mon_sql_read(ctx->db, &t, name, sql, n_params, params, res);
    if (rc) {
        sw_reply_fail_rc(reply, rc);
        PQclear(*res);
        *res = NULL;
    }
    return rc;
}

int mon_tenant_begin(PGconn *db, const struct mon_tenant *tenant)
{
    int rc = sw_pg_begin(db);
    if (rc == 0)
        rc = sw_pg_set_search_path(db, tenant->schema);
    if (rc)
        sw_pg_rollback(db);
    return rc;
}
