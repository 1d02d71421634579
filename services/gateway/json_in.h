/*
 * The gateway's reading of request JSON, apart from the connection: the
 * strict parse of a body into an object, and the typed reading of its
 * members, each problem a field error in an object of field → [messages].
 * Pure functions (no request, no I/O), so the fuzz targets (tests/fuzz)
 * drive exactly what the routes run.
 */
#ifndef GW_JSON_IN_H
#define GW_JSON_IN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper nesting is refused before jansson sees it (its parser recurses). */
#define GW_JSON_MAX_DEPTH 20

/*
 * text[0..len) as a JSON object (duplicate keys refused); NULL when it is
 * not one, is nested deeper than GW_JSON_MAX_DEPTH, or memory ran out.
 */
json_t *gw_json_parse_object(const char *text, size_t len);

/*
 * A JSON integer, clamped to int32 so that range errors read well; false,
 * with a field error for key, when v is not an integer.
 */
bool gw_json_int32(json_t *v, const char *key, int32_t *out, json_t *errors);

/* The same without clamping (int64 fields). */
bool gw_json_integer(json_t *v, const char *key, json_int_t *out, json_t *errors);

/* Member key of obj, or NULL when it is absent or null (both mean "not given"). */
json_t *gw_json_given(json_t *obj, const char *key);

/*
 * Reads an optional string member into *out (borrowed from obj, "" when absent).
 * A member of another type adds a field error to `errors`.
 */
void gw_json_string(json_t *obj, const char *key, const char **out, json_t *errors);

/* Adds message to errors[field]. */
void gw_field_error(json_t *errors, const char *field, const char *message);

/* A string member of the body and where it goes in the request message. */
struct body_field {
    const char *name;
    char **value;         /* NULL when the member is absent or null */
    bool required;        /* absent: "This field is required." */
    bool blank_is_absent; /* "" is sent as absent */
};

#define N_FIELDS(fields) (sizeof(fields) / sizeof((fields)[0]))

/* Each field's member of doc into its place (borrowed from doc); problems into errors. */
void gw_fields_of(json_t *doc, const struct body_field *fields, size_t n, json_t *errors);

#endif
