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

#include "forwarded.h"
#include "gateway.h"
#include "http.h"
#include "metrics.h"
#include "sw_random.h"
#include "sw_status.h"
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

static int authenticate(struct gw_request *req)
{
    const char *header = gw_header(req, "Authorization");
    if (!header || !*header) {
        gw_send_error(req, 401, "not_authenticated",
                      "Authentication credentials were not provided.", NULL);
        return -1;
    }
    if (strncasecmp(header, "Bearer ", 7) != 0 ||
        gw_token_verify(req->gw->tokens, &req->gw->jwt_key, header + 7, (long)time(NULL),
                        &req->claims) != 0) {
        gw_send_error(req, 401, "token_not_valid", "Given token not valid for any token type.",
                      NULL);
        return -1;
    }
    return 0;
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
    if (req->route->needs_auth && authenticate(req) != 0)
        return;
    req->route->fn(req);
}

int gw_dispatch(struct mg_connection *conn)
{
    double started = now_seconds();
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct gw_request req = {.conn = conn, .ri = ri, .gw = ri->user_data};
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
    return req.status;
}
