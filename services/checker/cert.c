#include "cert.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sw_status.h"

#define EXPIRE_LABEL "Expire date:"

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "Mar  7 12:00:00 2025 GMT", optionally with fractional seconds. */
static int parse_openssl_form(const char *text, struct tm *tm)
{
    char month[4];
    int consumed = 0;
    if (sscanf(text, "%3s %d %d:%d:%d%n", month, &tm->tm_mday, &tm->tm_hour, &tm->tm_min,
               &tm->tm_sec, &consumed) != 5)
        return SW_EINVAL;
    tm->tm_mon = -1;
    for (int i = 0; i < 12; i++)
        if (strcasecmp(month, MONTHS[i]) == 0)
            tm->tm_mon = i;
    if (tm->tm_mon < 0)
        return SW_EINVAL;
    const char *p = text + consumed;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int year = 0;
    if (sscanf(p, "%d", &year) != 1)
        return SW_EINVAL;
    tm->tm_year = year - 1900;
    return 0;
}

/* "2025-03-07 12:00:00 GMT". */
static int parse_iso_form(const char *text, struct tm *tm)
{
    int year = 0, month = 0;
    if (sscanf(text, "%d-%d-%d %d:%d:%d", &year, &month, &tm->tm_mday, &tm->tm_hour, &tm->tm_min,
               &tm->tm_sec) != 6)
        return SW_EINVAL;
    tm->tm_year = year - 1900;
    tm->tm_mon = month - 1;
    return 0;
}

int chk_cert_parse_date(const char *text, long long *out_ms)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    while (*text == ' ')
        text++;
    int rc = isdigit((unsigned char)*text) ? parse_iso_form(text, &tm)
                                           : parse_openssl_form(text, &tm);
    if (rc != 0)
        return rc;
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 ||
        tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60 ||
        tm.tm_year < 0 || tm.tm_year > 8099)
        return SW_EINVAL;
    /* Certificate times are UTC; timegm() does not consult the local zone. */
    time_t when = timegm(&tm);
    if (when == (time_t)-1)
        return SW_EINVAL;
    *out_ms = (long long)when * 1000;
    return 0;
}

int chk_cert_expiry_ms(const struct curl_certinfo *certinfo, long long *out_ms)
{
    if (!certinfo || certinfo->num_of_certs < 1 || !certinfo->certinfo)
        return SW_ENOTFOUND;
    /* The chain starts with the server's own (leaf) certificate. */
    for (const struct curl_slist *item = certinfo->certinfo[0]; item; item = item->next)
        if (strncmp(item->data, EXPIRE_LABEL, strlen(EXPIRE_LABEL)) == 0)
            return chk_cert_parse_date(item->data + strlen(EXPIRE_LABEL), out_ms) == 0
                       ? 0
                       : SW_ENOTFOUND;
    return SW_ENOTFOUND;
}
