/*
 * Random identifiers from libsodium's CSPRNG: UUID v4 strings and URL-safe
 * random tokens. sodium_init() must have run (sw_random_init at start-up).
 */
#ifndef SW_RANDOM_H
#define SW_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

#define SW_UUID_LEN 37 /* 36 characters and the NUL */

int sw_random_init(void);
void sw_uuid_v4(char out[SW_UUID_LEN]);
/* n_bytes random bytes as unpadded base64url into out (size >= 4*n/3+2). */
/* True when text is a UUID in its 36-character text form (any version, any case). */
bool sw_uuid_valid(const char *text);
int sw_random_token(size_t n_bytes, char *out, size_t out_size);

#endif
