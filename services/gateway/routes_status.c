/*
 * The "Status pages, incidents, maintenance" routes. JSON members are
 * type-checked here into proto/status.proto's inputs (absent stays absent,
 * so PATCH changes only what was sent); ranges, endpoints and roles are
 * judged by sw-monitors, subscribers by sw-notify. Objects come back as the
 * contract's JSON and are passed on.
 *
 * The public page (GET /api/public/status/{slug}/, no login) is served from
 * a cache of rendered bodies keyed by slug: a body lives
 * SW_STATUS_PAGE_CACHE_MS (5,000) and any change made through this gateway
 * drops them all, so a crowd during an outage costs sw-monitors one render
 * per slug and TTL (one request refreshes while the others get the body
 * they had). Every answer carries `Cache-Control: public, max-age=30` and a
 * strong ETag (a BLAKE2b hash of the body); If-None-Match that names it is
 * 304. An unknown slug and a page that is not public are the same 404.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway.h"
#include "http.h"
#include "status.pb-c.h"
#include "sw_config.h"
#include "sw_log.h"
#include "sw_status.h"

#define MAX_IDS 100
#define CACHE_SLOTS 1024
#define ETAG_MAX 40
#define CACHE_CONTROL "Cache-Control: public, max-age=30\r\n"

/* ---- request bodies ------------------------------------------------------ */

/* A body read into an input; strings borrowed from doc, ids owned. */
struct body {
    json_t *doc;
    json_t *errors;
    char **ids;
};

static void body_free(struct body *b)
{
    json_decref(b->doc);
    json_decref(b->errors);
    free(b->ids);
}

/* An optional string member (absent: *out untouched). */
static void text(struct body *b, const char *key, char **out)
{
    json_t *v = json_object_get(b->doc, key);
    if (!v)
        return;
    if (!json_is_string(v))
        gw_field_error(b->errors, key,
                       json_is_null(v) ? "This field may not be null." : "Not a valid string.");
    else
        *out = (char *)json_string_value(v);
}

static void flag(struct body *b, const char *key, protobuf_c_boolean *has, protobuf_c_boolean *out)
{
    json_t *v = json_object_get(b->doc, key);
    if (!v)
        return;
    if (!json_is_boolean(v)) {
        gw_field_error(b->errors, key, "Must be a valid boolean.");
        return;
    }
    *has = 1;
    *out = json_is_true(v);
}

/* endpoint_ids: a list of strings; *given when sent. */
static void ids(struct body *b, protobuf_c_boolean *given, size_t *n, char ***out)
{
    json_t *v = json_object_get(b->doc, "endpoint_ids");
    if (!v)
        return;
    if (!json_is_array(v)) {
        gw_field_error(b->errors, "endpoint_ids", "Expected a list of items.");
        return;
    }
    size_t count = json_array_size(v);
    if (count > MAX_IDS) {
        gw_field_error(b->errors, "endpoint_ids", "At most 100 endpoints.");
        return;
    }
    b->ids = calloc(count ? count : 1, sizeof *b->ids);
    if (!b->ids)
        return;
    for (size_t i = 0; i < count; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e)) {
            gw_field_error(b->errors, "endpoint_ids", "Not a valid string.");
            return;
        }
        b->ids[i] = (char *)json_string_value(e);
    }
    *given = 1;
    *n = count;
    *out = b->ids;
}

/* Reads the JSON body; -1 after answering 400/413/415. */
static int body_read(struct gw_request *req, struct body *b)
{
    *b = (struct body){0};
    if (gw_read_json(req, &b->doc) != 0)
        return -1;
    b->errors = json_object();
    return 0;
}

/* -1 after answering 400 when the body had field errors (then it is freed). */
static int body_check(struct gw_request *req, struct body *b)
{
    if (json_object_size(b->errors) == 0)
        return 0;
    gw_send_error(req, 400, "invalid", "Invalid input.", json_incref(b->errors));
    body_free(b);
    return -1;
}

/* ---- answers --------------------------------------------------------------- */

static void answer_created(struct gw_request *req, const struct gw_exchange *x)
{
    gw_status_cache_flush();
    gw_send_object(req, 201, x);
}

static void answer_changed(struct gw_request *req, const struct gw_exchange *x)
{
    gw_status_cache_flush();
    gw_send_object(req, 200, x);
}

static void answer_deleted(struct gw_request *req, const struct gw_exchange *x)
{
    (void)x;
    gw_status_cache_flush();
    gw_send(req, 204, "application/json", "", 0, "Cache-Control: no-store\r\n");
}

/* A page of a listing: {count, next, previous, results} of the items' JSON. */
static void list(struct gw_request *req, enum sw_service_id service, const char *method,
                 const char *id)
{
    Sw__Status__ListRequest msg = SW__STATUS__LIST_REQUEST__INIT;
    msg.id = (char *)id;
    struct sw_rpc_result res;
    if (gw_page_params(req, &msg.page, &msg.page_size) != 0 ||
        gw_call(req, service, method, &msg.base, &sw__status__list_reply__descriptor, &res) != 0)
        return;
    const Sw__Status__ListReply *out = (const Sw__Status__ListReply *)res.body;
    json_t *results = json_array();
    for (size_t i = 0; i < out->n_items; i++)
        json_array_append_new(results, json_loads(out->items[i], 0, NULL));
    gw_send_page(req, req->ri->local_uri, msg.page, msg.page_size, out->count, results);
    sw_rpc_result_free(&res);
}

static void by_id(struct gw_request *req, const char *method, gw_answer_fn *answer)
{
    Sw__Status__IdRequest msg = SW__STATUS__ID_REQUEST__INIT;
    msg.id = req->path_id;
    gw_call_answer(req, SW_SVC_MONITORS, method, &msg.base, &sw__status__object_reply__descriptor,
                   0, answer);
}

/* ---- creating and changing a page, an incident, a window ----------------- */

/* The inputs a body may be read into; a reader fills one and names it in msg. */
struct inputs {
    Sw__Status__PageInput page;
    Sw__Status__IncidentInput incident;
    Sw__Status__MaintenanceInput maintenance;
};

typedef void reader_fn(struct body *b, struct inputs *in, Sw__Status__CreateRequest *msg);

/* POST (create) or PATCH {id} (update): the body through read, then method. */
static void save(struct gw_request *req, reader_fn *read, const char *method, bool update)
{
    struct body b;
    struct inputs in = {SW__STATUS__PAGE_INPUT__INIT, SW__STATUS__INCIDENT_INPUT__INIT,
                        SW__STATUS__MAINTENANCE_INPUT__INIT};
    Sw__Status__CreateRequest create = SW__STATUS__CREATE_REQUEST__INIT;
    if (body_read(req, &b) != 0)
        return;
    read(&b, &in, &create);
    if (body_check(req, &b) != 0)
        return;
    Sw__Status__UpdateRequest change = SW__STATUS__UPDATE_REQUEST__INIT;
    change.id = req->path_id;
    change.page = create.page;
    change.incident = create.incident;
    change.maintenance = create.maintenance;
    gw_call_answer(req, SW_SVC_MONITORS, method, update ? &change.base : &create.base,
                   &sw__status__object_reply__descriptor, 0,
                   update ? answer_changed : answer_created);
    body_free(&b);
}

/* ---- status pages ------------------------------------------------------- */

static void read_page(struct body *b, struct inputs *in, Sw__Status__CreateRequest *msg)
{
    Sw__Status__PageInput *page = &in->page;
    text(b, "slug", &page->slug);
    text(b, "title", &page->title);
    text(b, "description", &page->description);
    flag(b, "public", &page->has_public_, &page->public_);
    ids(b, &page->endpoint_ids_given, &page->n_endpoint_ids, &page->endpoint_ids);
    msg->page = page;
}

void gw_status_pages_list(struct gw_request *req)
{
    list(req, SW_SVC_MONITORS, "monitors.ListStatusPages", NULL);
}

void gw_status_pages_create(struct gw_request *req)
{
    save(req, read_page, "monitors.CreateStatusPage", false);
}

void gw_status_pages_get(struct gw_request *req)
{
    by_id(req, "monitors.GetStatusPage", gw_answer_object);
}

void gw_status_pages_update(struct gw_request *req)
{
    save(req, read_page, "monitors.UpdateStatusPage", true);
}

void gw_status_pages_delete(struct gw_request *req)
{
    by_id(req, "monitors.DeleteStatusPage", answer_deleted);
}

void gw_status_page_subscribers(struct gw_request *req)
{
    list(req, SW_SVC_NOTIFY, "notify.ListSubscribers", req->path_id);
}

/* ---- incidents ------------------------------------------------------------ */

static void read_incident(struct body *b, struct inputs *in, Sw__Status__CreateRequest *msg)
{
    Sw__Status__IncidentInput *incident = &in->incident;
    text(b, "title", &incident->title);
    text(b, "status", &incident->status);
    text(b, "message", &incident->message);
    text(b, "impact", &incident->impact);
    ids(b, &incident->endpoint_ids_given, &incident->n_endpoint_ids, &incident->endpoint_ids);
    msg->incident = incident;
}

void gw_incidents_list(struct gw_request *req)
{
    list(req, SW_SVC_MONITORS, "monitors.ListIncidents", NULL);
}

void gw_incidents_create(struct gw_request *req)
{
    save(req, read_incident, "monitors.CreateIncident", false);
}

void gw_incidents_get(struct gw_request *req)
{
    by_id(req, "monitors.GetIncident", gw_answer_object);
}

void gw_incidents_update(struct gw_request *req)
{
    save(req, read_incident, "monitors.UpdateIncident", true);
}

void gw_incidents_add_update(struct gw_request *req)
{
    struct body b;
    if (body_read(req, &b) != 0)
        return;
    Sw__Status__AddUpdateRequest msg = SW__STATUS__ADD_UPDATE_REQUEST__INIT;
    msg.id = req->path_id;
    msg.status = "";
    msg.message = "";
    text(&b, "status", &msg.status);
    text(&b, "message", &msg.message);
    if (body_check(req, &b) != 0)
        return;
    gw_call_answer(req, SW_SVC_MONITORS, "monitors.AddIncidentUpdate", &msg.base,
                   &sw__status__object_reply__descriptor, 0, answer_changed);
    body_free(&b);
}

/* ---- maintenance windows ------------------------------------------------- */

static void read_maintenance(struct body *b, struct inputs *in, Sw__Status__CreateRequest *msg)
{
    Sw__Status__MaintenanceInput *window = &in->maintenance;
    text(b, "title", &window->title);
    text(b, "starts_at", &window->starts_at);
    text(b, "ends_at", &window->ends_at);
    ids(b, &window->endpoint_ids_given, &window->n_endpoint_ids, &window->endpoint_ids);
    msg->maintenance = window;
}

void gw_maintenances_list(struct gw_request *req)
{
    list(req, SW_SVC_MONITORS, "monitors.ListMaintenances", NULL);
}

void gw_maintenances_create(struct gw_request *req)
{
    save(req, read_maintenance, "monitors.CreateMaintenance", false);
}

void gw_maintenances_get(struct gw_request *req)
{
    by_id(req, "monitors.GetMaintenance", gw_answer_object);
}

void gw_maintenances_update(struct gw_request *req)
{
    save(req, read_maintenance, "monitors.UpdateMaintenance", true);
}

void gw_maintenances_delete(struct gw_request *req)
{
    by_id(req, "monitors.DeleteMaintenance", answer_deleted);
}

/* ---- subscribers (no login) ---------------------------------------------- */

static void answer_accepted(struct gw_request *req, const struct gw_exchange *x)
{
    (void)x;
    static const char body[] = "{\"detail\":\"Check your inbox to confirm the subscription.\"}";
    gw_send_json_text(req, 202, body, sizeof body - 1);
}

void gw_public_subscribe(struct gw_request *req)
{
    struct body b;
    if (body_read(req, &b) != 0)
        return;
    Sw__Status__SubscribeRequest msg = SW__STATUS__SUBSCRIBE_REQUEST__INIT;
    msg.slug = req->path_id;
    msg.email = "";
    text(&b, "email", &msg.email);
    if (body_check(req, &b) != 0)
        return;
    gw_call_answer(req, SW_SVC_NOTIFY, "notify.Subscribe", &msg.base, NULL, 0, answer_accepted);
    body_free(&b);
}

static void token_call(struct gw_request *req, const char *method)
{
    struct body b;
    if (body_read(req, &b) != 0)
        return;
    Sw__Status__TokenRequest msg = SW__STATUS__TOKEN_REQUEST__INIT;
    msg.token = "";
    text(&b, "token", &msg.token);
    if (body_check(req, &b) != 0)
        return;
    gw_call_answer(req, SW_SVC_NOTIFY, method, &msg.base, &sw__status__object_reply__descriptor, 0,
                   gw_answer_object);
    body_free(&b);
}

void gw_public_confirm(struct gw_request *req) { token_call(req, "notify.ConfirmSubscription"); }
void gw_public_unsubscribe(struct gw_request *req) { token_call(req, "notify.Unsubscribe"); }

/* ---- the public page and its cache ---------------------------------------- */

/* A rendered answer, shared by the requests that send it (refs). */
struct rendered {
    atomic_int refs;
    int status; /* 200, or 404 for an unknown or private slug */
    char etag[ETAG_MAX];
    size_t len;
    char data[];
};

struct slot {
    char slug[64];
    struct rendered *body; /* NULL: nothing yet */
    long long fetched_ms;
    unsigned long generation; /* the cache's generation when fetched */
    bool refreshing;          /* a request is fetching a new body */
};

static struct {
    pthread_once_t once;
    pthread_mutex_t lock;
    int ttl_ms;
    unsigned long generation; /* bumped by every change: older bodies are stale */
    struct slot slots[CACHE_SLOTS];
} cache = {.once = PTHREAD_ONCE_INIT, .lock = PTHREAD_MUTEX_INITIALIZER};

static void cache_init(void)
{
    if (sw_env_int("SW_STATUS_PAGE_CACHE_MS", 5000, 0, 600000, &cache.ttl_ms) != 0)
        cache.ttl_ms = 5000;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rendered_release(struct rendered *r)
{
    if (r && atomic_fetch_sub(&r->refs, 1) == 1)
        free(r);
}

void gw_status_cache_flush(void)
{
    pthread_mutex_lock(&cache.lock);
    cache.generation++;
    pthread_mutex_unlock(&cache.lock);
}

static struct rendered *rendered_new(int status, const char *json, size_t len)
{
    struct rendered *r = malloc(sizeof *r + len + 1);
    if (!r)
        return NULL;
    atomic_init(&r->refs, 1);
    r->status = status;
    r->len = len;
    memcpy(r->data, json, len);
    r->data[len] = '\0';
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)json, len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(r->etag, sizeof r->etag, "\"%s\"", hex);
    return r;
}

static size_t slot_of(const char *slug)
{
    unsigned long h = 5381;
    for (const char *p = slug; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h % CACHE_SLOTS;
}

/*
 * Asks sw-monitors for the page. NULL with *unavailable when it did not
 * answer (nothing is cached then); a 404 body for an unknown or private slug.
 */
static struct rendered *fetch(struct gw_request *req, const char *slug, bool *unavailable)
{
    Sw__Status__PublicStatusRequest msg = SW__STATUS__PUBLIC_STATUS_REQUEST__INIT;
    msg.slug = (char *)slug;
    struct sw_rpc_meta meta = {.request_id = req->request_id, .idempotent = true}; /* a read */
    struct sw_rpc_result res;
    int rc = sw_rpc_call(req->gw->rpc[SW_SVC_MONITORS], &meta, "monitors.PublicStatus", &msg.base,
                         &sw__status__object_reply__descriptor, req->gw->cfg.rpc_timeout_ms, &res);
    struct rendered *r = NULL;
    *unavailable = false;
    if (rc == 0) {
        const Sw__Status__ObjectReply *out = (const Sw__Status__ObjectReply *)res.body;
        r = rendered_new(200, out->json, strlen(out->json));
    } else if (rc == -SW_NOT_FOUND) {
        r = rendered_new(404, "", 0);
    } else {
        *unavailable = true;
    }
    sw_rpc_result_free(&res);
    return r;
}

/* The page's answer: from the cache while fresh, else fetched (one request per slot at once). */
static struct rendered *lookup(struct gw_request *req, const char *slug, bool *unavailable)
{
    pthread_once(&cache.once, cache_init);
    struct slot *s = &cache.slots[slot_of(slug)];
    long long now = now_ms();
    *unavailable = false;
    pthread_mutex_lock(&cache.lock);
    bool mine = strcmp(s->slug, slug) == 0 && s->body;
    bool fresh = mine && s->generation == cache.generation && now - s->fetched_ms < cache.ttl_ms;
    if (mine && (fresh || s->refreshing)) {
        struct rendered *r = s->body;
        atomic_fetch_add(&r->refs, 1);
        pthread_mutex_unlock(&cache.lock);
        return r;
    }
    if (!mine) { /* the slot passes to this slug */
        rendered_release(s->body);
        s->body = NULL;
        snprintf(s->slug, sizeof s->slug, "%s", slug);
    }
    s->refreshing = true;
    unsigned long generation = cache.generation;
    pthread_mutex_unlock(&cache.lock);

    struct rendered *r = fetch(req, slug, unavailable);

    pthread_mutex_lock(&cache.lock);
    if (strcmp(s->slug, slug) == 0) {
        s->refreshing = false;
        if (r) {
            rendered_release(s->body);
            atomic_fetch_add(&r->refs, 1); /* the slot's reference */
            s->body = r;
            s->fetched_ms = now;
            s->generation = generation;
        } else if (s->body) { /* sw-monitors did not answer: the last body, as it was */
            r = s->body;
            atomic_fetch_add(&r->refs, 1);
            *unavailable = false;
        }
    }
    pthread_mutex_unlock(&cache.lock);
    return r;
}

/* Whether If-None-Match names etag (weak comparison, as RFC 9110 says for it). */
static bool etag_matches(const char *header, const char *etag)
{
    size_t len = strlen(etag);
    for (const char *p = header; p && *p;) {
        p += strspn(p, " \t,");
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p == '*' || (strncmp(p, etag, len) == 0 &&
                          (p[len] == '\0' || p[len] == ',' || p[len] == ' ' || p[len] == '\t')))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

void gw_public_status(struct gw_request *req)
{
    const char *slug = req->path_id;
    bool unavailable = false;
    struct rendered *r = strlen(slug) < 64 ? lookup(req, slug, &unavailable) : NULL;
    if (!r && unavailable) {
        gw_send_error(req, 503, "service_unavailable",
                      "A service is temporarily unavailable. Please retry.", NULL);
        return;
    }
    if (!r || r->status == 404) {
        gw_send_error(req, 404, "not_found", "Not found.", NULL);
        rendered_release(r);
        return;
    }
    char headers[160];
    snprintf(headers, sizeof headers, CACHE_CONTROL "ETag: %s\r\n", r->etag);
    const char *wanted = gw_header(req, "If-None-Match");
    if (wanted && etag_matches(wanted, r->etag))
        gw_send(req, 304, "application/json", "", 0, headers);
    else
        gw_send(req, 200, "application/json", r->data, r->len, headers);
    rendered_release(r);
}
