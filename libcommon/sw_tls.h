/*
 * Mutual TLS between services, on nng's tls+tcp:// transport (mbedTLS in
 * Debian's libnng). nng 1.5 cannot tell a server the name in its peer's
 * certificate, so the caller's role is proven by which CA signed it:
 *
 *   <dir>/ca-internal.pem  signs every service's certificate (servers, and
 *                          services calling each other)
 *   <dir>/ca-gateway.pem   signs the gateway's certificate
 *   <dir>/ca-checker.pem   signs the checkers' certificates
 *   <dir>/<name>.pem       this process's certificate and private key
 *
 * A public listener trusts only ca-gateway, an internal one only
 * ca-internal, the checker listener only ca-checker. A client verifies the
 * server against ca-internal and the service's name (the certificate's CN
 * and subjectAltName). scripts/tls-dev.sh makes a development set.
 *
 * struct sw_tls is plain data (paths); the nng configs it makes belong to
 * the caller, who frees them with nng_tls_config_free().
 */
#ifndef SW_TLS_H
#define SW_TLS_H

#include <nng/nng.h>
#include <nng/supplemental/tls/tls.h>
#include <stdbool.h>

#include "sw_rpc.h"

struct sw_tls {
    char dir[512];
    char name[32]; /* this process's identity: "gateway", "auth", "checker", … */
};

/* True for a tls+tcp:// address. */
bool sw_tls_url(const char *url);

/* SW_EINVAL (logged) unless the files this process needs exist. */
int sw_tls_check(const struct sw_tls *tls, bool serves);

/* A server config for a listener whose callers have role `caller`. */
int sw_tls_server_config(const struct sw_tls *tls, enum sw_rpc_caller caller, nng_tls_config **out);

/* A client config that proves this process and checks server_name. */
int sw_tls_client_config(const struct sw_tls *tls, const char *server_name, nng_tls_config **out);

#endif
