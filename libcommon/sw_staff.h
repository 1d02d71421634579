/*
 * What several services answer the staff console the same way: counts per
 * tenant for the staff tenant listing (api.md "Staff").
 */
#ifndef SW_STAFF_H
#define SW_STAFF_H

#include <stddef.h>

#include "sw_rpc.h"

/*
 * For a staff caller only: runs sql with $1 the tenant_ids as a uuid[]
 * (those that are not UUIDs are left out), whose rows are (key, value), and
 * answers them as a sw.staff.CountsReply.
 */
void sw_staff_counts_reply(struct sw_rpc_ctx *ctx, struct sw_reply *reply, char *const *tenant_ids,
                           size_t n, const char *sql);

#endif
