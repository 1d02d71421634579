#include "probe_tcp.h"

#include <stdio.h>
#include <string.h>

#include "sw_status.h"
#include "verdict.h"

/* tcp://host:port → http://host:port/: curl connects and stops (CONNECT_ONLY). */
static void connect_url(const char *url, char *out, size_t size)
{
    const char *rest = strncmp(url, "tcp://", 6) == 0 ? url + 6 : url;
    snprintf(out, size, "http://%s/", rest);
}

int chk_tcp_configure(struct chk_probe *probe)
{
    CURL *easy = probe->easy;
    char url[2200];
    connect_url(probe->job->url, url, sizeof url);
    CURLcode rc = chk_probe_base_options(probe, url, (long)probe->timeout_ms, "http");
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
    if (rc != CURLE_OK)
        return SW_EINTERNAL;
    return sw_guard_attach(&probe->guard, easy);
}

static curl_off_t time_us(CURL *easy, CURLINFO info)
{
    curl_off_t us = 0;
    return curl_easy_getinfo(easy, info, &us) == CURLE_OK ? us : 0;
}

void chk_tcp_finish(struct chk_probe *probe, CURLcode code, struct chk_outcome *outcome)
{
    CURL *easy = probe->easy;
    struct chk_observation obs = {
        .code = code,
        .keyword_ok = true,
        .keyword = "",
        .timeout_ms = probe->timeout_ms,
        .connect_timeout_ms = probe->timeout_ms,
        .refusal = probe->guard.refusal,
        .curl_error = probe->errbuf,
    };
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &obs.os_errno);
    obs.namelookup_us = time_us(easy, CURLINFO_NAMELOOKUP_TIME_T);
    obs.connect_us = time_us(easy, CURLINFO_CONNECT_TIME_T);
    obs.total_us = time_us(easy, CURLINFO_TOTAL_TIME_T);
    Sw__Monitors__Result *r = &outcome->result;
    /* A connect that completed is the whole check: judged as a transfer with no HTTP part. */
    chk_verdict(&obs, r, outcome->error, sizeof outcome->error);
    r->has_status_code = 0;
    r->status_ok = 1;
    r->keyword_ok = 1;
    r->ok = code == CURLE_OK;
    if (r->ok) {
        outcome->error[0] = '\0';
        r->error = NULL;
        r->has_ttfb_ms = 0;
        r->has_total_ms = r->has_connect_ms || r->has_dns_ms;
        if (obs.connect_us > 0)
            r->total_ms = (int)((obs.connect_us + 500) / 1000);
    }
    r->started_unix_ms = probe->started_unix_ms;
}
