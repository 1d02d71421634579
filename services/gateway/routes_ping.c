/*
 * Heartbeat pings (api.md "More kinds of monitor"): GET or POST
 * /api/ping/{token}/ reports that the job ran, .../fail/ that it failed. No
 * login: the token is the credential, and monitors.Ping finds its tenant
 * through the global token table. Every token is limited in memory first
 * (ping_limit.h), so a hostile pinger costs no RPC and no database work past
 * its limit. A request body, if any, is not read.
 */
#include <string.h>

#include "gateway.h"
#include "http.h"
#include "monitors.pb-c.h"
#include "ping_limit.h"
#include "sw_time.h"

static void ping(struct gw_request *req, bool fail)
{
    int remaining = 0, reset_s = 0;
    bool admitted =
        gw_ping_limit_take(req->gw->ping_limit, req->path_id, sw_now_ms(), &remaining, &reset_s);
    req->rate = (struct gw_rate){true, gw_ping_limit_per_minute(req->gw->ping_limit),
                                 remaining < 0 ? 0 : remaining, reset_s};
    if (!admitted) {
        gw_send_error(req, 429, "rate_limited", "Too many pings for this heartbeat.", NULL);
        return;
    }
    Sw__Monitors__PingRequest msg = SW__MONITORS__PING_REQUEST__INIT;
    msg.token = req->path_id;
    msg.fail = fail;
    struct sw_rpc_result res;
    if (gw_call(req, SW_SVC_MONITORS, "monitors.Ping", &msg.base, NULL, &res) == 0) {
        static const char OK[] = "OK";
        gw_send(req, 200, "text/plain; charset=utf-8", OK, sizeof OK - 1,
                "Cache-Control: no-store\r\n");
        sw_rpc_result_free(&res);
    }
}

void gw_ping(struct gw_request *req) { ping(req, false); }
void gw_ping_fail(struct gw_request *req) { ping(req, true); }
