/*
 * sw-monitors: endpoints (one schema per tenant), the global schedule the
 * checkers lease from, check results and their hourly rollups, status
 * transitions and the outbox of monitor.status_changed events.
 *
 * The logic lives in the monitors_core library (everything but main.c), so
 * that unit tests link exactly what the service runs. struct mon_service is
 * built once at start-up and shared read-only by the RPC workers, except for
 * the tenant cache, which guards itself.
 */
#ifndef MONITORS_H
#define MONITORS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "sw_cidr.h"
#include "sw_config.h"
#include "sw_migrate.h"
#include "sw_rpc.h"

struct sw_metric;

struct mon_tenant_cache;
struct sw_pub;
struct sw_sub;
struct sw_ticker;
struct mon_pruner;
struct mon_catchup;

/* Advisory lock classes of sw-monitors (libcommon's migrations use 727100001). */
#define MON_LOCK_PROVISION "727100002" /* one provisioner per tenant schema */
#define MON_LOCK_OUTBOX "727100004"    /* outbox sequence numbers commit in order */

struct mon_service {
    struct sw_config cfg;
    struct sw_cidr_list allow;     /* SW_CHECKER_ALLOW_CIDRS */
    struct sw_rpc_client *tenants; /* sw-tenants, for plan limits */
    struct mon_tenant_cache *cache;
    struct sw_pub *pub; /* monitor.status_changed wake-ups */
    struct mon_pruner *pruner;
    struct mon_catchup *catchup;  /* tenant schemas behind this release (tenant_catchup.h) */
    struct sw_ticker *heartbeats; /* heartbeat.c: the watcher of missed pings */
    int default_lease_seconds;    /* SW_MONITORS_LEASE_SECONDS [60] */
    int max_lease_batch;          /* largest LeaseChecks batch [1000] */
    /* metrics.c: gauges of the schedule, set when Prometheus scrapes */
    struct sw_metric *due_gauge, *lag_gauge, *dead_gauge;
};

/* Registers sw-monitors' own metrics in svc->cfg.metrics (none without one). */
int mon_metrics_start(struct mon_service *svc);

/* What sw-monitors needs to know about a tenant (from sw-tenants, cached). */
struct mon_tenant {
    char id[40];
    char schema[40];
    bool limited;       /* false: no endpoint limit */
    int endpoint_limit; /* when limited */
    int min_interval_seconds;
    int retention_days;
    bool suspended;
};

/* The tenant-schema migrations, embedded from tenant_migrations/. */
extern const struct sw_migration mon_tenant_migrations[];
extern const size_t mon_tenant_migrations_count;

/* tenant_cache.c */

/*
 * tenants.GetTenant, typed: SW_ENOTFOUND for an unknown tenant, SW_EUNAVAIL
 * when sw-tenants does not answer, another negative code if it refused.
 */
int mon_tenants_get(struct mon_service *svc, const struct sw_rpc_meta *meta, const char *tenant_id,
                    struct mon_tenant *out);

int mon_tenant_cache_new(int ttl_seconds, struct mon_tenant_cache **out);
void mon_tenant_cache_free(struct mon_tenant_cache *cache);
void mon_tenant_cache_forget(struct mon_tenant_cache *cache, const char *tenant_id);
/*
 * Tenant `tenant_id`: from the cache, or from sw-tenants (then its schema is
 * brought to the latest tenant migration first). Errors as mon_tenants_get.
 */
int mon_tenant_get(struct mon_service *svc, PGconn *db, const struct sw_rpc_meta *meta,
                   const char *tenant_id, struct mon_tenant *out);
/*
 * The caller's tenant (the envelope's tenant id); on failure the reply says
 * why (404 for an unknown tenant, 503 when sw-tenants is not answering).
 */
int mon_caller_tenant(struct sw_rpc_ctx *ctx, struct sw_reply *reply, struct mon_tenant *out);
/*
 * The caller's tenant for a request about endpoint `endpoint_id`; an id that
 * is not a UUID is 404 Not found, as an id of another tenant's is later.
 */
int mon_caller_endpoint(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const char *endpoint_id,
                        struct mon_tenant *out);
/*
 * A handler's read: the caller's tenant (mon_caller_endpoint for endpoint
 * params[0] when about_endpoint, else mon_caller_tenant), then statement
 * `name` of sql for it (mon_sql_read). Returns 0 with the rows in *res, or
 * nonzero with *res NULL after failing the reply.
 */
int mon_caller_read(struct sw_rpc_ctx *ctx, struct sw_reply *reply, bool about_endpoint,
                    const char *name, const char *sql, int n_params, const char *const *params,
                    PGresult **res);
/* 404 "Not found." for an endpoint the caller's tenant does not have. */
void mon_reply_not_found(struct sw_reply *reply);

/* counts.c: a tenant's endpoints, kept as data (no request counts rows). */
struct mon_counts {
    long long endpoints; /* all of them */
    long long active;    /* not paused */
};

/*
 * Takes the tenant's endpoint lock (its counts row, FOR UPDATE) for the rest
 * of the transaction and reads the counts into *out (when given). Every
 * change to a tenant's endpoints takes it before touching an endpoint row.
 */
int mon_tenant_lock(PGconn *db, const struct mon_tenant *tenant, struct mon_counts *out);

/*
 * A new endpoint's place in the counts (active: not paused), in one statement
 * that takes the lock: *taken is false when the plan's limit is used up.
 */
int mon_counts_take(PGconn *db, const struct mon_tenant *tenant, bool active, bool *taken);

/* Adds to the counts under the lock (negative numbers remove). */
int mon_counts_add(PGconn *db, const struct mon_tenant *tenant, int endpoints, int active);

/* Opens a transaction with search_path set to the tenant's schema. */
int mon_tenant_begin(PGconn *db, const struct mon_tenant *tenant);

/*
 * schedule.c: puts endpoint `id` on the schedule (or takes it off when
 * paused); with `now` its next check is due at once. Inside the tenant's
 * transaction.
 */
int mon_schedule_sync(PGconn *db, const struct mon_tenant *t, const char *id, bool paused,
                      bool now);

/*
 * regions.c: records that a checker of `region` is leasing. When the region
 * comes up (new, or not live for a while), every endpoint checked in all
 * regions gets a schedule row there, its first slots spread over one
 * interval; the default region's stand-in rows (kept while no checker had
 * ever leased) go once a real region takes over.
 */
int mon_region_seen(PGconn *db, const char *region);

/* regions.c: forgets regions without a checker for an hour (the pruner's pass). */
int mon_regions_prune(PGconn *db);

/*
 * regions.c, monitors.ListRegions: the regions an endpoint may name (every
 * region a checker leased in within the hour), each with whether it is live,
 * and the most one endpoint may name, as the JSON of GET /api/regions/.
 */
sw_rpc_handler_fn mon_list_regions;

/*
 * schedule.c: stores a report's results (each only for its endpoint's pending
 * slot, once) with everything that follows from them: status, rollups,
 * transitions and their outbox rows. *stored and *changes count what was
 * stored and how many statuses moved; the caller publishes the wake-up.
 */
struct Sw__Monitors__ReportResultsRequest;
int mon_store_results(PGconn *db, const struct Sw__Monitors__ReportResultsRequest *req, int *stored,
                      int *changes);

/*
 * heartbeat.c: a heartbeat's ping (no login) and the watcher thread that
 * records a miss once a heartbeat is overdue.
 */
void mon_ping(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply);
/* The watcher, svc->heartbeats (sw_ticker_stop stops it). */
int mon_heartbeats_start(struct mon_service *svc);

/* Handlers (endpoints.c, checks.c, schedule.c, events.c, plan_limit.c). */
sw_rpc_handler_fn mon_list_endpoints;
sw_rpc_handler_fn mon_create_endpoint;
sw_rpc_handler_fn mon_get_endpoint;
sw_rpc_handler_fn mon_update_endpoint;
sw_rpc_handler_fn mon_delete_endpoint;
sw_rpc_handler_fn mon_count_endpoints;
sw_rpc_handler_fn mon_apply_plan_limit;
sw_rpc_handler_fn mon_list_checks;
sw_rpc_handler_fn mon_uptime;
sw_rpc_handler_fn mon_lease_checks;
sw_rpc_handler_fn mon_report_results;
sw_rpc_handler_fn mon_list_events;
/* staff.c: counts for the staff routes (proto/staff.proto). */
sw_rpc_handler_fn mon_staff_count_endpoints;
sw_rpc_handler_fn mon_staff_usage;

/*
 * events.c: writes the status transitions of one tenant's report, their
 * status_changes and outbox rows in that order, in one statement under the
 * outbox's lock (inside the caller's transaction); the arguments are
 * PostgreSQL array literals of equal length.
 */
int mon_record_transitions(PGconn *db, const char *tenant_id, const char *ids, const char *froms,
                           const char *tos, const char *reasons);
/* Publishes the wake-up after the transaction committed. */
void mon_publish_status_changed(struct mon_service *svc);

/* How far ahead a certificate's expiry is announced (days, and as SQL). */
#define MON_CERT_NOTICE_DAYS 14
#define MON_STR_(x) #x
#define MON_STR(x) MON_STR_(x)
#define MON_CERT_NOTICE "(interval '1 day' * " MON_STR(MON_CERT_NOTICE_DAYS) ")"

/*
 * Announces, in the caller's transaction, each endpoint of ids_array (a
 * uuid[] literal) whose certificate expires within MON_CERT_NOTICE and was
 * not announced yet: one monitor.certificate_expiring event per certificate.
 */
int mon_announce_expiring(PGconn *db, const char *tenant_id, const char *ids_array, int *announced);

/*
 * Tells sw-notify that a tenant hit its plan's endpoint limit (at most one
 * event a day per tenant), in a transaction of its own.
 */
void mon_record_plan_limit(struct mon_service *svc, PGconn *db, const char *tenant_id,
                           const char *message);

/*
 * pruner.c: the maintenance thread (its own connection): retention every
 * SW_MONITORS_PRUNE_SECONDS, and each endpoint's stored 24 h uptime brought
 * to the new window when the hour turns.
 */
int mon_pruner_start(struct mon_service *svc, struct mon_pruner **out);
void mon_pruner_stop(struct mon_pruner *pruner);

#endif
