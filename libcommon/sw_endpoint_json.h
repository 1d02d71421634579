/* The REST contract's endpoint object (see sw_endpoint_json.c). */
#ifndef SW_ENDPOINT_JSON_H
#define SW_ENDPOINT_JSON_H

#include "monitors.pb-c.h"

struct sw_jw;

void sw_endpoint_json(struct sw_jw *j, const Sw__Monitors__Endpoint *e);

#endif
