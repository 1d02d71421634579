/*
 * The gateway's route table: every path of the REST contract, its handler,
 * whether it needs credentials, and who may use it (the role matrix of
 * api.md "Roles"; services check their own rules again).
 */
#include <stdio.h>
#include <string.h>

#include "gateway.h"

static const struct gw_route ROUTES[] = {
    {"POST", "/api/auth/register/", gw_auth_register, false, GW_EVERYONE},
    {"POST", "/api/auth/token/", gw_auth_token, false, GW_EVERYONE},
    {"POST", "/api/auth/token/refresh/", gw_auth_refresh, false, GW_EVERYONE},
    {"POST", "/api/auth/logout/", gw_auth_logout, false, GW_EVERYONE},
    {"GET", "/api/auth/me/", gw_auth_me, true, GW_NO_KEYS},
    {"POST", "/api/auth/token/2fa/", gw_auth_token_2fa, false, GW_EVERYONE},
    {"POST", "/api/auth/verify-email/", gw_auth_verify_email, false, GW_EVERYONE},
    {"POST", "/api/auth/verify-email/resend/", gw_auth_verify_resend, true, GW_NO_KEYS},
    {"POST", "/api/auth/password-reset/", gw_auth_password_reset, false, GW_EVERYONE},
    {"POST", "/api/auth/password-reset/confirm/", gw_auth_reset_confirm, false, GW_EVERYONE},
    {"POST", "/api/auth/2fa/setup/", gw_auth_2fa_setup, true, GW_NO_KEYS},
    {"POST", "/api/auth/2fa/confirm/", gw_auth_2fa_confirm, true, GW_NO_KEYS},
    {"POST", "/api/auth/2fa/disable/", gw_auth_2fa_disable, true, GW_NO_KEYS},
    {"GET", "/api/members/", gw_members_list, true, GW_NO_KEYS},
    {"PATCH", "/api/members/{id}/", gw_members_update, true, GW_OWNERS_ONLY},
    {"DELETE", "/api/members/{id}/", gw_members_remove, true, GW_OWNERS_ONLY},
    {"GET", "/api/invitations/", gw_invitations_list, true, GW_OWNERS_ONLY},
    {"POST", "/api/invitations/", gw_invitations_create, true, GW_OWNERS_ONLY},
    {"POST", "/api/invitations/accept/", gw_invitations_accept, false, GW_EVERYONE},
    {"DELETE", "/api/invitations/{id}/", gw_invitations_revoke, true, GW_OWNERS_ONLY},
    {"GET", "/api/api-keys/", gw_api_keys_list, true, GW_OWNERS_ONLY},
    {"POST", "/api/api-keys/", gw_api_keys_create, true, GW_OWNERS_ONLY},
    {"DELETE", "/api/api-keys/{id}/", gw_api_keys_revoke, true, GW_OWNERS_ONLY},
    {"GET", "/api/audit-log/", gw_audit_log, true, GW_OWNERS_ONLY},
    {"GET", "/api/endpoints/", gw_endpoints_list, true, GW_EVERYONE},
    {"POST", "/api/endpoints/", gw_endpoints_create, true, GW_EVERYONE},
    {"GET", "/api/endpoints/{id}/", gw_endpoints_get, true, GW_EVERYONE},
    {"PUT", "/api/endpoints/{id}/", gw_endpoints_replace, true, GW_EVERYONE},
    {"PATCH", "/api/endpoints/{id}/", gw_endpoints_patch, true, GW_EVERYONE},
    {"DELETE", "/api/endpoints/{id}/", gw_endpoints_delete, true, GW_EVERYONE},
    {"GET", "/api/endpoints/{id}/checks/", gw_endpoints_checks, true, GW_EVERYONE},
    {"GET", "/api/endpoints/{id}/uptime/", gw_endpoints_uptime, true, GW_EVERYONE},
    {"GET", "/api/regions/", gw_regions_list, true, GW_EVERYONE},
    {"GET", "/api/billing/plans/", gw_billing_plans, false, GW_EVERYONE},
    {"GET", "/api/billing/subscription/", gw_billing_subscription, true, GW_NO_KEYS},
    {"POST", "/api/billing/create-checkout-session/", gw_billing_checkout, true, GW_OWNERS_ONLY},
    {"POST", "/api/billing/create-portal-session/", gw_billing_portal, true, GW_OWNERS_ONLY},
    {"POST", "/api/billing/webhook/", gw_billing_webhook, false, GW_EVERYONE},
    {"GET", "/api/billing/invoices/", gw_billing_invoices, true, GW_NO_KEYS},
    {"GET", "/api/alerts/", gw_alerts_list, true, GW_EVERYONE},
    {"POST", "/api/alerts/read-all/", gw_alerts_read_all, true, GW_EVERYONE},
    {"POST", "/api/alerts/{id}/read/", gw_alerts_read, true, GW_EVERYONE},
    {"POST", "/api/alerts/{id}/resolve/", gw_alerts_resolve, true, GW_EVERYONE},
    {"GET", "/api/notifications/channels/", gw_channels_list, true, GW_EVERYONE},
    {"POST", "/api/notifications/channels/", gw_channels_create, true, GW_MANAGERS},
    {"PATCH", "/api/notifications/channels/{id}/", gw_channels_update, true, GW_MANAGERS},
    {"DELETE", "/api/notifications/channels/{id}/", gw_channels_delete, true, GW_MANAGERS},
    {"POST", "/api/notifications/channels/{id}/test/", gw_channels_test, true, GW_MANAGERS},
    {"GET", "/api/notifications/settings/", gw_notify_settings_get, true, GW_EVERYONE},
    {"PUT", "/api/notifications/settings/", gw_notify_settings_put, true, GW_MANAGERS},
    {"GET", "/api/notifications/log/", gw_notify_log, true, GW_EVERYONE},
    {"POST", "/api/staff/token/", gw_staff_token, false, GW_EVERYONE},
    {"GET", "/api/staff/tenants/", gw_staff_tenants, true, GW_STAFF},
    {"POST", "/api/staff/tenants/{id}/suspend/", gw_staff_suspend, true, GW_STAFF},
    {"POST", "/api/staff/tenants/{id}/reactivate/", gw_staff_reactivate, true, GW_STAFF},
    {"POST", "/api/staff/billing/confirm-bank-transfer/", gw_staff_bank_transfer, true, GW_STAFF},
    {"GET", "/api/staff/reports/revenue/", gw_staff_revenue, true, GW_STAFF},
    {"GET", "/api/staff/reports/usage/", gw_staff_usage, true, GW_STAFF},
    {"GET", "/api/staff/reports/churn/", gw_staff_churn, true, GW_STAFF},
    {"GET", "/api/status-pages/", gw_status_pages_list, true, GW_EVERYONE},
    {"POST", "/api/status-pages/", gw_status_pages_create, true, GW_MANAGERS},
    {"GET", "/api/status-pages/{id}/", gw_status_pages_get, true, GW_EVERYONE},
    {"PATCH", "/api/status-pages/{id}/", gw_status_pages_update, true, GW_MANAGERS},
    {"DELETE", "/api/status-pages/{id}/", gw_status_pages_delete, true, GW_MANAGERS},
    {"GET", "/api/status-pages/{id}/subscribers/", gw_status_page_subscribers, true, GW_MANAGERS},
    {"GET", "/api/incidents/", gw_incidents_list, true, GW_EVERYONE},
    {"POST", "/api/incidents/", gw_incidents_create, true, GW_EVERYONE},
    {"GET", "/api/incidents/{id}/", gw_incidents_get, true, GW_EVERYONE},
    {"PATCH", "/api/incidents/{id}/", gw_incidents_update, true, GW_EVERYONE},
    {"POST", "/api/incidents/{id}/updates/", gw_incidents_add_update, true, GW_EVERYONE},
    {"GET", "/api/maintenances/", gw_maintenances_list, true, GW_EVERYONE},
    {"POST", "/api/maintenances/", gw_maintenances_create, true, GW_EVERYONE},
    {"GET", "/api/maintenances/{id}/", gw_maintenances_get, true, GW_EVERYONE},
    {"PATCH", "/api/maintenances/{id}/", gw_maintenances_update, true, GW_EVERYONE},
    {"DELETE", "/api/maintenances/{id}/", gw_maintenances_delete, true, GW_EVERYONE},
    {"GET", "/api/public/status/{id}/", gw_public_status, false, GW_EVERYONE},
    {"POST", "/api/public/status/{id}/subscribe/", gw_public_subscribe, false, GW_EVERYONE},
    {"POST", "/api/public/subscriptions/confirm/", gw_public_confirm, false, GW_EVERYONE},
    {"POST", "/api/public/subscriptions/unsubscribe/", gw_public_unsubscribe, false, GW_EVERYONE},
    /* Heartbeat pings: the token is the credential (routes_ping.c). */
    {"GET", "/api/ping/{id}/", gw_ping, false, GW_EVERYONE},
    {"POST", "/api/ping/{id}/", gw_ping, false, GW_EVERYONE},
    {"GET", "/api/ping/{id}/fail/", gw_ping_fail, false, GW_EVERYONE},
    {"POST", "/api/ping/{id}/fail/", gw_ping_fail, false, GW_EVERYONE},
    {"GET", "/health/", gw_health, false, GW_EVERYONE},
    {"GET", "/health/ready/", gw_health_ready, false, GW_EVERYONE},
    {"GET", "/metrics/", gw_metrics_page, false, GW_EVERYONE},
};

#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

size_t gw_route_count(void) { return N_ROUTES; }
const struct gw_route *gw_route_at(size_t i) { return i < N_ROUTES ? &ROUTES[i] : NULL; }

/*
 * Matches path against pattern segment by segment; "{id}" matches one
 * segment, copied to path_id. A missing trailing slash is accepted.
 */
static bool path_matches(const char *pattern, const char *path, char *path_id, size_t id_size)
{
    const char *p = pattern, *s = path;
    while (*p) {
        if (strncmp(p, "{id}", 4) == 0) {
            size_t n = strcspn(s, "/");
            if (n == 0 || n >= id_size)
                return false;
            if (path_id) {
                memcpy(path_id, s, n);
                path_id[n] = '\0';
            }
            p += 4;
            s += n;
            continue;
        }
        if (*p != *s)
            return *s == '\0' && p[0] == '/' && p[1] == '\0';
        p++;
        s++;
    }
    return *s == '\0';
}

static bool method_matches(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

const struct gw_route *gw_route_find(const char *method, const char *path, char *path_id,
                                     size_t path_id_size, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!path_matches(ROUTES[i].pattern, path, path_id, path_id_size))
            continue;
        *path_known = true;
        if (method_matches(ROUTES[i].method, method))
            return &ROUTES[i];
    }
    return NULL;
}

void gw_route_allowed(const char *path, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < N_ROUTES; i++) {
        char scratch[64];
        if (!path_matches(ROUTES[i].pattern, path, scratch, sizeof scratch))
            continue;
        int n = snprintf(out + len, size - len, "%s%s", len ? ", " : "", ROUTES[i].method);
        if (n < 0 || (size_t)n >= size - len) {
            out[len] = '\0'; /* no half method name */
            break;
        }
        len += (size_t)n;
    }
}
