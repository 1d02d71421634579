/*
 * Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
 * steps) through Debian's liboath, and recovery codes. Pure functions apart
 * from the random secret and codes; auth_totp_init() runs once at start-up.
 */
#ifndef AUTH_TOTP_H
#define AUTH_TOTP_H

#include <stddef.h>

#define AUTH_TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define AUTH_TOTP_SECRET_TEXT 33  /* base32 of 20 bytes and the NUL */
#define AUTH_TOTP_DIGITS 6
#define AUTH_TOTP_STEP_S 30
#define AUTH_TOTP_WINDOW 1 /* steps accepted either side of now (clock drift) */
#define AUTH_RECOVERY_CODES 10
#define AUTH_RECOVERY_TEXT 12 /* "xxxxx-xxxxx" and the NUL */

int auth_totp_init(void);

/* A new random secret, base32 without padding. */
int auth_totp_secret_new(char out[AUTH_TOTP_SECRET_TEXT]);

/*
 * The code of the secret at unix time `at` with `digits` digits (6 or 8)
 * into out (digits + 1 bytes); 0 or SW_EINVAL.
 */
int auth_totp_code(const char *secret_b32, long long at, unsigned digits, char *out);

/*
 * The time step (at / 30) whose code `code` is, within AUTH_TOTP_WINDOW
 * steps of `at` and later than last_step; -1 when it is none of them.
 */
long long auth_totp_match(const char *secret_b32, const char *code, long long at,
                          long long last_step);

/* otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30 */
int auth_otpauth_url(const char *issuer, const char *account, const char *secret_b32, char *out,
                     size_t size);

/* A random recovery code, ten base32 characters in two groups. */
void auth_recovery_code_new(char out[AUTH_RECOVERY_TEXT]);

/* A recovery code as typed (any case, with or without '-' and spaces) in its stored form. */
int auth_recovery_code_clean(const char *typed, char out[AUTH_RECOVERY_TEXT]);

#endif
