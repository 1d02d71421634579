/*
 * The checker's settings: SW_CHECKER_* environment variables plus the common
 * configuration (where sw-monitors' checker listener is,
 * SW_MONITORS_CHECKER_RPC_URL; the TLS folder; the RPC deadline). Loaded and validated once at
 * start-up; a malformed value is logged with the variable's name and refused, and the process exits
 * rather than guess. The struct is plain data owned by whoever declared it and is read-only once
 * the checker's threads run.
 */
#ifndef CHK_SETTINGS_H
#define CHK_SETTINGS_H

#include "sw_cidr.h"
#include "sw_config.h"
#include "sw_region.h"

#define CHK_ID_MAX 128

struct chk_settings {
    struct sw_cidr_list allow;   /* SW_CHECKER_ALLOW_CIDRS [empty] */
    int concurrency;             /* SW_CHECKER_CONCURRENCY [512]: transfers in flight */
    int batch;                   /* SW_CHECKER_BATCH [200]: checks per lease, results per report */
    int lease_seconds;           /* SW_CHECKER_LEASE_SECONDS [60] */
    int poll_ms;                 /* SW_CHECKER_POLL_MS [250]: idle wait after an empty lease */
    char checker_id[CHK_ID_MAX]; /* SW_CHECKER_ID [hostname-pid] */
    char region[SW_REGION_NAME_MAX + 1]; /* SW_CHECKER_REGION [local] */
    char user_agent[96];   /* CHK_USER_AGENT and the region: targets can tell regions apart */
    char dns_servers[512]; /* SW_CHECKER_DNS_SERVERS [""]: DNS checks' resolvers */
    struct sw_config cfg;  /* a copy: dialled as the checker role (sw_service_dial) */
    int rpc_timeout_ms;    /* SW_RPC_TIMEOUT_MS, from cfg */
};

/* Fills `out` from the environment and `cfg`; SW_EINVAL (logged) if a value is malformed. */
int chk_settings_load(const struct sw_config *cfg, struct chk_settings *out);

#endif
