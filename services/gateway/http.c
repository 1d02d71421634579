#include "http.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "metrics.h"
#include "status.pb-c.h"
#include "sw_buf.h"
#include "sw_log.h"
#include "sw_rows.h"
#include "sw_status.h"

#define HEADER_BUF 8192
#define BODY_CHUNK 8192

#define SECURITY_LINES                                                                             \
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "           \
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "               \
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'\r\n"                              \
    "X-Content-Type-Options: nosniff\r\n"                                                          \
    "X-Frame-Options: DENY\r\n"                                                                    \
    "Referrer-Policy: strict-origin-when-cross-origin\r\n"                                         \
    "Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()\r\n"

static const char SECURITY_HEADERS[] = SECURITY_LINES;
static const char SECURITY_AND_HSTS[] = SECURITY_LINES
    "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n";

const char *gw_security_headers(bool https) { return https ? SECURITY_AND_HSTS : SECURITY_HEADERS; }

const char *gw_header(const struct gw_request *req, const char *name)
{
    return mg_get_header(req->conn, name);
}

void gw_send(struct gw_request *req, int status, const char *content_type, const char *body,
             size_t body_len, const char *extra_headers)
{
    char head[HEADER_BUF], rate[160] = "";
    if (req->rate.has)
        snprintf(rate, sizeof rate,
                 "RateLimit-Limit: %d\r\nRateLimit-Remaining: %d\r\nRateLimit-Reset: %d\r\n",
                 req->rate.limit, req->rate.remaining, req->rate.reset_s);
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %zu\r\n"
                     "X-Request-ID: %s\r\n"
                     "%s%s%s",
                     status, mg_get_response_code_text(req->conn, status), content_type, body_len,
                     req->request_id, gw_security_headers(req->https), rate,
                     extra_headers ? extra_headers : "");
    if (n < 0 || (size_t)n >= sizeof head - 3)
        n = (int)sizeof head - 3;
    memcpy(head + n, "\r\n", 3);
    n += 2;
    bool with_body = body_len && strcmp(req->ri->request_method, "HEAD") != 0;
    if (with_body && body_len <= sizeof head - (size_t)n) {
        /* Small answers leave in one segment. */
        memcpy(head + n, body, body_len);
        mg_write(req->conn, head, (size_t)n + body_len);
    } else {
        mg_write(req->conn, head, (size_t)n);
        if (with_body)
            mg_write(req->conn, body, body_len);
    }
    req->status = status;
}

void gw_send_json_text(struct gw_request *req, int status, const char *text, size_t len)
{
    if (!text) {
        static const char fallback[] =
            "{\"detail\":\"Internal error.\",\"code\":\"internal_error\"}";
        gw_send(req, 500, "application/json", fallback, sizeof fallback - 1,
                "Cache-Control: no-store\r\n");
        return;
    }
    gw_send(req, status, "application/json", text, len, "Cache-Control: no-store\r\n");
}

void gw_send_json(struct gw_request *req, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(body);
    gw_send_json_text(req, status, text, text ? strlen(text) : 0);
    free(text);
}

void gw_send_error(struct gw_request *req, int status, const char *code, const char *detail,
                   json_t *errors)
{
    json_t *body = json_pack("{s:s, s:s}", "detail", detail, "code", code);
    if (body && errors && json_object_size(errors) > 0)
        json_object_set(body, "errors", errors);
    json_decref(errors);
    if (status == 429 || status == 503) {
        char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(body);
        const char *payload = text ? text : "{}";
        char headers[96];
        snprintf(headers, sizeof headers, "Retry-After: %d\r\nCache-Control: no-store\r\n",
                 status == 503   ? 1
                 : req->rate.has ? req->rate.reset_s
                                 : 60);
        gw_send(req, status, "application/json", payload, strlen(payload), headers);
        free(text);
        return;
    }
    gw_send_json(req, status, body);
}

json_t *gw_text_or_null(const char *text) { return text ? json_string(text) : json_null(); }

void gw_send_reply_error(struct gw_request *req, const Sw__Reply *reply)
{
    json_t *errors = NULL;
    if (reply->n_errors) {
        errors = json_object();
        for (size_t i = 0; i < reply->n_errors; i++)
            for (size_t j = 0; j < reply->errors[i]->n_messages; j++)
                gw_field_error(errors, reply->errors[i]->field, reply->errors[i]->messages[j]);
    }
    const char *detail = reply->message[0] ? reply->message : "Request failed.";
    const char *code = reply->code[0] ? reply->code : sw_status_code(reply->status);
    /* An upstream provider's refusal (Stripe) is a bad gateway, whatever the RPC status. */
    int status = strcmp(code, "stripe_error") == 0 ? 502 : sw_status_http(reply->status);
    gw_send_error(req, status, code, detail, errors);
}

static bool is_json_content_type(const char *value)
{
    if (!value)
        return false;
    while (*value == ' ')
        value++;
    size_t n = strlen("application/json");
    return strncasecmp(value, "application/json", n) == 0 &&
           (value[n] == '\0' || value[n] == ';' || value[n] == ' ');
}

static int send_too_large(struct gw_request *req)
{
    gw_send_error(req, 413, "request_too_large", "The request body is too large.", NULL);
    return -1;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gw_read_json(struct gw_request *req, json_t **out)
{
    *out = NULL;
    size_t max = req->gw->max_body;
    if (req->ri->content_length > (long long)max)
        return send_too_large(req);
    if (!is_json_content_type(gw_header(req, "Content-Type"))) {
        gw_send_error(req, 415, "unsupported_media_type",
                      "Send the request body as application/json.", NULL);
        return -1;
    }
    char *buf = NULL;
    size_t len = 0;
    if (gw_read_raw(req, max, &buf, &len) != 0)
        return -1;
    json_t *doc = gw_json_parse_object(buf, len);
    free(buf);
    if (!doc) {
        gw_send_error(req, 400, "parse_error", "The request body is not a valid JSON object.",
                      NULL);
        return -1;
    }
    *out = doc;
    return 0;
}

/*
 * The body is read in chunks into a buffer capped at max. With a
 * Content-Length the buffer is sized once to that length (never to max); a
 * body without one (chunked) grows as it arrives until it ends or passes max.
 * Between chunks the body must keep within the request timeout (408 after).
 * One mg_read waits until its chunk is complete, though, with CivetWeb's
 * timeout applying to each pause between bytes, so a client that trickles
 * a chunk is cut only at the next chunk boundary: the real defence against
 * slow clients is the size of the thread pool (see start_http in main.c).
 */
int gw_read_raw(struct gw_request *req, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    long long announced = req->ri->content_length; /* -1 when not given (chunked) */
    if (announced > (long long)max)
        return send_too_large(req);
    struct sw_buf body;
    sw_buf_init(&body, max);
    int rc = announced > 0 ? sw_buf_reserve(&body, (size_t)announced) : 0;
    long long deadline_ms = monotonic_ms() + req->gw->request_timeout_ms;
    bool complete = false, late = false;
    while (rc == 0 && !complete) {
        char chunk[BODY_CHUNK];
        size_t want = sizeof chunk;
        if (announced >= 0 && (size_t)announced - body.len < want)
            want = (size_t)announced - body.len;
        if (want == 0) {
            complete = true;
        } else if (monotonic_ms() > deadline_ms) {
            late = true;
            break;
        } else {
            int n = mg_read(req->conn, chunk, want);
            if (n <= 0) {
                /* The end of a chunked body; with a length, a client that stopped short. */
                complete = n == 0 && announced < 0;
                break;
            }
            rc = sw_buf_append(&body, chunk, (size_t)n);
        }
    }
    if (rc == 0 && complete && !(*out = sw_buf_take(&body, len)))
        rc = SW_ENOMEM;
    sw_buf_free(&body);
    if (rc == SW_EEXHAUSTED)
        return send_too_large(req);
    if (rc) {
        gw_send_error(req, 500, "internal_error", "Internal error.", NULL);
        return -1;
    }
    if (late) {
        gw_send_error(req, 408, "request_timeout", "The request body arrived too slowly.", NULL);
        return -1;
    }
    if (!complete) {
        gw_send_error(req, 400, "incomplete_body", "The request body ended early.", NULL);
        return -1;
    }
    return 0;
}

int gw_query_text(const struct gw_request *req, const char *name, char *out, size_t size)
{
    const char *qs = req->ri->query_string;
    if (!qs)
        return 0;
    int n = mg_get_var(qs, strlen(qs), name, out, size);
    return n == -1 ? 0 : n < 0 ? -1 : 1;
}

int gw_query_int(const struct gw_request *req, const char *name, long *out)
{
    char text[32];
    int given = gw_query_text(req, name, text, sizeof text);
    if (given <= 0)
        return given;
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end || text[0] < '0' || text[0] > '9' || value < 1)
        return -1;
    *out = value;
    return 1;
}

int gw_page_params(struct gw_request *req, int32_t *page, int32_t *page_size)
{
    long number = 1, size = 20;
    if (gw_query_int(req, "page", &number) < 0 || number > INT_MAX / 100) {
        gw_send_error(req, 404, "invalid_page", "Invalid page.", NULL);
        return -1;
    }
    /* Like DRF: a bad page_size falls back to the default, a large one is capped. */
    if (gw_query_int(req, "page_size", &size) < 0)
        size = 20;
    *page = (int32_t)number;
    *page_size = (int32_t)(size > 100 ? 100 : size);
    return 0;
}

/* An absolute link to another page of the list, as Django REST Framework gives. */
void gw_page_link(const struct gw_request *req, const char *path, long page, long page_size,
                  char *out, size_t size)
{
    const char *host = gw_header(req, "Host");
    snprintf(out, size, "%s://%s%s?page=%ld&page_size=%ld", req->https ? "https" : "http",
             host ? host : "127.0.0.1", path, page, page_size);
}

static json_t *page_link(const struct gw_request *req, const char *path, long page, long page_size)
{
    char link[GW_PAGE_LINK_MAX];
    gw_page_link(req, path, page, page_size, link, sizeof link);
    return json_string(link);
}

void gw_send_page(struct gw_request *req, const char *path, long page, long page_size,
                  long long count, json_t *results)
{
    json_t *next = page * page_size < count ? page_link(req, path, page + 1, page_size)
                                            : json_null();
    json_t *previous = page > 1 ? page_link(req, path, page - 1, page_size) : json_null();
    gw_send_json(req, 200,
                 json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)count, "next", next,
                           "previous", previous, "results", results));
}

void gw_send_page_of(struct gw_request *req, const char *path, long page, long page_size,
                     long long count, void *const *items, size_t n, gw_item_json_fn *to_json)
{
    json_t *results = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(results, to_json(items[i]));
    gw_send_page(req, path, page, page_size, count, results);
}

int gw_call(struct gw_request *req, enum sw_service_id service, const char *method,
            const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
            struct sw_rpc_result *res)
{
    return gw_call_within(req, service, method, msg, desc, req->gw->cfg.rpc_timeout_ms, res);
}

/* An identity string of the claims; "" (anonymous) travels as absent. */
static const char *claim(const char *value) { return value && *value ? value : NULL; }

/* Who acts, for the audit log: an API key or staff as their token says, else a user (or nobody). */
static const char *actor_type(const struct gw_request *req)
{
    const char *type = req->claims.type;
    if (strcmp(type, "api_key") == 0 || strcmp(type, "staff") == 0)
        return type;
    return req->claims.user_id[0] ? "user" : NULL;
}

int gw_call_within(struct gw_request *req, enum sw_service_id service, const char *method,
                   const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                   int timeout_ms, struct sw_rpc_result *res)
{
    struct sw_rpc_meta meta = {
        .request_id = req->request_id,
        .tenant_id = claim(req->claims.tenant_id),
        .tenant_schema = claim(req->claims.schema),
        .user_id = claim(req->claims.user_id),
        .role = claim(req->claims.role),
        .client_ip = claim(req->client_ip),
        .session_id = claim(req->claims.session_id),
        .actor_type = actor_type(req),
        .actor_email = claim(req->claims.email),
        .user_agent = claim(gw_header(req, "User-Agent")),
        /* A GET changes nothing (HTTP's safe methods): sent again if its connection resets. */
        .idempotent = strcmp(req->ri->request_method, "GET") == 0 ||
                      strcmp(req->ri->request_method, "HEAD") == 0,
    };
    int rc = sw_rpc_call(req->gw->rpc[service], &meta, method, msg, desc, timeout_ms, res);
    const Sw__RateLimit *rate = res->reply ? res->reply->rate_limit : NULL;
    if (rate)
        req->rate = (struct gw_rate){true, rate->limit, rate->remaining, rate->reset_s};
    if (rc == 0)
        return 0;
    if (!res->reply) {
        gw_metrics_rpc_error(req->gw->metrics, service,
                             rc == SW_EUNAVAIL ? "unavailable" : "bad_reply");
        sw_rpc_result_free(res);
        gw_send_error(req, 503, "service_unavailable",
                      "A service is temporarily unavailable. Please retry.", NULL);
        return -1;
    }
    int status = res->reply->status;
    if (status == SW_UNAVAILABLE || status == SW_INTERNAL || status == SW_DEADLINE_EXCEEDED)
        gw_metrics_rpc_error(req->gw->metrics, service, sw_status_code(status));
    if (status == SW_OK) /* an OK reply whose body did not decode */
        gw_send_error(req, 502, "bad_reply", "A service answered with a malformed reply.", NULL);
    else
        gw_send_reply_error(req, res->reply);
    sw_rpc_result_free(res);
    return -1;
}

int gw_call_answer(struct gw_request *req, enum sw_service_id service, const char *method,
                   const ProtobufCMessage *msg, const ProtobufCMessageDescriptor *desc,
                   int timeout_ms, gw_answer_fn *answer)
{
    struct sw_rpc_result res;
    if (gw_call_within(req, service, method, msg, desc,
                       timeout_ms ? timeout_ms : req->gw->cfg.rpc_timeout_ms, &res) != 0)
        return -1;
    answer(req, &(struct gw_exchange){.request = msg, .reply = res.body});
    sw_rpc_result_free(&res);
    return 0;
}

int gw_call_page(struct gw_request *req, enum sw_service_id service, const char *method,
                 ProtobufCMessage *msg, int32_t *page, int32_t *page_size,
                 const ProtobufCMessageDescriptor *desc, gw_answer_fn *answer)
{
    if (gw_page_params(req, page, page_size) != 0)
        return -1;
    return gw_call_answer(req, service, method, msg, desc, 0, answer);
}

int gw_call_page_of(struct gw_request *req, enum sw_service_id service, const char *method,
                    ProtobufCMessage *msg, int32_t *page, int32_t *page_size,
                    const ProtobufCMessageDescriptor *desc, const char *path,
                    gw_item_json_fn *to_json)
{
    const ProtobufCFieldDescriptor *items_f, *count_f;
    struct sw_rpc_result res;
    if (!sw_rows_listing_fields(desc, &items_f, &count_f) ||
        gw_page_params(req, page, page_size) != 0 ||
        gw_call(req, service, method, msg, desc, &res) != 0)
        return -1;
    const char *reply = (const char *)res.body;
    size_t n = *(const size_t *)(reply + items_f->quantifier_offset);
    void *const *items = *(void *const *const *)(reply + items_f->offset);
    int64_t count = *(const int64_t *)(reply + count_f->offset);
    gw_send_page_of(req, path, *page, *page_size, count, items, n, to_json);
    sw_rpc_result_free(&res);
    return 0;
}

void gw_send_object(struct gw_request *req, int status, const struct gw_exchange *x)
{
    const Sw__Status__ObjectReply *out = x->reply;
    gw_send_json_text(req, status, out->json, strlen(out->json));
}

void gw_answer_object(struct gw_request *req, const struct gw_exchange *x)
{
    gw_send_object(req, 200, x);
}
