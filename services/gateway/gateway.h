/*
 * sw-gateway: the HTTP front door (CivetWeb). It owns nothing persistent:
 * it verifies access tokens itself, turns each API call into one nng request
 * to the owning service, and serves the web app, health and metrics.
 *
 * struct gateway is built once in main() and read-only afterwards except for
 * the metrics and rate-limit tables, which guard themselves.
 */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <civetweb.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "sw_cidr.h"
#include "sw_config.h"
#include "sw_jwt.h"
#include "sw_rpc.h"

struct gw_metrics;
struct gw_token_cache;
struct gw_revocations;
struct sw_sub;
struct gw_tenant_guard;
struct gw_route;

struct gateway {
    struct sw_config cfg;
    struct sw_jwt_key jwt_key;
    struct sw_rpc_client *rpc[SW_SVC_COUNT];
    struct gw_metrics *metrics;
    struct gw_token_cache *tokens;
    struct gw_revocations *revocations;   /* users whose logins ended (revocations.h) */
    struct sw_sub *revocation_sub;        /* sw-auth's "auth.user_revoked" */
    struct gw_tenant_guard *tenant_guard; /* account status and API rate limit per tenant */
    struct gw_ping_limit *ping_limit;     /* heartbeat pings per token (ping_limit.h) */
    char app_url[512];                    /* FRONTEND_URL: the base of a heartbeat's ping_url */
    struct sw_cidr_list trusted_proxies;
    char web_root[1024];
    size_t max_body;        /* SW_HTTP_MAX_BODY [65536] */
    int request_timeout_ms; /* SW_HTTP_REQUEST_TIMEOUT_MS [10000]: headers, then the body */
    _Atomic int in_flight;  /* requests being handled (gw_dispatch), for the stop (drain.h) */
};

/* One HTTP request while it is being handled (lives on the handler's stack). */
/* RateLimit-* of a call a service counted (the reply's rate_limit). */
struct gw_rate {
    bool has;
    int limit, remaining, reset_s;
};

/* How an API key authenticated the request (none: a token, or no credentials). */
enum gw_key { GW_KEY_NONE, GW_KEY_READ, GW_KEY_WRITE };

struct gw_request {
    struct mg_connection *conn;
    const struct mg_request_info *ri;
    struct gateway *gw;
    const struct gw_route *route;
    char request_id[65];
    char client_ip[48];
    bool https;
    char path_id[64];        /* the {id} segment of the route, if any */
    struct sw_claims claims; /* set when the route needs authentication */
    enum gw_key api_key;     /* set when an API key authenticated it */
    int status;              /* what was sent, for metrics */
    struct gw_rate rate;     /* the rate limit a service counted the call against */
};

typedef void (*gw_handler)(struct gw_request *req);

/* Who may use an authenticated route besides any role's token (api.md "Roles"). */
enum gw_access {
    GW_EVERYONE = 0,      /* every role, and API keys by scope */
    GW_MANAGERS = 1 << 0, /* owners and admins only */
    GW_NO_KEYS = 1 << 1,  /* never an API key (members, invitations, keys, billing, own account) */
    GW_STAFF = 1 << 2,    /* a staff token only (/api/staff/), never a tenant's token or key */
    GW_OWNERS_ONLY = GW_MANAGERS | GW_NO_KEYS, /* owners and admins, signed in */
};

struct gw_route {
    const char *method;
    const char *pattern; /* "/api/endpoints/{id}/" */
    gw_handler fn;
    bool needs_auth;
    unsigned access; /* enum gw_access flags */
};

/* Finds the route for method and path; sets *path_allowed when only the method is wrong. */
const struct gw_route *gw_route_find(const char *method, const char *path, char *path_id,
                                     size_t path_id_size, bool *path_known);
/* Number of routes and the i-th route (for metrics labels). */
size_t gw_route_count(void);
const struct gw_route *gw_route_at(size_t i);
/* Methods allowed on a path, for 405's Allow header. */
void gw_route_allowed(const char *path, char *out, size_t size);

/* Route handlers. */
void gw_auth_register(struct gw_request *req);
void gw_auth_token(struct gw_request *req);
void gw_auth_refresh(struct gw_request *req);
void gw_auth_logout(struct gw_request *req);
void gw_auth_me(struct gw_request *req);
void gw_auth_token_2fa(struct gw_request *req);
void gw_auth_verify_email(struct gw_request *req);
void gw_auth_verify_resend(struct gw_request *req);
void gw_auth_password_reset(struct gw_request *req);
void gw_auth_reset_confirm(struct gw_request *req);
void gw_auth_2fa_setup(struct gw_request *req);
void gw_auth_2fa_confirm(struct gw_request *req);
void gw_auth_2fa_disable(struct gw_request *req);
/*
 * 0 when the caller has verified their e-mail (a new tenant's owner is its
 * only user); otherwise -1 after answering 403 email_not_verified: checkout,
 * invitations and external channels wait for it. A member passes: the
 * service answers its role first.
 */
int gw_require_verified_email(struct gw_request *req);
void gw_members_list(struct gw_request *req);
void gw_members_update(struct gw_request *req);
void gw_members_remove(struct gw_request *req);
void gw_invitations_list(struct gw_request *req);
void gw_invitations_create(struct gw_request *req);
void gw_invitations_revoke(struct gw_request *req);
void gw_invitations_accept(struct gw_request *req);
void gw_api_keys_list(struct gw_request *req);
void gw_api_keys_create(struct gw_request *req);
void gw_api_keys_revoke(struct gw_request *req);
void gw_audit_log(struct gw_request *req);
void gw_alerts_list(struct gw_request *req);
void gw_alerts_read(struct gw_request *req);
void gw_alerts_read_all(struct gw_request *req);
void gw_alerts_resolve(struct gw_request *req);
void gw_channels_list(struct gw_request *req);
void gw_channels_create(struct gw_request *req);
void gw_channels_update(struct gw_request *req);
void gw_channels_delete(struct gw_request *req);
void gw_channels_test(struct gw_request *req);
void gw_notify_settings_get(struct gw_request *req);
void gw_notify_settings_put(struct gw_request *req);
void gw_notify_log(struct gw_request *req);
void gw_endpoints_list(struct gw_request *req);
void gw_endpoints_create(struct gw_request *req);
void gw_endpoints_get(struct gw_request *req);
void gw_endpoints_replace(struct gw_request *req);
void gw_endpoints_patch(struct gw_request *req);
void gw_endpoints_delete(struct gw_request *req);
void gw_endpoints_checks(struct gw_request *req);
void gw_endpoints_uptime(struct gw_request *req);
void gw_regions_list(struct gw_request *req);
void gw_billing_plans(struct gw_request *req);
void gw_billing_subscription(struct gw_request *req);
void gw_billing_checkout(struct gw_request *req);
void gw_billing_portal(struct gw_request *req);
void gw_billing_webhook(struct gw_request *req);
void gw_billing_invoices(struct gw_request *req);
void gw_health(struct gw_request *req);
void gw_health_ready(struct gw_request *req);
void gw_metrics_page(struct gw_request *req);
void gw_staff_token(struct gw_request *req);
void gw_staff_tenants(struct gw_request *req);
void gw_staff_suspend(struct gw_request *req);
void gw_staff_reactivate(struct gw_request *req);
void gw_staff_bank_transfer(struct gw_request *req);
void gw_staff_revenue(struct gw_request *req);
void gw_staff_usage(struct gw_request *req);
void gw_staff_churn(struct gw_request *req);
void gw_status_pages_list(struct gw_request *req);
void gw_status_pages_create(struct gw_request *req);
void gw_status_pages_get(struct gw_request *req);
void gw_status_pages_update(struct gw_request *req);
void gw_status_pages_delete(struct gw_request *req);
void gw_status_page_subscribers(struct gw_request *req);
void gw_incidents_list(struct gw_request *req);
void gw_incidents_create(struct gw_request *req);
void gw_incidents_get(struct gw_request *req);
void gw_incidents_update(struct gw_request *req);
void gw_incidents_add_update(struct gw_request *req);
void gw_maintenances_list(struct gw_request *req);
void gw_maintenances_create(struct gw_request *req);
void gw_maintenances_get(struct gw_request *req);
void gw_maintenances_update(struct gw_request *req);
void gw_maintenances_delete(struct gw_request *req);
void gw_public_status(struct gw_request *req);
/* routes_ping.c: heartbeat pings (no login). */
void gw_ping(struct gw_request *req);
void gw_ping_fail(struct gw_request *req);
void gw_public_subscribe(struct gw_request *req);
void gw_public_confirm(struct gw_request *req);
void gw_public_unsubscribe(struct gw_request *req);
/* Drops every cached public page (routes_status.c), after a change of pages or their data. */
void gw_status_cache_flush(void);

/* Serves a file of the web app, or index.html for unknown non-API paths. */
void gw_static_serve(struct gw_request *req);

/* The top-level CivetWeb callback. */
int gw_dispatch(struct mg_connection *conn);

#endif
