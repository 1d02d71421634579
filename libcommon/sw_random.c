#include "sw_random.h"

#include <string.h>

#include <sodium.h>
#include <stdio.h>

#include "sw_status.h"

int sw_random_init(void) { return sodium_init() < 0 ? SW_EINTERNAL : 0; }

void sw_uuid_v4(char out[SW_UUID_LEN])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, SW_UUID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

int sw_random_token(size_t n_bytes, char *out, size_t out_size)
{
    unsigned char buf[128];
    if (n_bytes > sizeof buf ||
        out_size < sodium_base64_ENCODED_LEN(n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return SW_EINVAL;
    randombytes_buf(buf, n_bytes);
    sodium_bin2base64(out, out_size, buf, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

bool sw_uuid_valid(const char *text)
{
    if (!text || strlen(text) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = text[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex)
            return false;
    }
    return true;
}
