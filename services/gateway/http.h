/*
 * HTTP helpers of the gateway: reading a bounded, strictly parsed JSON body;
 * sending JSON with the security headers and X-Request-ID; the error shape
 * {"detail", "code", "errors"}; and calling a service, turning its reply
 * status into the HTTP status through libcommon's single mapping table.
 *
 * Functions that "send" write the whole response; afterwards the handler
 * must only return.
 */
#ifndef GW_HTTP_H
#define GW_HTTP_H

#include <jansson.h>

#include "envelope.pb-c.h"
#include "gateway.h"
#include "json_in.h"

/* Writes status, headers (security, request id, extra_headers) and body. */
void gw_send(struct gw_request *req, int status, const char *content_type, const char *body,
             size_t body_len, const char *extra_headers);

/* Sends a JSON value and releases it. */
void gw_send_json(struct gw_request *req, int status, json_t *body);

/* Sends JSON text written by the caller; NULL text (it could not be built) is a 500. */
void gw_send_json_text(struct gw_request *req, int status, const char *text, size_t len);

/* Sends the error shape; `errors` (may be NULL) is an object of field → [messages], stolen. */
void gw_send_error(struct gw_request *req, int status, const char *code, const char *detail,
                   json_t *errors);

/* Sends a service's non-OK reply in the error shape. */
void gw_send_reply_error(struct gw_request *req, const Sw__Reply *reply);

/*
 * Reads and parses the body (at most SW_HTTP_MAX_BODY bytes) as a JSON object.
 * Returns 0 and *out (owned by the caller) or -1 after sending 413, 415, 408
 * or 400.
 */
int gw_read_json(struct gw_request *req, json_t **out);

/*
 * Reads the body as it is, up to max bytes, into *out (owned by the caller,
 * NUL-terminated) and *len. Memory follows the body: its Content-Length, or
 * what a chunked body has sent so far, never max itself. Returns -1 after
 * sending 413 (over max), 408 (too slow) or 400 (ended early).
 */
int gw_read_raw(struct gw_request *req, size_t max, char **out, size_t *len);

/* A query parameter's text (decoded) into out: 1 when given, 0 when absent, -1 when too long. */
int gw_query_text(const struct gw_request *req, const char *name, char *out, size_t size);

/* A query parameter as a positive integer: 1 when valid, 0 when absent, -1 when malformed. */
int gw_query_int(const struct gw_request *req, const char *name, long *out);

/*
 * ?page= and ?page_size= as DRF reads them, into a list request's fields;
 * -1 after sending 404 invalid_page.
 */
int gw_page_params(struct gw_request *req, int32_t *page, int32_t *page_size);

#define GW_PAGE_LINK_MAX 512

/* The absolute link to page `page` of the list at path, as Django REST Framework gives. */
void gw_page_link(const struct gw_request *req, const char *path, long page, long page_size,
                  char *out, size_t size);

/* Sends {count, next, previous, results} with absolute links to path's other pages. */
void gw_send_page(struct gw_request *req, const char *path, long page, long page_size,
                  long long count, json_t *results);

/* One item of a page as JSON (the item is the reply's message). */
typedef json_t *gw_item_json_fn(const void *item);

/* gw_send_page with results built from the reply's repeated field (items, n). */
void gw_send_page_of(struct gw_request *req, const char *path, long page, long page_size,
                     long long count, void *const *items, size_t n, gw_item_json_fn *to_json);

/*
 * A listing in one step: ?page= and ?page_size= into the request, the call,
 * and the page of the reply's `count` and repeated message field (its first),
 * each item written by to_json. -1 after answering an error.
 */
int gw_call_page_of(struct gw_request *req, enum sw_service_id service, const char *method,
                    ProtobufCMessage *msg, int32_t *page, int32_t *page_size,
                    const ProtobufCMessageDescriptor *desc, const char *path,
                    gw_item_json_fn *to_json);

/*
 * Calls a service with the caller's identity. Returns 0 with an OK reply (and
 * the unpacked body when desc is given) or -1 after sending the error
 * response (503 when the service did not answer in time).
 */
int gw_call(struct gw_request *req, enum sw_service_id service, const char *method,
            const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
            struct sw_rpc_result *res);

/*
 * gw_call with its own deadline, for calls that wait on a third party (Stripe)
 * longer than SW_RPC_TIMEOUT_MS allows. The service sees the deadline in the
 * envelope and fits its work into it.
 */
int gw_call_within(struct gw_request *req, enum sw_service_id service, const char *method,
                   const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                   int timeout_ms, struct sw_rpc_result *res);

/* What a handler answers from: the request it sent and the OK reply's unpacked body. */
struct gw_exchange {
    const void *request;
    const void *reply;
};

typedef void gw_answer_fn(struct gw_request *req, const struct gw_exchange *x);

/* Sends a status.ObjectReply's JSON (x->reply) as the body, with status. */
void gw_send_object(struct gw_request *req, int status, const struct gw_exchange *x);

/* A gw_answer_fn: 200 with the ObjectReply's JSON. */
void gw_answer_object(struct gw_request *req, const struct gw_exchange *x);

/*
 * A handler's call and answer: gw_call_within (timeout_ms 0: gw_call's
 * deadline) and, with an OK reply, answer(req, {msg, reply body}); the result
 * is freed afterwards. Returns 0, or -1 after sending the error response.
 */
int gw_call_answer(struct gw_request *req, enum sw_service_id service, const char *method,
                   const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                   int timeout_ms, gw_answer_fn *answer);

/*
 * A page of a listing: gw_page_params into the request's page fields
 * (page, page_size of msg), then gw_call_answer with gw_call's deadline.
 */
int gw_call_page(struct gw_request *req, enum sw_service_id service, const char *method,
                 ProtobufCMessage *msg, int32_t *page, int32_t *page_size,
                 const ProtobufCMessageDescriptor *desc, gw_answer_fn *answer);

/* An optional string of a service's reply as JSON: absent (NULL) becomes null. */
json_t *gw_text_or_null(const char *text);

/* The security header lines every response carries (HSTS included when https). */
const char *gw_security_headers(bool https);

/* The value of a request header, or NULL. */
const char *gw_header(const struct gw_request *req, const char *name);

#endif
