/*
 * Request bodies of string members: each member named in a table goes to
 * its place in the request message (borrowing from the parsed document), a
 * missing required one is a field error, and any problem is answered 400
 * with every field's error at once.
 */
#ifndef GW_BODY_H
#define GW_BODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gateway.h"
#include "http.h"
#include "json_in.h"

/*
 * Reads the body's string members into the request message; -1 after an
 * error answer. The values borrow from *doc, which the caller frees.
 */
int gw_read_fields(struct gw_request *req, json_t **doc, const struct body_field *fields, size_t n);

/*
 * A handler in one step: the body's fields into msg, the call, and answer()
 * with its OK reply (http.h's gw_call_answer). -1 after answering an error.
 */
int gw_fields_call_answer(struct gw_request *req, const struct body_field *fields, size_t n,
                          enum sw_service_id service, const char *method,
                          const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                          gw_answer_fn *answer);

#endif
