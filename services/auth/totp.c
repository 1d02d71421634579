#include "totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

static const char BASE32[] = "abcdefghijklmnopqrstuvwxyz234567";

int auth_totp_init(void) { return oath_init() == OATH_OK ? 0 : SW_EINTERNAL; }

int auth_totp_secret_new(char out[AUTH_TOTP_SECRET_TEXT])
{
    unsigned char raw[AUTH_TOTP_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *text = NULL;
    size_t len = 0;
    int rc = oath_base32_encode((const char *)raw, sizeof raw, &text, &len) == OATH_OK &&
                     len < AUTH_TOTP_SECRET_TEXT
                 ? 0
                 : SW_EINTERNAL;
    if (rc == 0)
        snprintf(out, AUTH_TOTP_SECRET_TEXT, "%s", text); /* 160 bits: no padding */
    sodium_memzero(raw, sizeof raw);
    free(text);
    return rc;
}

/* The raw secret of its base32 text (owned by the caller, free()). */
static int decode(const char *secret_b32, char **raw, size_t *len)
{
    return oath_base32_decode(secret_b32, strlen(secret_b32), raw, len) == OATH_OK ? 0 : SW_EINVAL;
}

int auth_totp_code(const char *secret_b32, long long at, unsigned digits, char *out)
{
    char *raw = NULL;
    size_t len = 0;
    int rc = decode(secret_b32, &raw, &len);
    if (rc == 0 && oath_totp_generate(raw, len, (time_t)at, AUTH_TOTP_STEP_S,
                                      OATH_TOTP_DEFAULT_START_TIME, digits, out) != OATH_OK)
        rc = SW_EINVAL;
    free(raw);
    return rc;
}

long long auth_totp_match(const char *secret_b32, const char *code, long long at,
                          long long last_step)
{
    if (strlen(code) != AUTH_TOTP_DIGITS)
        return -1;
    for (const char *p = code; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    char *raw = NULL;
    size_t len = 0;
    if (decode(secret_b32, &raw, &len) != 0)
        return -1;
    int pos = 0;
    uint64_t step = 0;
    int found = oath_totp_validate3(raw, len, (time_t)at, AUTH_TOTP_STEP_S,
                                    OATH_TOTP_DEFAULT_START_TIME, AUTH_TOTP_WINDOW, &pos, &step,
                                    code);
    sodium_memzero(raw, len);
    free(raw);
    if (found < 0 || (long long)step <= last_step)
        return -1;
    return (long long)step;
}

/* Appends s to out percent-encoded (RFC 3986 unreserved characters kept). */
static size_t put_encoded(char *out, size_t size, size_t at, const char *s)
{
    for (; *s && at + 4 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out[at++] = (char)c;
        else
            at += (size_t)snprintf(out + at, size - at, "%%%02X", c);
    }
    out[at] = '\0';
    return at;
}

int auth_otpauth_url(const char *issuer, const char *account, const char *secret_b32, char *out,
                     size_t size)
{
    size_t at = (size_t)snprintf(out, size, "otpauth://totp/");
    at = put_encoded(out, size, at, issuer);
    at = put_encoded(out, size, at, ":");
    at = put_encoded(out, size, at, account);
    char upper[AUTH_TOTP_SECRET_TEXT];
    size_t i = 0;
    for (; secret_b32[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)toupper((unsigned char)secret_b32[i]);
    upper[i] = '\0';
    int n = snprintf(out + at, size - at, "?secret=%s&issuer=", upper);
    if (n < 0 || (size_t)n >= size - at)
        return SW_EINVAL;
    at = put_encoded(out, size, at + (size_t)n, issuer);
    n = snprintf(out + at, size - at, "&algorithm=SHA1&digits=%d&period=%d", AUTH_TOTP_DIGITS,
                 AUTH_TOTP_STEP_S);
    return n < 0 || (size_t)n >= size - at ? SW_EINVAL : 0;
}

void auth_recovery_code_new(char out[AUTH_RECOVERY_TEXT])
{
    for (int i = 0, o = 0; i < 10; i++) {
        if (i == 5)
            out[o++] = '-';
        out[o++] = BASE32[randombytes_uniform(32)];
        out[o] = '\0';
    }
}

int auth_recovery_code_clean(const char *typed, char out[AUTH_RECOVERY_TEXT])
{
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        unsigned char c = (unsigned char)tolower((unsigned char)*p);
        if (c == '-' || c == ' ')
            continue;
        if (!strchr(BASE32, c) || n == 10)
            return SW_EINVAL;
        out[n < 5 ? n : n + 1] = (char)c; /* the group separator goes at 5 */
        n++;
    }
    if (n != 10)
        return SW_EINVAL;
    out[5] = '-';
    out[11] = '\0';
    return 0;
}
