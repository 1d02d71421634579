/*
 * Every HTTP request enters here (CivetWeb's begin_request callback): assign
 * the request id and client address, find the route, apply the rate limit
 * and token check the route asks for, run the handler, record metrics.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.pb-c.h"
#include "forwarded.h"
#include "gateway.h"
#include "http.h"
#include "metrics.h"
#include "revocations.h"
#include "staff_access.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenant_access.h"
#include "token_cache.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A client-sent request id is kept only if it is short and plain. */
static bool sane_request_id(const char *id)
{
    size_t len = id ? strlen(id) : 0;
    if (len == 0 || len > 64)
        return false;
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return false;
    return true;
}

_Static_assert(sizeof(((struct gw_request *)0)->client_ip) >= GW_ADDR_TEXT_MAX,
               "client_ip holds any address");

/* Every X-Forwarded-For header in order (mg_get_header gives only the first). */
static size_t forwarded_for(const struct mg_request_info *ri, const char **values, size_t max)
{
    size_t n = 0;
    for (int i = 0; i < ri->num_headers && n < max; i++)
        if (strcasecmp(ri->http_headers[i].name, "X-Forwarded-For") == 0)
            values[n++] = ri->http_headers[i].value;
    return n;
}

/*
 * "Api-Key <key>": sw-auth checks the key on every request (so a revoked key
 * stops at once on every replica); the call then speaks for the key as a
 * `member` of its tenant, its scope kept for gw_permitted().
 */
static int authenticate_key(struct gw_request *req, const char *key)
{
    Sw__Auth__CheckApiKeyRequest msg = SW__AUTH__CHECK_API_KEY_REQUEST__INIT;
    msg.key = (char *)key;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_AUTH, "auth.CheckApiKey", &msg.base,
                &sw__auth__check_api_key_reply__descriptor, &res) != 0)
        return -1;
    const Sw__Auth__CheckApiKeyReply *out = (Sw__Auth__CheckApiKeyReply *)res.body;
    struct sw_claims *c = &req->claims;
    snprintf(c->user_id, sizeof c->user_id, "%s", out->key_id);
    snprintf(c->tenant_id, sizeof c->tenant_id, "%s", out->tenant_id);
    snprintf(c->schema, sizeof c->schema, "%s", out->tenant_schema);
    snprintf(c->role, sizeof c->role, "member");
    snprintf(c->type, sizeof c->type, "api_key");
    req->api_key = strcmp(out->scope, "write") == 0 ? GW_KEY_WRITE : GW_KEY_READ;
    sw_rpc_result_free(&res);
    return 0;
}

static int authenticate(struct gw_request *req)
{
    const char *header = gw_header(req, "Authorization");
    if (!header || !*header) {
        gw_send_error(req, 401, "not_authenticated",
                      "Authentication credentials were not provided.", NULL);
        return -1;
    }
    if (req->route->access & GW_STAFF)
        return gw_staff_authenticate(req, header);
    if (strncasecmp(header, "Api-Key ", 8) == 0)
        return authenticate_key(req, header + 8);
    long now = (long)time(NULL);
    if (strncasecmp(header, "Bearer ", 7) != 0 ||
        gw_token_verify(req->gw->tokens, &req->gw->jwt_key, header + 7, now, &req->claims) != 0 ||
        gw_revoked(req->gw->revocations, req->claims.user_id, req->claims.issued_at, now)) {
        gw_staff_refuse_token(req, header); /* 403 for a staff token, else 401 */
        return -1;
    }
    return 0;
}

/*
 * The role matrix (api.md "Roles"): a route marked GW_MANAGERS is for owners
 * and admins; an API key never uses a GW_NO_KEYS route, and a read key only
 * GET. false after answering 403 permission_denied.
 */
static bool permitted(struct gw_request *req)
{
    const struct gw_route *r = req->route;
    const char *why = NULL;
    if (req->api_key && (r->access & GW_NO_KEYS))
        why = "API keys may not use this route.";
    else if (req->api_key == GW_KEY_READ && strcmp(r->method, "GET") != 0)
        why = "This API key may only read.";
    else if ((r->access & GW_MANAGERS) && strcmp(req->claims.role, "owner") != 0 &&
             strcmp(req->claims.role, "admin") != 0)
        why = "You do not have permission to perform this action.";
    if (why)
        gw_send_error(req, 403, "permission_denied", why, NULL);
    return !why;
}

static void route_request(struct gw_request *req, const char *path)
{
    bool path_known = false;
    req->route = gw_route_find(req->ri->request_method, path, req->path_id, sizeof req->path_id,
                               &path_known);
    if (!req->route) {
        if (path_known) {
            char allow[128], header[160];
            gw_route_allowed(path, allow, sizeof allow);
            snprintf(header, sizeof header, "Allow: %s\r\n", allow);
            json_t *body = json_pack("{s:s, s:s}", "detail", "Method not allowed.", "code",
                                     "method_not_allowed");
            char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
            json_decref(body);
            gw_send(req, 405, "application/json", text ? text : "{}", text ? strlen(text) : 2,
                    header);
            free(text);
        } else if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) {
            gw_send_error(req, 404, "not_found", "Not found.", NULL);
        } else {
            gw_static_serve(req);
        }
        return;
    }
    /*
     * Whatever the credentials, the tenant they name is then guarded
     * (tenant_access.h); a staff token names none.
     */
    bool tenant = !(req->route->access & GW_STAFF);
    if (req->route->needs_auth &&
        (authenticate(req) != 0 || (tenant && gw_tenant_access(req) != 0)))
        return;
    if (!req->route->needs_auth || permitted(req))
        req->route->fn(req);
}

int gw_dispatch(struct mg_connection *conn)
{
    double started = now_seconds();
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct gw_request req = {.conn = conn, .ri = ri, .gw = ri->user_data};
    atomic_fetch_add(&req.gw->in_flight, 1);
    const char *sent_id = mg_get_header(conn, "X-Request-ID");
    if (sane_request_id(sent_id))
        snprintf(req.request_id, sizeof req.request_id, "%s", sent_id);
    else
        sw_uuid_v4(req.request_id);
    const char *xff[sizeof ri->http_headers / sizeof ri->http_headers[0]];
    size_t n_xff = forwarded_for(ri, xff, sizeof xff / sizeof xff[0]);
    bool via_proxy = false;
    gw_forwarded_client(ri->remote_addr, xff, n_xff, &req.gw->trusted_proxies, req.client_ip,
                        &via_proxy);
    req.https = ri->is_ssl ||
                (via_proxy && gw_forwarded_proto_https(mg_get_header(conn, "X-Forwarded-Proto")));

    route_request(&req, ri->local_uri ? ri->local_uri : "/");

    size_t route_index = req.route ? (size_t)(req.route - gw_route_at(0)) : gw_route_count();
    if (req.status == 0) /* a handler that forgot to answer is a bug: say so */
        gw_send_error(&req, 500, "internal_error", "Internal error.", NULL);
    gw_metrics_request(req.gw->metrics, route_index, req.status, now_seconds() - started);
    atomic_fetch_sub(&req.gw->in_flight, 1);
    return req.status;
}
