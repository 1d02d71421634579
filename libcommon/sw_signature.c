#include "sw_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

bool sw_signature_mac(const char *secret, const char *t, size_t t_len, const uint8_t *payload,
                      size_t len, uint8_t out[SW_SIGNATURE_LEN])
{
    size_t msg_len = t_len + 1 + len;
    uint8_t *msg = malloc(msg_len);
    if (!msg)
        return false;
    memcpy(msg, t, t_len);
    msg[t_len] = '.';
    if (len)
        memcpy(msg + t_len + 1, payload, len);
    unsigned int out_len = 0;
    bool ok = HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, msg_len, out, &out_len) &&
              out_len == SW_SIGNATURE_LEN;
    free(msg);
    return ok;
}

int sw_signature_header(const char *secret, long long now_s, const uint8_t *payload, size_t len,
                        char out[SW_SIGNATURE_HEADER_MAX])
{
    char t[24];
    int t_len = snprintf(t, sizeof t, "%lld", now_s);
    uint8_t mac[SW_SIGNATURE_LEN];
    if (!sw_signature_mac(secret, t, (size_t)t_len, payload, len, mac))
        return SW_EINTERNAL;
    int n = snprintf(out, SW_SIGNATURE_HEADER_MAX, "t=%s,v1=", t);
    for (size_t i = 0; i < SW_SIGNATURE_LEN; i++)
        n += snprintf(out + n, SW_SIGNATURE_HEADER_MAX - (size_t)n, "%02x", mac[i]);
    return 0;
}
