/* sw-notify's settings, read once at start-up. */
#include <stdio.h>
#include <string.h>

#include "notify.h"
#include "sw_log.h"
#include "sw_status.h"

int notify_settings_load(const struct sw_config *cfg, struct notify_settings *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->smtp_url, sizeof s->smtp_url, "%s", sw_env_str("SW_SMTP_URL", ""));
    snprintf(s->smtp_from, sizeof s->smtp_from, "%s",
             sw_env_str("SW_SMTP_FROM", "StatusWatch <alerts@statuswatch.invalid>"));
    snprintf(s->mail_dir, sizeof s->mail_dir, "%s/mail", cfg->var_dir);
    snprintf(s->app_url, sizeof s->app_url, "%s",
             sw_env_str("FRONTEND_URL", "http://127.0.0.1:8080"));
    int rc = sw_cidr_list_parse(sw_env_str("SW_CHECKER_ALLOW_CIDRS", ""), &s->allow);
    if (rc)
        sw_log_error("configuration: SW_CHECKER_ALLOW_CIDRS is not a list of CIDRs");
    const struct {
        const char *name;
        int def, min, max;
        int *out;
    } numbers[] = {
        {"SW_NOTIFY_POLL_MS", 2000, 50, 60000, &s->poll_ms},
        {"SW_NOTIFY_HOLD_MS", 3000, 0, 60000, &s->hold_ms},
        {"SW_NOTIFY_RETRY_MAX_MS", 60000, 100, 3600000, &s->retry_max_ms},
        {"SW_NOTIFY_GIVE_UP_MS", 2 * 3600 * 1000, 1000, 7 * 24 * 3600 * 1000, &s->give_up_ms},
        {"SW_NOTIFY_TIMEOUT_MS", 10000, 100, 120000, &s->timeout_ms},
        {"SW_NOTIFY_MINUTE_MS", 60000, 100, 60000, &s->minute_ms},
    };
    for (size_t i = 0; rc == 0 && i < sizeof numbers / sizeof numbers[0]; i++)
        rc = sw_env_int(numbers[i].name, numbers[i].def, numbers[i].min, numbers[i].max,
                        numbers[i].out);
    if (rc == 0 && s->smtp_url[0] && strncmp(s->smtp_url, "smtp://", 7) != 0 &&
        strncmp(s->smtp_url, "smtps://", 8) != 0) {
        sw_log_error("configuration: SW_SMTP_URL must be an smtp:// or smtps:// URL");
        rc = SW_EINVAL;
    }
    return rc;
}
