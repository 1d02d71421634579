#include "tenant_access.h"

#include <stdio.h>

#include "http.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_status.h"
#include "tenant_guard.h"

int gw_tenant_access_open(struct gateway *gw)
{
    int sync_ms = 0, max_entries = 0, idle_s = 0;
    if (sw_env_int("SW_GATEWAY_TENANT_SYNC_MS", 1000, 50, 60000, &sync_ms) != 0 ||
        sw_env_int("SW_GATEWAY_TENANT_CACHE_MAX", 10000, 16, 1000000, &max_entries) != 0 ||
        sw_env_int("SW_GATEWAY_TENANT_IDLE_S", 120, 1, 86400, &idle_s) != 0)
        return SW_EINVAL;
    struct gw_tenant_guard_opts opts = {
        .sync_ms = sync_ms,
        .max_entries = (size_t)max_entries,
        .idle_ms = idle_s * 1000,
        .tenants = gw->rpc[SW_SVC_TENANTS],
        .timeout_ms = gw->cfg.rpc_timeout_ms,
    };
    gw->tenant_guard = gw_tenant_guard_new(&opts);
    if (!gw->tenant_guard || gw_tenant_guard_start(gw->tenant_guard) != 0)
        return SW_EINTERNAL;
    sw_log_info("tenant guard: sync every %d ms, at most %d tenants", sync_ms, max_entries);
    return 0;
}

void gw_tenant_access_close(struct gateway *gw)
{
    gw_tenant_guard_free(gw->tenant_guard);
    gw->tenant_guard = NULL;
}

int gw_tenant_access(struct gw_request *req)
{
    struct gw_tenant_decision d;
    gw_tenant_guard_check(req->gw->tenant_guard, req->claims.tenant_id,
                          gw_tenant_status_exempt(req->route->pattern), sw_now_ms(), &d);
    if (d.has_rate)
        req->rate = (struct gw_rate){true, d.limit, d.remaining, d.reset_s};
    switch (d.verdict) {
    case GW_TENANT_ADMIT: return 0;
    case GW_TENANT_SUSPENDED:
        gw_send_error(req, 403, "account_suspended",
                      "This organisation's account is suspended. Billing remains available.", NULL);
        break;
    case GW_TENANT_CANCELLED:
        gw_send_error(req, 403, "account_cancelled",
                      "This organisation's account is cancelled. Billing remains available.", NULL);
        break;
    case GW_TENANT_GONE:
        gw_send_error(req, 401, "token_not_valid", "Given token not valid for any token type.",
                      NULL);
        break;
    case GW_TENANT_RATE_LIMITED: {
        char detail[96];
        snprintf(detail, sizeof detail, "Too many requests. Try again in %d seconds.", d.reset_s);
        gw_send_error(req, 429, "rate_limited", detail, NULL);
        break;
    }
    }
    return -1;
}
