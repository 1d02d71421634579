/* sw-billing settings from the environment (docs/BILLING.md, "Settings"). */
#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "sw_log.h"
#include "sw_status.h"

/* Copies a URL without its trailing slashes. */
static void copy_base(char *out, size_t size, const char *url)
{
    snprintf(out, size, "%s", url);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        out[--n] = '\0';
}

static bool is_http_url(const char *url)
{
    return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

int billing_settings_load(bool production, struct billing_settings *s)
{
    memset(s, 0, sizeof *s);
    s->secret_key = sw_env_str("STRIPE_SECRET_KEY", "");
    s->webhook_secret = sw_env_str("STRIPE_WEBHOOK_SECRET", "");
    s->price_pro = sw_env_str("STRIPE_PRICE_PRO", "");
    copy_base(s->frontend_url, sizeof s->frontend_url,
              sw_env_str("FRONTEND_URL", "http://127.0.0.1:8080"));
    copy_base(s->api_base, sizeof s->api_base,
              sw_env_str("STRIPE_API_BASE", "https://api.stripe.com"));
    int rc = sw_env_int("SW_BILLING_STRIPE_TIMEOUT_MS", 10000, 500, 120000, &s->stripe_timeout_ms);
    if (rc == 0)
        rc = sw_env_int("SW_BILLING_STRIPE_RETRIES", 2, 0, 5, &s->stripe_retries);
    if (rc == 0)
        rc = sw_env_int("SW_BILLING_PRO_PRICE_CENTS", 1900, 0, 100000000, &s->pro_price_cents);
    s->sessions = (struct sw_rate_rule){"billing_session", 10, 3600};
    if (rc == 0)
        rc = sw_env_int("SW_RATE_LIMIT_BILLING_SESSIONS_PER_HOUR", 10, 1, 1000000,
                        &s->sessions.limit);
    if (rc)
        return rc;
    if (!is_http_url(s->frontend_url) || !is_http_url(s->api_base)) {
        sw_log_error("configuration: FRONTEND_URL and STRIPE_API_BASE must be http(s) URLs");
        return SW_EINVAL;
    }
    s->configured = s->secret_key[0] != '\0';
    s->test_mode = strncmp(s->secret_key, "sk_test_", 8) == 0 ||
                   strncmp(s->secret_key, "rk_test_", 8) == 0;
    if (s->configured && (!s->webhook_secret[0] || !s->price_pro[0])) {
        if (production) {
            sw_log_error("configuration: STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET or"
                         " STRIPE_PRICE_PRO is not");
            return SW_EINVAL;
        }
        sw_log(SW_LOG_WARN, NULL, NULL,
               "STRIPE_WEBHOOK_SECRET or STRIPE_PRICE_PRO is not set; webhooks or checkout will"
               " answer 503");
    }
    if (production && s->test_mode && strcmp(sw_env_str("SW_ALLOW_STRIPE_TEST", ""), "1") != 0) {
        sw_log_error("configuration: STRIPE_SECRET_KEY is a test-mode key; production refuses"
                     " it unless SW_ALLOW_STRIPE_TEST=1");
        return SW_EINVAL;
    }
    if (production && strncmp(s->api_base, "https://", 8) != 0) {
        sw_log_error("configuration: STRIPE_API_BASE must be https:// in production");
        return SW_EINVAL;
    }
    if (production && s->test_mode)
        sw_log(SW_LOG_WARN, NULL, NULL, "production is running with a Stripe test-mode key");
    if (!s->configured)
        sw_log(SW_LOG_INFO, NULL, NULL, "billing is not configured (no STRIPE_SECRET_KEY)");
    return 0;
}
