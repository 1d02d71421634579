#include "tokens.h"

#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

int auth_token_sign(const struct auth_service *svc, const struct auth_identity *who,
                    const char *type, const char *jti, long now, long ttl_s, char **out)
{
    *out = NULL;
    jwt_t *jwt = NULL;
    if (jwt_new(&jwt) != 0)
        return SW_EINTERNAL;
    int err = jwt_set_alg(jwt, jwt_str_alg(svc->public_key.alg),
                          (const unsigned char *)svc->private_pem, (int)svc->private_len);
    err = err || jwt_add_grant(jwt, "iss", SW_JWT_ISSUER);
    err = err || jwt_add_grant(jwt, "typ", type);
    err = err || jwt_add_grant(jwt, "sub", who->user_id);
    err = err || jwt_add_grant(jwt, "tid", who->tenant_id);
    err = err || jwt_add_grant(jwt, "tsc", who->schema);
    err = err || jwt_add_grant(jwt, "role", who->role);
    err = err || jwt_add_grant(jwt, "sid", who->session_id);
    err = err || jwt_add_grant(jwt, "jti", jti);
    if (who->email)
        err = err || jwt_add_grant(jwt, "email", who->email);
    err = err || jwt_add_grant_int(jwt, "iat", now);
    err = err || jwt_add_grant_int(jwt, "exp", now + ttl_s);
    if (!err)
        *out = jwt_encode_str(jwt);
    jwt_free(jwt);
    return *out ? 0 : SW_EINTERNAL;
}
