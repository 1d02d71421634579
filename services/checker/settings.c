#include "settings.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "probe_dns.h"
#include "sw_log.h"
#include "sw_status.h"

/* "host-1234": unique per process on one host, readable in the schedule table. */
static void default_checker_id(char *out, size_t size)
{
    char host[64];
    if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
        snprintf(host, sizeof host, "checker");
    host[sizeof host - 1] = '\0';
    snprintf(out, size, "%s-%d", host, (int)getpid());
}

/* The id travels in RPCs and logs: keep it to printable, unspaced ASCII. */
static bool checker_id_is_valid(const char *id)
{
    size_t len = strlen(id);
    if (len == 0 || len >= CHK_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isgraph((unsigned char)id[i]) || id[i] == '"' || id[i] == '\\')
            return false;
    return true;
}

int chk_settings_load(const struct sw_config *cfg, struct chk_settings *out)
{
    memset(out, 0, sizeof *out);
    int rc = 0;
    if (sw_cidr_list_parse(sw_env_str("SW_CHECKER_ALLOW_CIDRS", ""), &out->allow) != 0) {
        sw_log_error("configuration: SW_CHECKER_ALLOW_CIDRS must be a comma-separated list of "
                     "at most %d CIDRs",
                     SW_CIDR_LIST_MAX);
        rc = SW_EINVAL;
        goto out;
    }
    /* Each transfer holds one socket; the upper bound keeps memory and fds sane. */
    rc = sw_env_int("SW_CHECKER_CONCURRENCY", 512, 1, 65536, &out->concurrency);
    if (rc == 0)
        rc = sw_env_int("SW_CHECKER_BATCH", 200, 1, 10000, &out->batch);
    if (rc == 0)
        rc = sw_env_int("SW_CHECKER_LEASE_SECONDS", 60, 1, 3600, &out->lease_seconds);
    if (rc == 0)
        rc = sw_env_int("SW_CHECKER_POLL_MS", 250, 10, 60000, &out->poll_ms);
    if (rc != 0)
        goto out;

    const char *id = sw_env_str("SW_CHECKER_ID", NULL);
    if (id && !checker_id_is_valid(id)) {
        sw_log_error("configuration: SW_CHECKER_ID must be 1 to %d printable characters "
                     "without spaces or quotes",
                     CHK_ID_MAX - 1);
        rc = SW_EINVAL;
        goto out;
    }
    if (id)
        snprintf(out->checker_id, sizeof out->checker_id, "%s", id);
    else
        default_checker_id(out->checker_id, sizeof out->checker_id);

    const char *region = sw_env_str("SW_CHECKER_REGION", SW_REGION_DEFAULT);
    if (!sw_region_name_valid(region)) {
        sw_log_error("configuration: SW_CHECKER_REGION must be 1 to %d of a-z, 0-9 and \"-\"",
                     SW_REGION_NAME_MAX);
        rc = SW_EINVAL;
        goto out;
    }
    snprintf(out->region, sizeof out->region, "%s", region);
    snprintf(out->user_agent, sizeof out->user_agent, "%s (region %s)", CHK_USER_AGENT, region);

    const char *servers = sw_env_str("SW_CHECKER_DNS_SERVERS", "");
    if (strlen(servers) >= sizeof out->dns_servers || !chk_dns_servers_valid(servers)) {
        sw_log_error("configuration: SW_CHECKER_DNS_SERVERS must be a comma-separated list of "
                     "addresses with optional ports (1.2.3.4:53,[2001:db8::1]:53)");
        rc = SW_EINVAL;
        goto out;
    }
    snprintf(out->dns_servers, sizeof out->dns_servers, "%s", servers);

    out->cfg = *cfg;
    out->rpc_timeout_ms = cfg->rpc_timeout_ms;
out:
    return rc;
}
