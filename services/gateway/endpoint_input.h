/*
 * An endpoint's request body as an EndpointInput (POST, PUT and PATCH of
 * /api/endpoints/): members type-checked with their presence kept (absent,
 * null and a value are three things, so PATCH knows what was sent).
 */
#ifndef GW_ENDPOINT_INPUT_H
#define GW_ENDPOINT_INPUT_H

#include <jansson.h>

#include "monitors.pb-c.h"
#include "sw_region.h"

/* The input and the wrappers it points at; strings borrowed from doc. */
struct gw_endpoint_body {
    json_t *doc;
    Sw__Monitors__EndpointInput input;
    Sw__Monitors__NullableString name, keyword, expected_value;
    Sw__Monitors__NullableInt32 expected_status, min_failing_regions;
    Sw__Monitors__NullableStrings regions;
    /* regions.values, borrowed from doc: one more than an endpoint may name, so that
     * sw-monitors sees and refuses a longer list. */
    char *region_names[SW_REGIONS_MAX + 1];
};

/* Reads doc (kept in body->doc, still the caller's) into body; problems into errors. */
void gw_endpoint_body_read(struct gw_endpoint_body *body, json_t *doc, json_t *errors);

#endif
