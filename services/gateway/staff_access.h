/*
 * Staff credentials at the gateway (api.md "Staff"). Routes marked GW_STAFF
 * (everything under /api/staff/ but the login) take only a staff token: a
 * JWT of type "staff" signed by sw-auth with the key of tenant tokens,
 * verified here, whose account sw-auth confirms still exists
 * (auth.StaffCheck, so that `sw-admin staff remove` ends it at once). A
 * tenant's token or an API key there is 403 permission_denied, and so is a
 * staff token on every other authenticated route. The envelope of a staff
 * call carries the staff id as user_id, role "staff" and no tenant.
 */
#ifndef GW_STAFF_ACCESS_H
#define GW_STAFF_ACCESS_H

#include "gateway.h"

/* The Authorization header on a GW_STAFF route: 0 with req->claims set, or -1 after 401/403. */
int gw_staff_authenticate(struct gw_request *req, const char *authorization);

/*
 * Answers a credential that is not a tenant's access token on a tenant
 * route: 403 permission_denied for a valid staff token, else 401.
 */
void gw_staff_refuse_token(struct gw_request *req, const char *authorization);

#endif
