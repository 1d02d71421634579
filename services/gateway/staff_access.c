#include "staff_access.h"

#include <strings.h>
#include <time.h>

#include "http.h"
#include "staff.pb-c.h"
#include "token_cache.h"

static void not_authenticated(struct gw_request *req)
{
    gw_send_error(req, 401, "token_not_valid", "Given token not valid for any token type.", NULL);
}

static void permission_denied(struct gw_request *req, const char *detail)
{
    gw_send_error(req, 403, "permission_denied", detail, NULL);
}

/* The token of a "Bearer <token>" header, or NULL. */
static const char *bearer(const char *authorization)
{
    return strncasecmp(authorization, "Bearer ", 7) == 0 ? authorization + 7 : NULL;
}

int gw_staff_authenticate(struct gw_request *req, const char *authorization)
{
    const char *token = bearer(authorization);
    long now = (long)time(NULL);
    if (strncasecmp(authorization, "Api-Key ", 8) == 0) {
        permission_denied(req, "Staff routes take a staff token, not an API key.");
        return -1;
    }
    if (token && sw_jwt_verify(&req->gw->jwt_key, token, "staff", now, &req->claims) == 0) {
        Sw__Staff__CheckRequest msg = SW__STAFF__CHECK_REQUEST__INIT;
        struct sw_rpc_result res;
        if (gw_call(req, SW_SVC_AUTH, "auth.StaffCheck", &msg.base, NULL, &res) != 0)
            return -1;
        sw_rpc_result_free(&res);
        return 0;
    }
    struct sw_claims tenant;
    if (token && gw_token_verify(req->gw->tokens, &req->gw->jwt_key, token, now, &tenant) == 0)
        permission_denied(req, "Staff routes are for the service's staff only.");
    else
        not_authenticated(req);
    return -1;
}

void gw_staff_refuse_token(struct gw_request *req, const char *authorization)
{
    const char *token = bearer(authorization);
    struct sw_claims staff;
    if (token && sw_jwt_verify(&req->gw->jwt_key, token, "staff", (long)time(NULL), &staff) == 0)
        permission_denied(req, "A staff token is only for the staff routes.");
    else
        not_authenticated(req);
}
