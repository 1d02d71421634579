#include "sw_time.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * The civil date of a day count since 1970-01-01 (proleptic Gregorian), by
 * Howard Hinnant's days_from_civil inverse: pure arithmetic, where gmtime_r
 * takes glibc's time zone lock on every call (a list of endpoints formats
 * over a hundred instants, from many threads at once).
 */
static void civil_from_days(long long days, long long *year, int *month, int *day)
{
    days += 719468;
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;                                   /* [0, 146096] */
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    long long mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

/* Writes "YYYY-MM-DDTHH:MM:SS" (19 characters) for unix_ms; false outside years 0..9999. */
static bool put_seconds(long long unix_ms, char *out)
{
    long long secs = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rest = secs - days * 86400;
    long long year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return false;
    const int fields[] = {(int)(year / 100),  (int)(year % 100),     month,           day,
                          (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60)};
    static const char SEPARATORS[] = "\0\0--T::"; /* before each field */
    char *w = out;
    for (int i = 0; i < 7; i++) {
        if (i > 1)
            *w++ = SEPARATORS[i];
        *w++ = (char)('0' + fields[i] / 10);
        *w++ = (char)('0' + fields[i] % 10);
    }
    return true;
}

char *sw_time_iso(long long unix_ms, char out[SW_TIME_ISO_MAX])
{
    if (!put_seconds(unix_ms, out))
        snprintf(out, SW_TIME_ISO_MAX, "1970-01-01T00:00:00");
    memcpy(out + 19, "Z", 2);
    return out;
}

char *sw_time_iso_ms(long long unix_ms, char out[SW_TIME_ISO_MAX])
{
    long long ms = unix_ms % 1000;
    if (ms < 0)
        ms += 1000;
    if (!put_seconds(unix_ms, out)) {
        snprintf(out, SW_TIME_ISO_MAX, "1970-01-01T00:00:00");
        ms = 0;
    }
    out[19] = '.';
    out[20] = (char)('0' + ms / 100);
    out[21] = (char)('0' + ms / 10 % 10);
    out[22] = (char)('0' + ms % 10);
    memcpy(out + 23, "Z", 2);
    return out;
}
