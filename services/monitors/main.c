/* sw-monitors: entry point, shared state, and the tenant.plan_changed subscription. */
#include <stdlib.h>
#include <string.h>

#include "events.pb-c.h"
#include "monitors.h"
#include "monitors.pb-c.h"
#include "staff.pb-c.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_log.h"
#include "sw_pubsub.h"
#include "sw_service.h"
#include "sw_status.h"
#include "sw_ticker.h"
#include "tenant_catchup.h"

#define REQUEST(msg) &sw__monitors__##msg##_request__descriptor
#define STAFF(msg) &sw__staff__##msg##_request__descriptor
#define EVENTS(msg) &sw__events__##msg##_request__descriptor
#define SP(msg) &sw__status__##msg##_request__descriptor

static const struct sw_rpc_method METHODS[] = {
    /* The endpoint routes: the gateway, for a verified user of the tenant. */
    {"monitors.ListEndpoints", REQUEST(list_endpoints), mon_list_endpoints, SW_RPC_PUBLIC},
    {"monitors.CreateEndpoint", REQUEST(create_endpoint), mon_create_endpoint, SW_RPC_PUBLIC},
    /* GetEndpoint also for sw-notify, which puts the endpoint in webhook bodies. */
    {"monitors.GetEndpoint", REQUEST(get_endpoint), mon_get_endpoint,
     SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    {"monitors.UpdateEndpoint", REQUEST(update_endpoint), mon_update_endpoint, SW_RPC_PUBLIC},
    {"monitors.DeleteEndpoint", REQUEST(delete_endpoint), mon_delete_endpoint, SW_RPC_PUBLIC},
    {"monitors.CountEndpoints", REQUEST(count_endpoints), mon_count_endpoints, SW_RPC_PUBLIC},
    {"monitors.ListRegions", REQUEST(list_regions), mon_list_regions, SW_RPC_PUBLIC},
    {"monitors.ListChecks", REQUEST(list_checks), mon_list_checks, SW_RPC_PUBLIC},
    {"monitors.Uptime", REQUEST(uptime), mon_uptime, SW_RPC_PUBLIC},
    /* Only sw-billing applies plan limits. */
    {"monitors.ApplyPlanLimit", REQUEST(apply_plan_limit), mon_apply_plan_limit, SW_RPC_INTERNAL},
    /* The outbox feed, for the services that act on status changes. */
    {"monitors.ListEventsSince", EVENTS(list_events_since), mon_list_events, SW_RPC_INTERNAL},
    /* Staff (api.md "Staff"): counts across tenants. */
    {"monitors.StaffCountEndpoints", STAFF(count_endpoints), mon_staff_count_endpoints,
     SW_RPC_PUBLIC},
    {"monitors.StaffUsage", STAFF(monitor_usage), mon_staff_usage, SW_RPC_PUBLIC},
    /* Status pages, incidents and maintenance windows (statuspage.h). */
    {"monitors.ListStatusPages", SP(list), mon_status_pages_list, SW_RPC_PUBLIC},
    {"monitors.CreateStatusPage", SP(create), mon_status_page_create, SW_RPC_PUBLIC},
    /* GetStatusPage also for sw-notify, which lists a page's subscribers. */
    {"monitors.GetStatusPage", SP(id), mon_status_page_get, SW_RPC_PUBLIC | SW_RPC_INTERNAL},
    {"monitors.UpdateStatusPage", SP(update), mon_status_page_update, SW_RPC_PUBLIC},
    {"monitors.DeleteStatusPage", SP(id), mon_status_page_delete, SW_RPC_PUBLIC},
    {"monitors.ListIncidents", SP(list), mon_incidents_list, SW_RPC_PUBLIC},
    {"monitors.CreateIncident", SP(create), mon_incident_create, SW_RPC_PUBLIC},
    {"monitors.GetIncident", SP(id), mon_incident_get, SW_RPC_PUBLIC},
    {"monitors.UpdateIncident", SP(update), mon_incident_update, SW_RPC_PUBLIC},
    {"monitors.AddIncidentUpdate", SP(add_update), mon_incident_add_update, SW_RPC_PUBLIC},
    {"monitors.ListMaintenances", SP(list), mon_maintenances_list, SW_RPC_PUBLIC},
    {"monitors.CreateMaintenance", SP(create), mon_maintenance_create, SW_RPC_PUBLIC},
    {"monitors.GetMaintenance", SP(id), mon_maintenance_get, SW_RPC_PUBLIC},
    {"monitors.UpdateMaintenance", SP(update), mon_maintenance_update, SW_RPC_PUBLIC},
    {"monitors.DeleteMaintenance", SP(id), mon_maintenance_delete, SW_RPC_PUBLIC},
    /* The public page (no login: the gateway calls it without a tenant). */
    {"monitors.PublicStatus", SP(public_status), mon_public_status, SW_RPC_PUBLIC},
    /* A heartbeat's ping (no login: the gateway calls it without a tenant). */
    {"monitors.Ping", REQUEST(ping), mon_ping, SW_RPC_PUBLIC},
    /* sw-notify's subscriptions: which public page a slug names. */
    {"monitors.ResolveStatusSlug", SP(resolve_slug), mon_resolve_slug, SW_RPC_INTERNAL},
    /* The checkers, on their own listener. */
    {"monitors.LeaseChecks", REQUEST(lease_checks), mon_lease_checks, SW_RPC_CHECKER},
    {"monitors.ReportResults", REQUEST(report_results), mon_report_results, SW_RPC_CHECKER},
};

/* A plan or account status change takes effect at once: the cached tenant is dropped. */
static void on_tenant_event(void *arg, const char *topic, const char *payload)
{
    struct mon_service *svc = arg;
    (void)topic;
    mon_tenant_cache_forget(svc->cache, payload);
}

static int start(const struct sw_service_env *env, void *service_ctx)
{
    struct mon_service *svc = service_ctx;
    svc->cfg = *env->cfg;
    svc->tenants = env->peer[SW_SVC_TENANTS];
    svc->pub = env->pub;
    int cache_s = 0;
    int rc = sw_cidr_list_parse(sw_env_str("SW_CHECKER_ALLOW_CIDRS", ""), &svc->allow);
    if (rc)
        sw_log_error("configuration: SW_CHECKER_ALLOW_CIDRS is not a list of CIDRs");
    if (rc == 0)
        rc = sw_env_int("SW_MONITORS_LEASE_SECONDS", 60, 5, 600, &svc->default_lease_seconds);
    if (rc == 0)
        rc = sw_env_int("SW_MONITORS_MAX_LEASE", 1000, 1, 10000, &svc->max_lease_batch);
    if (rc == 0)
        rc = sw_env_int("SW_MONITORS_TENANT_CACHE_SECONDS", 60, 0, 3600, &cache_s);
    if (rc == 0)
        rc = mon_tenant_cache_new(cache_s, &svc->cache);
    /* Schemas behind this release are migrated in the background, not before listening. */
    if (rc == 0)
        rc = mon_catchup_start(env->cfg->database_url, &svc->catchup);
    if (rc == 0)
        rc = mon_pruner_start(svc, &svc->pruner);
    if (rc == 0)
        rc = mon_heartbeats_start(svc);
    return rc ? rc : mon_metrics_start(svc);
}

static void stop(void *service_ctx)
{
    struct mon_service *svc = service_ctx;
    sw_ticker_stop(svc->heartbeats);
    mon_catchup_stop(svc->catchup);
    mon_pruner_stop(svc->pruner);
    mon_tenant_cache_free(svc->cache);
}

static const enum sw_service_id PEERS[] = {SW_SVC_TENANTS};
static const char *const TENANT_TOPICS[] = {"tenant.plan_changed", "tenant.status_changed"};
static const struct sw_service_sub SUBS[] = {{SW_SVC_TENANTS, TENANT_TOPICS, 2, on_tenant_event}};

SW_SERVICE_MAIN(monitors, .id = SW_SVC_MONITORS, .methods = METHODS,
                .n_methods = SW_ARRAY_LEN(METHODS), .peers = PEERS, .n_peers = SW_ARRAY_LEN(PEERS),
                .publishes = true, .subs = SUBS, .n_subs = SW_ARRAY_LEN(SUBS),
                .ctx_size = sizeof(struct mon_service), .start = start, .stop = stop)
