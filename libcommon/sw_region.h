/*
 * Checker regions (api.md "More kinds of monitor"): a checker runs in one
 * region (SW_CHECKER_REGION), an endpoint may name the regions it is checked
 * in. A region's name is 1 to SW_REGION_NAME_MAX of [a-z0-9-].
 */
#ifndef SW_REGION_H
#define SW_REGION_H

#include <stdbool.h>

/* The region of a checker that names none, and of every heartbeat. */
#define SW_REGION_DEFAULT "local"
#define SW_REGION_NAME_MAX 32
/* At most this many regions per endpoint. */
#define SW_REGIONS_MAX 8

bool sw_region_name_valid(const char *name);

#endif
