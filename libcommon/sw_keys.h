/*
 * The key pair that signs JWTs. In development a P-256 (ES256) pair is
 * generated once under <var>/keys/ (both sw-auth and sw-gateway may ask for
 * it; a file lock makes one of them generate it). In production the key files
 * must be given explicitly (SW_JWT_PRIVATE_KEY_FILE, SW_JWT_PUBLIC_KEY_FILE)
 * and nothing is generated.
 */
#ifndef SW_KEYS_H
#define SW_KEYS_H

#include <stddef.h>

#include "sw_config.h"

enum sw_key_kind { SW_KEY_PRIVATE, SW_KEY_PUBLIC };

/*
 * Loads the PEM of the requested key into *pem (caller frees) and its JWT
 * algorithm name ("ES256" or "RS256", decided by the key type) into alg.
 */
int sw_keys_load(const struct sw_config *cfg, enum sw_key_kind kind, char **pem, size_t *pem_len,
                 char alg[8]);

#endif
