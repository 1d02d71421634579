/* The REST contract's endpoint object (see sw_endpoint_json.c). */
#ifndef SW_ENDPOINT_JSON_H
#define SW_ENDPOINT_JSON_H

#include "monitors.pb-c.h"

struct sw_jw;

/*
 * Writes endpoint e; a heartbeat's ping_url is app_url (FRONTEND_URL, where
 * the API is served) + "/api/ping/<token>/".
 */
void sw_endpoint_json(struct sw_jw *j, const Sw__Monitors__Endpoint *e, const char *app_url);

#endif
