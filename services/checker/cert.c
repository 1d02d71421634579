#include "cert.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sw_status.h"

#define EXPIRE_LABEL "Expire date:"

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Reads an unsigned decimal of 1 to 4 digits at *p into *out and moves past it. */
static bool take_number(const char **p, int *out)
{
    const char *start = *p;
    size_t digits = 0;
    while (isdigit((unsigned char)start[digits]))
        digits++;
    if (digits < 1 || digits > 4)
        return false;
    char *end = NULL;
    *out = (int)strtol(start, &end, 10); /* at most 4 digits: cannot overflow */
    *p = end;
    return true;
}

/* Moves past `c` at *p, or says it is not there. */
static bool take_char(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* Moves past the spaces at *p; says whether there was at least one. */
static bool take_spaces(const char **p)
{
    const char *start = *p;
    while (**p == ' ')
        (*p)++;
    return *p != start;
}

/* "12:00:00" into tm's hour, minute and second. */
static bool take_clock(const char **p, struct tm *tm)
{
    return take_number(p, &tm->tm_hour) && take_char(p, ':') && take_number(p, &tm->tm_min) &&
           take_char(p, ':') && take_number(p, &tm->tm_sec);
}

/* "Mar  7 12:00:00 2025 GMT", optionally with fractional seconds. */
static int parse_openssl_form(const char *text, struct tm *tm)
{
    const char *p = text;
    tm->tm_mon = -1;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(p, MONTHS[i], 3) == 0)
            tm->tm_mon = i;
    if (tm->tm_mon < 0)
        return SW_EINVAL;
    p += 3;
    if (!take_spaces(&p) || !take_number(&p, &tm->tm_mday) || !take_spaces(&p) ||
        !take_clock(&p, tm))
        return SW_EINVAL;
    if (take_char(&p, '.'))
        while (isdigit((unsigned char)*p))
            p++;
    int year = 0;
    if (!take_spaces(&p) || !take_number(&p, &year))
        return SW_EINVAL;
    tm->tm_year = year - 1900;
    return 0;
}

/* "2025-03-07 12:00:00 GMT". */
static int parse_iso_form(const char *text, struct tm *tm)
{
    const char *p = text;
    int year = 0, month = 0;
    if (!take_number(&p, &year) || !take_char(&p, '-') || !take_number(&p, &month) ||
        !take_char(&p, '-') || !take_number(&p, &tm->tm_mday) || !take_spaces(&p) ||
        !take_clock(&p, tm))
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
