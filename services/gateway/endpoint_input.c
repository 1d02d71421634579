#include "endpoint_input.h"

#include "json_in.h"

/* What the body says of one member: absent, null, or a value (type-checked by the caller). */
static json_t *member(json_t *doc, const char *key, bool nullable, json_t *errors)
{
    json_t *v = json_object_get(doc, key);
    if (json_is_null(v) && !nullable) {
        gw_field_error(errors, key, "This field may not be null.");
        return NULL;
    }
    return v;
}

static void read_int(json_t *doc, const char *key, protobuf_c_boolean *has, int32_t *value,
                     json_t *errors)
{
    json_t *v = member(doc, key, false, errors);
    if (v && gw_json_int32(v, key, value, errors))
        *has = 1;
}

static void read_text(json_t *doc, const char *key, char **out, json_t *errors)
{
    json_t *v = member(doc, key, false, errors);
    if (v && !json_is_string(v))
        gw_field_error(errors, key, "Not a valid string.");
    else if (v)
        *out = (char *)json_string_value(v);
}

/* A nullable string member into *field (pointing at wrapper) when present. */
static void read_nullable_text(json_t *doc, const char *key, Sw__Monitors__NullableString *wrapper,
                               Sw__Monitors__NullableString **field, json_t *errors)
{
    json_t *v = member(doc, key, true, errors);
    if (!v)
        return;
    if (!json_is_null(v) && !json_is_string(v)) {
        gw_field_error(errors, key, "Not a valid string.");
        return;
    }
    wrapper->value = json_is_null(v) ? NULL : (char *)json_string_value(v);
    *field = wrapper;
}

static void read_nullable_int(json_t *doc, const char *key, Sw__Monitors__NullableInt32 *wrapper,
                              Sw__Monitors__NullableInt32 **field, json_t *errors)
{
    json_t *v = member(doc, key, true, errors);
    if (!v)
        return;
    if (!json_is_null(v) && !gw_json_int32(v, key, &wrapper->value, errors))
        return;
    wrapper->has_value = !json_is_null(v);
    *field = wrapper;
}

/* A boolean member: absent, or true/false (anything else is a field error). */
static void read_bool(json_t *doc, const char *key, protobuf_c_boolean *has,
                      protobuf_c_boolean *out, json_t *errors)
{
    json_t *value = json_object_get(doc, key);
    if (value && !json_is_boolean(value)) {
        gw_field_error(errors, key, "Must be a valid boolean.");
    } else if (value) {
        *has = 1;
        *out = json_is_true(value);
    }
}

/* The regions: null, or an array of strings (their rules are sw-monitors'). */
static void read_regions(struct gw_endpoint_body *body, json_t *doc, json_t *errors)
{
    json_t *v = member(doc, "regions", true, errors);
    if (!v)
        return;
    if (!json_is_null(v) && !json_is_array(v)) {
        gw_field_error(errors, "regions", "Expected a list of region names, or null.");
        return;
    }
    Sw__Monitors__NullableStrings *r = &body->regions;
    r->has_is_null = 1;
    r->is_null = json_is_null(v);
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    if (n > SW_REGIONS_MAX + 1)
        n = SW_REGIONS_MAX + 1;
    for (size_t i = 0; i < n; i++) {
        json_t *name = json_array_get(v, i);
        if (!json_is_string(name)) {
            gw_field_error(errors, "regions", "Each region is a string.");
            return;
        }
        body->region_names[i] = (char *)json_string_value(name);
    }
    r->n_values = n;
    r->values = body->region_names;
    body->input.regions = r;
}

void gw_endpoint_body_read(struct gw_endpoint_body *body, json_t *doc, json_t *errors)
{
    *body = (struct gw_endpoint_body){
        .doc = doc,
        .input = SW__MONITORS__ENDPOINT_INPUT__INIT,
        .name = SW__MONITORS__NULLABLE_STRING__INIT,
        .keyword = SW__MONITORS__NULLABLE_STRING__INIT,
        .expected_value = SW__MONITORS__NULLABLE_STRING__INIT,
        .expected_status = SW__MONITORS__NULLABLE_INT32__INIT,
        .min_failing_regions = SW__MONITORS__NULLABLE_INT32__INIT,
        .regions = SW__MONITORS__NULLABLE_STRINGS__INIT,
    };
    Sw__Monitors__EndpointInput *in = &body->input;
    read_text(doc, "url", &in->url, errors);
    read_nullable_text(doc, "name", &body->name, &in->name, errors);
    read_text(doc, "method", &in->method, errors);
    read_nullable_text(doc, "keyword", &body->keyword, &in->keyword, errors);
    read_int(doc, "interval_seconds", &in->has_interval_seconds, &in->interval_seconds, errors);
    read_int(doc, "timeout_ms", &in->has_timeout_ms, &in->timeout_ms, errors);
    read_nullable_int(doc, "expected_status", &body->expected_status, &in->expected_status, errors);
    read_int(doc, "retry_interval_seconds", &in->has_retry_interval_seconds,
             &in->retry_interval_seconds, errors);
    read_int(doc, "failure_threshold", &in->has_failure_threshold, &in->failure_threshold, errors);
    read_int(doc, "success_threshold", &in->has_success_threshold, &in->success_threshold, errors);
    /* More kinds of monitor (api.md): the kind and its own fields. */
    read_text(doc, "kind", &in->kind, errors);
    read_text(doc, "record_type", &in->record_type, errors);
    read_nullable_text(doc, "expected_value", &body->expected_value, &in->expected_value, errors);
    read_int(doc, "grace_seconds", &in->has_grace_seconds, &in->grace_seconds, errors);
    read_bool(doc, "paused", &in->has_paused, &in->paused, errors);
    read_bool(doc, "follow_redirects", &in->has_follow_redirects, &in->follow_redirects, errors);
    read_regions(body, doc, errors);
    read_nullable_int(doc, "min_failing_regions", &body->min_failing_regions,
                      &in->min_failing_regions, errors);
}
