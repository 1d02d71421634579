#include "body.h"

#include "http.h"

int gw_read_fields(struct gw_request *req, json_t **doc, const struct body_field *fields, size_t n)
{
    if (gw_read_json(req, doc) != 0)
        return -1;
    json_t *errors = json_object();
    for (size_t i = 0; i < n; i++) {
        const char *name = fields[i].name, *text = NULL;
        json_t *member = json_object_get(*doc, name);
        gw_json_string(*doc, name, &text, errors);
        bool absent = !member || !json_is_string(member) || (fields[i].blank_is_absent && !*text);
        *fields[i].value = absent ? NULL : (char *)text;
        if (absent && fields[i].required && !json_object_get(errors, name))
            gw_field_error(errors, name, "This field is required.");
    }
    if (json_object_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    gw_send_error(req, 400, "invalid", "Invalid input.", errors);
    return -1;
}

int gw_fields_call_answer(struct gw_request *req, const struct body_field *fields, size_t n,
                          enum sw_service_id service, const char *method,
                          const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                          gw_answer_fn *answer)
{
    json_t *doc = NULL;
    int rc = gw_read_fields(req, &doc, fields, n);
    if (rc == 0)
        rc = gw_call_answer(req, service, method, msg, desc, 0, answer);
    json_decref(doc);
    return rc;
}
