#include "tenant_guard.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_log.h"
#include "sw_random.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "tenants.pb-c.h"

struct entry {
    struct entry *next; /* hash chain */
    char tenant_id[GW_TENANT_ID_MAX];
    enum gw_account account;
    int limit;                /* calls per minute; -1 until sw-tenants has answered */
    long long window_ms;      /* the window the counts below belong to */
    long long global;         /* every replica's calls in it at the last sync */
    long long in_flight;      /* this replica's calls being sent (sync thread) */
    long long pending;        /* this replica's calls admitted since */
    long long sent_window_ms; /* the window of in_flight */
    long long last_used_ms;
};

struct gw_tenant_guard {
    struct gw_tenant_guard_opts opts;
    pthread_mutex_t lock;
    struct entry **buckets;
    size_t n_buckets; /* a power of two */
    size_t n_entries;
    struct sw_ticker *ticker;
    bool unreachable; /* the last sync failed (sync thread only; logged on change) */
};

enum gw_account gw_account_of(const char *status)
{
    if (!status)
        return GW_ACCOUNT_UNKNOWN;
    if (strcmp(status, "suspended") == 0)
        return GW_ACCOUNT_SUSPENDED;
    if (strcmp(status, "cancelled") == 0)
        return GW_ACCOUNT_CANCELLED;
    return GW_ACCOUNT_OK;
}

bool gw_tenant_status_exempt(const char *pattern)
{
    return strcmp(pattern, "/api/auth/me/") == 0 || strcmp(pattern, "/api/auth/logout/") == 0 ||
           strcmp(pattern, "/api/auth/token/refresh/") == 0 ||
           strncmp(pattern, "/api/billing/", 13) == 0;
}

static long long window_of(long long now_ms) { return now_ms - now_ms % GW_TENANT_WINDOW_MS; }

/* FNV-1a: tenant ids are UUIDs a verified token names, not chosen to collide. */
static size_t bucket_of(const struct gw_tenant_guard *g, const char *tenant_id)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)tenant_id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)h & (g->n_buckets - 1);
}

static struct entry *find(const struct gw_tenant_guard *g, const char *tenant_id)
{
    for (struct entry *e = g->buckets[bucket_of(g, tenant_id)]; e; e = e->next)
        if (strcmp(e->tenant_id, tenant_id) == 0)
            return e;
    return NULL;
}

/* Unlinks and frees the entry *link points at; *link then holds the next one. */
static void remove_at(struct gw_tenant_guard *g, struct entry **link)
{
    struct entry *e = *link;
    *link = e->next;
    free(e);
    g->n_entries--;
}

/* Removes the entry used longest ago (the table is full). */
static void evict_oldest(struct gw_tenant_guard *g)
{
    struct entry **oldest = NULL;
    for (size_t b = 0; b < g->n_buckets; b++)
        for (struct entry **link = &g->buckets[b]; *link; link = &(*link)->next)
            if (!oldest || (*link)->last_used_ms < (*oldest)->last_used_ms)
                oldest = link;
    if (oldest)
        remove_at(g, oldest);
}

/* A new entry in the current window, status and limit unknown; NULL when out of memory. */
static struct entry *insert(struct gw_tenant_guard *g, const char *tenant_id, long long now_ms)
{
    if (g->n_entries >= g->opts.max_entries)
        evict_oldest(g);
    struct entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    snprintf(e->tenant_id, sizeof e->tenant_id, "%s", tenant_id);
    e->account = GW_ACCOUNT_UNKNOWN;
    e->limit = -1;
    e->window_ms = window_of(now_ms);
    e->last_used_ms = now_ms;
    size_t b = bucket_of(g, tenant_id);
    e->next = g->buckets[b];
    g->buckets[b] = e;
    g->n_entries++;
    return e;
}

/* Starts a new window when now_ms is past the entry's: nothing is counted in it yet. */
static void roll(struct entry *e, long long now_ms)
{
    long long window = window_of(now_ms);
    if (window <= e->window_ms)
        return;
    e->window_ms = window;
    e->global = e->in_flight = e->pending = 0;
}

/* Takes what sw-tenants answered; its total counts only for the entry's window. */
static void apply_state(struct entry *e, const struct gw_usage_state *st)
{
    e->account = st->account;
    e->limit = st->limit;
    if (st->window_ms == e->window_ms && st->total > e->global)
        e->global = st->total;
}

static void decide(struct entry *e, bool status_exempt, long long now_ms,
                   struct gw_tenant_decision *out)
{
    e->last_used_ms = now_ms;
    roll(e, now_ms);
    long long used = e->global + e->in_flight + e->pending;
    if (e->limit >= 0) { /* the RateLimit-* of every answer, refusals included */
        long long left_ms = e->window_ms + GW_TENANT_WINDOW_MS - now_ms;
        out->has_rate = true;
        out->limit = e->limit;
        out->remaining = used < e->limit ? (int)(e->limit - used) : 0;
        out->reset_s = left_ms > 1000 ? (int)((left_ms + 999) / 1000) : 1;
    }
    if (!status_exempt && e->account == GW_ACCOUNT_SUSPENDED)
        out->verdict = GW_TENANT_SUSPENDED;
    else if (!status_exempt && e->account == GW_ACCOUNT_CANCELLED)
        out->verdict = GW_TENANT_CANCELLED;
    else if (!status_exempt && e->account == GW_ACCOUNT_GONE)
        out->verdict = GW_TENANT_GONE;
    else if (out->has_rate && out->remaining == 0)
        out->verdict = GW_TENANT_RATE_LIMITED;
    else { /* admitted; counted even while the limit is unknown, for when it is known */
        e->pending++;
        if (out->has_rate)
            out->remaining--;
    }
}

/* tenants.SyncUsage over the gateway's client of sw-tenants. */
static int sync_rpc(const struct gw_tenant_guard *g, const struct gw_usage_delta *deltas, size_t n,
                    struct gw_usage_state *states, size_t *n_states)
{
    *n_states = 0;
    Sw__Tenants__UsageDelta *items = calloc(n ? n : 1, sizeof *items);
    Sw__Tenants__UsageDelta **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    int rc = items && ptrs ? 0 : SW_EINTERNAL;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sw__tenants__usage_delta__init(&items[i]);
        items[i].tenant_id = (char *)deltas[i].tenant_id;
        items[i].window_start_unix_ms = deltas[i].window_ms;
        items[i].delta = deltas[i].delta;
        ptrs[i] = &items[i];
    }
    struct sw_rpc_result res = {0};
    if (rc == 0) {
        Sw__Tenants__SyncUsageRequest req = SW__TENANTS__SYNC_USAGE_REQUEST__INIT;
        req.n_usage = n;
        req.usage = ptrs;
        char request_id[37];
        sw_uuid_v4(request_id);
        struct sw_rpc_meta meta = {.request_id = request_id};
        rc = sw_rpc_call(g->opts.tenants, &meta, "tenants.SyncUsage", &req.base,
                         &sw__tenants__sync_usage_reply__descriptor, g->opts.timeout_ms, &res);
    }
    if (rc == 0) {
        const Sw__Tenants__SyncUsageReply *reply = (const Sw__Tenants__SyncUsageReply *)res.body;
        for (size_t i = 0; i < reply->n_usage && *n_states < n; i++) {
            const Sw__Tenants__TenantUsage *u = reply->usage[i];
            if (strlen(u->tenant_id) >= GW_TENANT_ID_MAX)
                continue;
            struct gw_usage_state *st = &states[(*n_states)++];
            snprintf(st->tenant_id, sizeof st->tenant_id, "%s", u->tenant_id);
            st->window_ms = u->window_start_unix_ms;
            st->total = u->total;
            st->limit = u->limit_per_minute;
            st->account = gw_account_of(u->account_status);
        }
    }
    sw_rpc_result_free(&res);
    free(ptrs);
    free(items);
    return rc;
}

static int call_sync(const struct gw_tenant_guard *g, const struct gw_usage_delta *deltas, size_t n,
                     struct gw_usage_state *states, size_t *n_states)
{
    if (g->opts.sync)
        return g->opts.sync(g->opts.sync_arg, deltas, n, states, n_states);
    return sync_rpc(g, deltas, n, states, n_states);
}

void gw_tenant_guard_check(struct gw_tenant_guard *g, const char *tenant_id, bool status_exempt,
                           long long now_ms, struct gw_tenant_decision *out)
{
    *out = (struct gw_tenant_decision){.verdict = GW_TENANT_ADMIT};
    if (!sw_uuid_valid(tenant_id)) { /* sw-auth names tenants by UUID; no entry for anything else */
        out->verdict = status_exempt ? GW_TENANT_ADMIT : GW_TENANT_GONE;
        return;
    }
    pthread_mutex_lock(&g->lock);
    struct entry *e = find(g, tenant_id);
    if (!e) {
        /* Once per tenant and eviction, on this request's thread, without the lock. */
        pthread_mutex_unlock(&g->lock);
        struct gw_usage_delta ask = {.window_ms = window_of(now_ms)};
        snprintf(ask.tenant_id, sizeof ask.tenant_id, "%s", tenant_id);
        struct gw_usage_state st;
        size_t n_states = 0;
        int rc = call_sync(g, &ask, 1, &st, &n_states);
        pthread_mutex_lock(&g->lock);
        e = find(g, tenant_id); /* another request may have fetched it meanwhile */
        if (!e)
            e = insert(g, tenant_id, now_ms);
        if (!e) {
            pthread_mutex_unlock(&g->lock);
            return;
        }
        roll(e, now_ms);
        if (rc == 0 && n_states == 1 && strcmp(st.tenant_id, tenant_id) == 0)
            apply_state(e, &st);
        else if (rc == 0)
            e->account = GW_ACCOUNT_GONE;
        /* After a failure the entry stays unknown; the next sync asks again. */
    }
    decide(e, status_exempt, now_ms, out);
    pthread_mutex_unlock(&g->lock);
}

static int compare_states(const void *a, const void *b)
{
    return strcmp(((const struct gw_usage_state *)a)->tenant_id,
                  ((const struct gw_usage_state *)b)->tenant_id);
}

/* Drops entries unused for idle_ms with nothing left to send. */
static void evict_idle(struct gw_tenant_guard *g, long long now_ms)
{
    for (size_t b = 0; b < g->n_buckets; b++) {
        struct entry **link = &g->buckets[b];
        while (*link) {
            struct entry *e = *link;
            if (e->pending == 0 && now_ms - e->last_used_ms >= g->opts.idle_ms)
                remove_at(g, link);
            else
                link = &e->next;
        }
    }
}

/*
 * Moves every entry's pending count into flight and lists it; returns how
 * many. Every entry, not only those used since the last sync: then no
 * decision is taken on a view older than one interval, however long the
 * tenant was quiet on this replica while it was busy on another.
 */
static size_t take_deltas(struct gw_tenant_guard *g, struct gw_usage_delta *deltas, size_t max)
{
    size_t n = 0;
    for (size_t b = 0; b < g->n_buckets; b++)
        for (struct entry *e = g->buckets[b]; e && n < max; e = e->next) {
            struct gw_usage_delta *d = &deltas[n++];
            snprintf(d->tenant_id, sizeof d->tenant_id, "%s", e->tenant_id);
            d->window_ms = e->window_ms;
            d->delta = e->pending > INT32_MAX ? INT32_MAX : (int)e->pending;
            e->in_flight = d->delta;
            e->pending -= d->delta;
            e->sent_window_ms = e->window_ms;
        }
    return n;
}

/* Applies one batch's outcome: the answers when rc is 0, else its counts back to pending. */
static void apply_batch(struct gw_tenant_guard *g, int rc, const struct gw_usage_delta *deltas,
                        size_t n, struct gw_usage_state *states, size_t n_states)
{
    if (n_states > 1)
        qsort(states, n_states, sizeof *states, compare_states);
    for (size_t i = 0; i < n; i++) {
        struct entry *e = find(g, deltas[i].tenant_id);
        if (!e)
            continue; /* evicted meanwhile: its count was sent or belongs to nobody */
        bool same_window = e->window_ms == e->sent_window_ms;
        if (rc != 0) {
            if (same_window)
                e->pending += e->in_flight;
            e->in_flight = 0;
            continue;
        }
        struct gw_usage_state key;
        snprintf(key.tenant_id, sizeof key.tenant_id, "%s", deltas[i].tenant_id);
        const struct gw_usage_state *st =
            n_states ? bsearch(&key, states, n_states, sizeof *states, compare_states) : NULL;
        e->in_flight = 0;
        if (!st)
            e->account = GW_ACCOUNT_GONE;
        else
            apply_state(e, st);
    }
}

int gw_tenant_guard_sync(struct gw_tenant_guard *g, long long now_ms)
{
    pthread_mutex_lock(&g->lock);
    evict_idle(g, now_ms);
    size_t max = g->n_entries;
    struct gw_usage_delta *deltas = max ? malloc(max * sizeof *deltas) : NULL;
    size_t n = deltas ? take_deltas(g, deltas, max) : 0;
    pthread_mutex_unlock(&g->lock);
    struct gw_usage_state *states =
        n ? malloc((n < GW_TENANT_SYNC_BATCH ? n : GW_TENANT_SYNC_BATCH) * sizeof *states) : NULL;
    int first_rc = 0;
    for (size_t at = 0; at < n; at += GW_TENANT_SYNC_BATCH) {
        size_t chunk = n - at < GW_TENANT_SYNC_BATCH ? n - at : GW_TENANT_SYNC_BATCH;
        size_t n_states = 0;
        int rc = states ? call_sync(g, deltas + at, chunk, states, &n_states) : SW_EINTERNAL;
        pthread_mutex_lock(&g->lock);
        apply_batch(g, rc, deltas + at, chunk, states, n_states);
        pthread_mutex_unlock(&g->lock);
        if (rc && !first_rc)
            first_rc = rc;
    }
    free(states);
    free(deltas);
    return first_rc;
}

static long long sync_tick(struct sw_ticker *ticker, void *arg)
{
    (void)ticker;
    struct gw_tenant_guard *g = arg;
    long long started = sw_now_ms();
    int rc = gw_tenant_guard_sync(g, started);
    if (rc && !g->unreachable)
        sw_log_warn("tenant guard: sw-tenants did not take the usage (%s); counting locally and "
                    "keeping the last known account status",
                    sw_status_code(-rc));
    else if (!rc && g->unreachable)
        sw_log_info("tenant guard: sw-tenants takes the usage again");
    g->unreachable = rc != 0;
    return started + g->opts.sync_ms;
}

struct gw_tenant_guard *gw_tenant_guard_new(const struct gw_tenant_guard_opts *opts)
{
    struct gw_tenant_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->opts = *opts;
    if (g->opts.max_entries < 1)
        g->opts.max_entries = 1;
    g->n_buckets = 16;
    while (g->n_buckets < g->opts.max_entries)
        g->n_buckets *= 2;
    g->buckets = calloc(g->n_buckets, sizeof *g->buckets);
    if (!g->buckets) {
        free(g);
        return NULL;
    }
    pthread_mutex_init(&g->lock, NULL);
    return g;
}

int gw_tenant_guard_start(struct gw_tenant_guard *g)
{
    return sw_ticker_start(sw_now_ms() + g->opts.sync_ms, sync_tick, g, &g->ticker);
}

void gw_tenant_guard_free(struct gw_tenant_guard *g)
{
    if (!g)
        return;
    sw_ticker_stop(g->ticker);
    for (size_t b = 0; b < g->n_buckets; b++)
        while (g->buckets[b])
            remove_at(g, &g->buckets[b]);
    free(g->buckets);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

size_t gw_tenant_guard_size(struct gw_tenant_guard *g)
{
    pthread_mutex_lock(&g->lock);
    size_t n = g->n_entries;
    pthread_mutex_unlock(&g->lock);
    return n;
}
