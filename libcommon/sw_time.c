#include "sw_time.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

char *sw_time_iso(long long unix_ms, char out[SW_TIME_ISO_MAX])
{
    long long secs = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, SW_TIME_ISO_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, SW_TIME_ISO_MAX, "1970-01-01T00:00:00Z");
    return out;
}

char *sw_time_iso_ms(long long unix_ms, char out[SW_TIME_ISO_MAX])
{
    long long ms = unix_ms % 1000;
    if (ms < 0)
        ms += 1000;
    sw_time_iso(unix_ms, out);
    /* "…:SSZ" → "…:SS.mmmZ" */
    size_t len = strlen(out);
    if (len >= 1 && len + 4 < SW_TIME_ISO_MAX)
        snprintf(out + len - 1, SW_TIME_ISO_MAX - (len - 1), ".%03lldZ", ms);
    return out;
}

long long sw_time_now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}
