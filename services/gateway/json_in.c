#include "json_in.h"

/* False when brackets nest deeper than GW_JSON_MAX_DEPTH outside strings. */
static bool depth_ok(const char *text, size_t len)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > GW_JSON_MAX_DEPTH)
                return false;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return true;
}

json_t *gw_json_parse_object(const char *text, size_t len)
{
    if (!depth_ok(text, len))
        return NULL;
    json_error_t err;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (doc && !json_is_object(doc)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

bool gw_json_integer(json_t *v, const char *key, json_int_t *out, json_t *errors)
{
    if (!json_is_integer(v)) {
        gw_field_error(errors, key, "A valid integer is required.");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool gw_json_int32(json_t *v, const char *key, int32_t *out, json_t *errors)
{
    json_int_t n = 0;
    if (!gw_json_integer(v, key, &n, errors))
        return false;
    *out = n > INT32_MAX ? INT32_MAX : n < INT32_MIN ? INT32_MIN : (int32_t)n;
    return true;
}

json_t *gw_json_given(json_t *obj, const char *key)
{
    json_t *value = json_object_get(obj, key);
    return value && !json_is_null(value) ? value : NULL;
}

void gw_json_string(json_t *obj, const char *key, const char **out, json_t *errors)
{
    json_t *value = gw_json_given(obj, key);
    *out = "";
    if (!value)
        return;
    if (!json_is_string(value)) {
        gw_field_error(errors, key, "Not a valid string.");
        return;
    }
    *out = json_string_value(value);
}

void gw_field_error(json_t *errors, const char *field, const char *message)
{
    json_t *list = json_object_get(errors, field);
    if (!list) {
        list = json_array();
        json_object_set_new(errors, field, list);
    }
    json_array_append_new(list, json_string(message));
}

void gw_fields_of(json_t *doc, const struct body_field *fields, size_t n, json_t *errors)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = fields[i].name, *text = NULL;
        json_t *member = json_object_get(doc, name);
        gw_json_string(doc, name, &text, errors);
        bool absent = !member || !json_is_string(member) || (fields[i].blank_is_absent && !*text);
        *fields[i].value = absent ? NULL : (char *)text;
        if (absent && fields[i].required && !json_object_get(errors, name))
            gw_field_error(errors, name, "This field is required.");
    }
}
