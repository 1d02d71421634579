#include "body.h"

#include "http.h"

int gw_read_fields(struct gw_request *req, json_t **doc, const struct body_field *fields, size_t n)
{
    if (gw_read_json(req, doc) != 0)
        return -1;
    json_t *errors = json_object();
    gw_fields_of(*doc, fields, n, errors);
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
