/*
 * Staff accounts on sw-auth's side (api.md "Staff"; the rows are auth.staff,
 * created by the sw-admin command): the staff login, which signs a
 * 15-minute token of type "staff" with the service's JWT key (no refresh, no
 * session row), the check the gateway makes on every staff request that the
 * account still exists, and the member counts of the staff tenant listing.
 */
#ifndef AUTH_STAFF_H
#define AUTH_STAFF_H

#include "sw_rpc.h"

#define AUTH_STAFF_TTL_S 900L /* a staff token: 15 minutes */

/* Handlers (request types in proto/staff.proto). */
sw_rpc_handler_fn auth_staff_login;
sw_rpc_handler_fn auth_staff_check;
sw_rpc_handler_fn auth_staff_count_members;

#endif
