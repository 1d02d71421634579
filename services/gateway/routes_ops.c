/* Operational routes: /health/, /health/ready/ and /metrics/. */
#include <libpq-fe.h>
#include <stdlib.h>

#include "envelope.pb-c.h"
#include "gateway.h"
#include "http.h"
#include "metrics.h"
#include "sw_status.h"

#define READY_TIMEOUT_MS 1000

/* The services the gateway needs to answer every route it has. */
static const enum sw_service_id READY_SERVICES[] = {SW_SVC_AUTH, SW_SVC_TENANTS, SW_SVC_MONITORS,
                                                    SW_SVC_BILLING, SW_SVC_NOTIFY};

void gw_health(struct gw_request *req)
{
    bool db_ok = PQping(req->gw->cfg.database_url) == PQPING_OK;
    json_t *body = json_pack("{s:s, s:s}", "status", db_ok ? "ok" : "degraded", "database",
                             db_ok ? "ok" : "unreachable");
    gw_send_json(req, db_ok ? 200 : 503, body);
}

static const char *check_service(struct gw_request *req, enum sw_service_id id)
{
    char method[64];
    snprintf(method, sizeof method, "%s.Health", sw_service_name(id));
    Sw__HealthRequest msg = SW__HEALTH_REQUEST__INIT;
    /* A read: sent again when its connection resets, as a service restarts. */
    struct sw_rpc_meta meta = {.request_id = req->request_id, .idempotent = true};
    struct sw_rpc_result res;
    const char *verdict = "unavailable";
    if (sw_rpc_call(req->gw->rpc[id], &meta, method, &msg.base, &sw__health_reply__descriptor,
                    READY_TIMEOUT_MS, &res) == 0) {
        const Sw__HealthReply *h = (Sw__HealthReply *)res.body;
        verdict = !h->database_ok          ? "database_unreachable"
                  : !h->migrations_applied ? "migrations_pending"
                                           : "ok";
    }
    sw_rpc_result_free(&res);
    return verdict;
}

void gw_health_ready(struct gw_request *req)
{
    json_t *checks = json_object();
    bool ready = PQping(req->gw->cfg.database_url) == PQPING_OK;
    json_object_set_new(checks, "database", json_string(ready ? "ok" : "unreachable"));
    for (size_t i = 0; i < sizeof READY_SERVICES / sizeof READY_SERVICES[0]; i++) {
        const char *verdict = check_service(req, READY_SERVICES[i]);
        if (verdict[0] != 'o')
            ready = false;
        json_object_set_new(checks, sw_service_name(READY_SERVICES[i]), json_string(verdict));
    }
    gw_send_json(req, ready ? 200 : 503,
                 json_pack("{s:s, s:o}", "status", ready ? "ready" : "not_ready", "checks",
                           checks));
}

void gw_metrics_page(struct gw_request *req)
{
    /* One label per route of the table, however many it has. */
    size_t n = gw_route_count();
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    for (size_t i = 0; labels && i < n; i++)
        labels[i] = gw_route_at(i)->pattern;
    char *text = NULL;
    size_t len = 0;
    int rc = labels ? gw_metrics_render(req->gw->metrics, labels, &text, &len) : -1;
    free(labels);
    if (rc != 0) {
        gw_send_error(req, 500, "internal_error", "Internal error.", NULL);
        return;
    }
    gw_send(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len,
            "Cache-Control: no-store\r\n");
    free(text);
}
