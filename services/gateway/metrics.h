/*
 * Prometheus metrics of the gateway: requests by route and status, a latency
 * histogram by route, and RPC errors by service. Counters are atomics, so the
 * hot path takes no lock; the text exposition is rendered on demand.
 * The struct is owned by main() (gw_metrics_new/free).
 */
#ifndef GW_METRICS_H
#define GW_METRICS_H

#include <stddef.h>

#include "sw_config.h"

struct gw_metrics;

struct gw_metrics *gw_metrics_new(size_t n_routes);
void gw_metrics_free(struct gw_metrics *m);

/* route_index == n_routes means "no route" (static files, 404s). */
void gw_metrics_request(struct gw_metrics *m, size_t route_index, int status, double seconds);
void gw_metrics_rpc_error(struct gw_metrics *m, enum sw_service_id service, const char *kind);

/* Renders the exposition text; *out is freed by the caller. */
int gw_metrics_render(struct gw_metrics *m, const char *const *route_labels, char **out,
                      size_t *len);

#endif
