/*
 * The tenant guard on the request path: after a call's credentials are
 * verified (dispatch.c), the tenant they name must be allowed to use the
 * route (account status, by route pattern: tenant_guard.h) and within its
 * API rate limit. Every answer of such a call carries RateLimit-*; a refusal
 * is 403 account_suspended / account_cancelled, 401 token_not_valid for a
 * tenant that no longer exists, or 429 rate_limited with Retry-After.
 */
#ifndef GW_TENANT_ACCESS_H
#define GW_TENANT_ACCESS_H

#include "gateway.h"

/*
 * Builds gw->tenant_guard from SW_GATEWAY_TENANT_SYNC_MS [1000],
 * SW_GATEWAY_TENANT_CACHE_MAX [10000] and SW_GATEWAY_TENANT_IDLE_S [120]
 * and starts its sync thread (gw->rpc must be open). 0 or SW_EINVAL/SW_EINTERNAL.
 */
int gw_tenant_access_open(struct gateway *gw);
/* Stops the thread and frees the guard (before the RPC clients close). */
void gw_tenant_access_close(struct gateway *gw);

/* 0 when the call may go on (req->rate set), or -1 after the refusal was sent. */
int gw_tenant_access(struct gw_request *req);

#endif
