/*
 * The tenant guard: what the gateway decides per tenant on every
 * authenticated call, in memory — the tenant's account status (suspended and
 * cancelled accounts are refused outside the exempt routes) and its plan's
 * API rate limit (calls per fixed one-minute window, shared by every gateway
 * replica).
 *
 * The guard keeps one entry per tenant: its status and limit as sw-tenants
 * last told them, and for the current window the total every replica had
 * counted at the last sync ("global"), the calls of this replica being sent
 * ("in flight") and those admitted since ("pending"). A call is admitted
 * while global + in flight + pending stays below the limit. A background
 * thread sends every tenant's pending count to sw-tenants once per sync
 * interval (tenants.SyncUsage, one batched call per 1,000 tenants) and takes
 * back each tenant's total, limit and status; every tenant in the table is
 * sent, so no decision rests on a view older than one interval. A tenant not yet known is fetched
 * once, on the request's thread, within the RPC deadline; while sw-tenants cannot be reached a
 * known tenant keeps its last status and limit and this replica counts on its own, and an unknown
 * one is admitted without a limit. So a suspension takes effect within about one sync interval, and
 * replicas can together admit more than the limit by what the others admitted in the interval
 * before their last sync (docs/DECISIONS.md).
 *
 * Memory is bounded: at most max_entries tenants, an entry unused for idle_ms
 * is dropped by the sync thread, and a new tenant in a full table replaces the
 * one used longest ago. One mutex guards the table; no lock is held across a
 * call to sw-tenants. The guard is owned by struct gateway (main.c); every
 * function takes the current time so that tests can drive the clock.
 */
#ifndef GW_TENANT_GUARD_H
#define GW_TENANT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

struct sw_rpc_client;

#define GW_TENANT_WINDOW_MS 60000
#define GW_TENANT_ID_MAX 64
/* Tenants per tenants.SyncUsage call (sw-tenants' TENANTS_USAGE_BATCH_MAX). */
#define GW_TENANT_SYNC_BATCH 1000

enum gw_account {
    GW_ACCOUNT_UNKNOWN,   /* sw-tenants has not answered for it yet: works */
    GW_ACCOUNT_OK,        /* trial, active, pending_payment, past_due */
    GW_ACCOUNT_SUSPENDED, /* suspended */
    GW_ACCOUNT_CANCELLED, /* cancelled */
    GW_ACCOUNT_GONE,      /* sw-tenants does not know the tenant */
};

/* The account status sw-tenants names, as the guard treats it. */
enum gw_account gw_account_of(const char *status);

/* One tenant's calls of one window as sent to sw-tenants. */
struct gw_usage_delta {
    char tenant_id[GW_TENANT_ID_MAX];
    long long window_ms; /* the window's start, epoch ms */
    int delta;           /* calls admitted here since the last sync */
};

/* What sw-tenants answered for one tenant. */
struct gw_usage_state {
    char tenant_id[GW_TENANT_ID_MAX];
    long long window_ms;
    long long total; /* every replica's calls in the window */
    int limit;       /* calls per minute */
    enum gw_account account;
};

/*
 * Sends n deltas (n <= GW_TENANT_SYNC_BATCH) and fills states[] (room for n)
 * and *n_states with the tenants that exist. 0, or a negative SW_E… code when
 * nothing usable came back (the deltas are then sent again next time).
 */
typedef int gw_tenant_sync_fn(void *arg, const struct gw_usage_delta *deltas, size_t n,
                              struct gw_usage_state *states, size_t *n_states);

struct gw_tenant_guard_opts {
    int sync_ms;        /* SW_GATEWAY_TENANT_SYNC_MS */
    size_t max_entries; /* SW_GATEWAY_TENANT_CACHE_MAX */
    int idle_ms;        /* SW_GATEWAY_TENANT_IDLE_S × 1000 */
    /* sw-tenants: tenants.SyncUsage on this client within timeout_ms ... */
    struct sw_rpc_client *tenants;
    int timeout_ms;
    /* ... unless a stand-in is given (tests). */
    gw_tenant_sync_fn *sync;
    void *sync_arg;
};

struct gw_tenant_guard;

/* A guard with an empty table and no thread; NULL when out of memory. */
struct gw_tenant_guard *gw_tenant_guard_new(const struct gw_tenant_guard_opts *opts);
/* Starts the sync thread (first run one interval from now). */
int gw_tenant_guard_start(struct gw_tenant_guard *guard);
/* Stops the thread if it runs and frees everything; NULL is a no-op. */
void gw_tenant_guard_free(struct gw_tenant_guard *guard);

enum gw_tenant_verdict {
    GW_TENANT_ADMIT,
    GW_TENANT_SUSPENDED,
    GW_TENANT_CANCELLED,
    GW_TENANT_GONE,
    GW_TENANT_RATE_LIMITED,
};

struct gw_tenant_decision {
    enum gw_tenant_verdict verdict;
    bool has_rate; /* false while the limit is unknown (admitted without one) */
    int limit, remaining, reset_s;
};

/*
 * Decides one call of tenant_id at now_ms and counts it when admitted.
 * status_exempt: the route works whatever the account status (only the rate
 * limit applies). May call sw-tenants once for a tenant not in the table.
 */
void gw_tenant_guard_check(struct gw_tenant_guard *guard, const char *tenant_id, bool status_exempt,
                           long long now_ms, struct gw_tenant_decision *out);

/*
 * One sync (what the thread runs every interval): drops idle entries, sends
 * the counts of every tenant used since the last sync, applies the answers.
 * Returns 0, or the first error of a batch (its counts are kept for the next).
 */
int gw_tenant_guard_sync(struct gw_tenant_guard *guard, long long now_ms);

/* Tenants in the table (tests, metrics). */
size_t gw_tenant_guard_size(struct gw_tenant_guard *guard);

/*
 * Routes whose answer does not depend on the account status, by route
 * pattern: /api/auth/me/, /api/auth/logout/, /api/auth/token/refresh/ and
 * /api/billing/…, so that a suspended or cancelled customer can still see
 * the account and pay (api.md).
 */
bool gw_tenant_status_exempt(const char *pattern);

#endif
