/* What an outage's incident may quote of a check's error (public_error.h). */
#include "public_error.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define HOST_MAX 256
#define KEYWORD_PREFIX "keyword \""
#define KEYWORD_SUFFIX "\" not found"

/* The host of an absolute URL (no user info, port or IPv6 brackets); "" when there is none. */
static void host_of(const char *url, char *host, size_t size)
{
    host[0] = '\0';
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p)
        return;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            p = q + 1;
    const char *stop;
    if (*p == '[') {
        p++;
        stop = memchr(p, ']', (size_t)(end - p));
        if (!stop)
            stop = end;
    } else {
        stop = p + strcspn(p, ":/?#");
        if (stop > end)
            stop = end;
    }
    size_t n = (size_t)(stop - p);
    if (n >= size)
        n = size - 1;
    memcpy(host, p, n);
    host[n] = '\0';
}

static bool address_char(char c) { return isxdigit((unsigned char)c) || c == ':' || c == '.'; }

/* Length of the dotted IPv4 address at p (four groups of 1 to 3 digits), else 0. */
static size_t ipv4_length(const char *p)
{
    const char *q = p;
    for (int group = 0; group < 4; group++) {
        if (group > 0) {
            if (*q != '.')
                return 0;
            q++;
        }
        size_t digits = 0;
        while (isdigit((unsigned char)q[digits]))
            digits++;
        if (digits == 0 || digits > 3)
            return 0;
        q += digits;
    }
    if (isalnum((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
        return 0;
    return (size_t)(q - p);
}

/* Length of the IPv6 address at p (hex groups of at most 4, at least two colons), else 0. */
static size_t ipv6_length(const char *p)
{
    size_t n = 0, colons = 0, group = 0;
    while (address_char(p[n])) {
        if (p[n] == ':') {
            colons++;
            group = 0;
        } else if (p[n] != '.' && ++group > 4) {
            return 0;
        }
        n++;
    }
    while (n > 0 && p[n - 1] == '.') /* a sentence's full stop */
        n--;
    if (colons < 2 || isalnum((unsigned char)p[n]))
        return 0;
    return n;
}

static bool name_char(char c) { return isalnum((unsigned char)c) || c == '-'; }

/* Whether the host is named at p, as a whole name (not inside a longer label). */
static bool host_at(const char *p, const char *error, const char *host, size_t host_len)
{
    return strncasecmp(p, host, host_len) == 0 && (p == error || !name_char(p[-1])) &&
           !name_char(p[host_len]);
}

/* Appends text to out (used bytes *len of size), as far as it fits. */
static void append(char *out, size_t size, size_t *len, const char *text, size_t n)
{
    if (*len + n >= size)
        n = size - 1 - *len;
    memcpy(out + *len, text, n);
    *len += n;
    out[*len] = '\0';
}

void mon_public_error(const char *error, const char *url, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    if (!error)
        return;
    size_t error_len = strlen(error), prefix = strlen(KEYWORD_PREFIX),
           suffix = strlen(KEYWORD_SUFFIX);
    if (error_len >= prefix + suffix && strncmp(error, KEYWORD_PREFIX, prefix) == 0 &&
        strcmp(error + error_len - suffix, KEYWORD_SUFFIX) == 0) {
        snprintf(out, size, "the expected keyword was not found");
        return;
    }
    char host[HOST_MAX];
    host_of(url, host, sizeof host);
    size_t host_len = strlen(host), len = 0;
    for (const char *p = error; *p && len + 1 < size;) {
        /* An address starts a word: not after a letter, digit, dot or colon. */
        bool starts = p == error ||
                      !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ':');
        size_t n = starts ? ipv4_length(p) : 0;
        if (starts && n == 0)
            n = ipv6_length(p);
        if (host_len > 0 && host_at(p, error, host, host_len)) {
            append(out, size, &len, "the host", 8);
            p += host_len;
        } else if (n > 0) {
            append(out, size, &len, "an address", 10);
            p += n;
        } else {
            append(out, size, &len, p, 1);
            p++;
        }
    }
    /* Cut at a character's start: drop a UTF-8 sequence the size left incomplete. */
    size_t start = len;
    while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && ((unsigned char)out[start - 1] & 0x80)) {
        unsigned char lead = (unsigned char)out[start - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - (start - 1) < need)
            out[start - 1] = '\0';
    }
}
