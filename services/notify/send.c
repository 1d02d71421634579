/*
 * The sender: on its own thread and connection, claims due deliveries (FOR
 * UPDATE SKIP LOCKED, with a lease a little longer than one attempt, so that
 * several sw-notify replicas share the work and a crashed one's rows come
 * back), sends them all at once with libcurl's multi interface (HTTP and
 * SMTP alike), and records each attempt: sent; retried with back-off on 5xx,
 * 429, timeouts and connection failures until give_up_ms after the first
 * try; failed at once on any other answer. Slack and webhook transfers go
 * through the address guard (sw_guard.h), follow no redirect and use no
 * proxy, so a URL that resolves or redirects to a refused address is never
 * connected to. Without SW_SMTP_URL an e-mail is written to var/mail/.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "message.h"
#include "notify.h"
#include "sw_file.h"
#include "sw_guard.h"
#include "sw_log.h"
#include "sw_metrics.h"
#include "sw_pg.h"
#include "sw_signature.h"
#include "sw_status.h"
#include "sw_ticker.h"

#define IN_FLIGHT 64
#define POLL_MS 250
#define LEASE_MARGIN_MS 5000
#define MAX_BODY (1u << 20)

/* The sender's run: the service and the thread's own connection. */
struct notify_sender {
    struct notify_service *svc;
    PGconn *db;
};

/* Columns of a claimed delivery (see CLAIM_SQL). */
enum {
    C_ID,
    C_TYPE,
    C_ATTEMPTS,
    C_AGE_MS,
    C_KIND,
    C_TARGET,
    C_SECRET,
    C_CHANNEL,
    C_EVENT,
    C_TENANT,
    C_TENANT_NAME,
    C_ENDPOINT_JSON,
    C_CREATED,
    C_ALERT_ID,
    C_SEVERITY,
    C_TITLE,
    C_MESSAGE,
    C_ENDPOINT_ID,
    C_ALERT_CREATED,
    C_ENDPOINT_NAME,
    C_ENDPOINT_URL,
    C_REASON,
    C_MAIL_SUBJECT,
    C_MAIL_BODY,
    N_COLS
};

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

static const char CLAIM_SQL[] =
    "WITH claimed AS (UPDATE notify.deliveries d"
    " SET lease_until = now() + $1::int * interval '1 millisecond'"
    " WHERE d.id IN (SELECT id FROM notify.deliveries WHERE status IN ('pending', 'retrying')"
    " AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())"
    " ORDER BY next_attempt_at LIMIT $2::int FOR UPDATE SKIP LOCKED) RETURNING d.*)"
    " SELECT c.id, c.event_type, c.attempts,"
    " (extract(epoch FROM now() - c.created_at) * 1000)::bigint,"
    " coalesce(ch.kind, CASE WHEN m.delivery_id IS NOT NULL THEN 'email' END),"
    " coalesce(ch.target, m.to_address), ch.secret,"
    " ch.name, c.event_id, c.tenant_id,"
    " coalesce(e.tenant_name, (SELECT tenant_name FROM notify.events x"
    " WHERE x.tenant_id = c.tenant_id ORDER BY created_at DESC LIMIT 1), ''),"
    " e.endpoint_json, " ISO(
        "coalesce(e.created_at, c.created_at)") ","
                                                " a.id, a.severity, a.title, a.message, a.endpoint_id, " ISO(
                                                    "a.created_at") ","
                                                                    " e.payload->>'name', e.payload->>'url', e.payload->>'reason',"
                                                                    " m.subject, m.body"
                                                                    " FROM claimed c LEFT JOIN notify.channels ch ON ch.id = c.channel_id"
                                                                    " LEFT JOIN notify.events e ON e.id = c.event_id"
                                                                    " LEFT JOIN notify.alerts a ON a.event_id = c.event_id"
                                                                    " LEFT JOIN notify.direct_mail m ON m.delivery_id = c.id";

/* One transfer in flight. */
struct outgoing {
    char *cols[N_COLS]; /* the claimed row, copied (NULL for SQL NULL) */
    CURL *easy;
    struct curl_slist *headers;
    struct curl_slist *rcpt;
    struct sw_guard guard;
    struct sw_buf body;
    size_t sent; /* bytes of body read by an SMTP upload */
    char error[CURL_ERROR_SIZE];
    long long started_ms;
    bool done;
    bool http;  /* slack or webhook */
    int result; /* 0 sent, 1 retry, 2 failed */
    char why[256];
    long status;
};

static const char *col(const struct outgoing *o, int c) { return o->cols[c]; }

static long long col_int(const struct outgoing *o, int c)
{
    return o->cols[c] ? strtoll(o->cols[c], NULL, 10) : 0;
}

/* The alerts a digest groups, as views borrowing from *res. */
static int digest_items(PGconn *db, const char *digest_id, PGresult **res,
                        struct notify_alert_view **items, size_t *n)
{
    const char *params[] = {digest_id};
    int rc = sw_pg_query(
        db,
        "SELECT a.id, a.type, a.severity, a.title, a.message, a.endpoint_id, " ISO(
            "a.created_at") " FROM notify.deliveries g"
                            " JOIN notify.alerts a ON a.event_id = g.event_id"
                            " WHERE g.digest_id = $1::uuid ORDER BY g.created_at, g.id LIMIT 1000",
        1, params, res);
    *n = 0;
    *items = NULL;
    if (rc)
        return rc;
    size_t rows = (size_t)PQntuples(*res);
    *items = calloc(rows ? rows : 1, sizeof **items);
    if (!*items)
        return SW_EINTERNAL;
    for (size_t i = 0; i < rows; i++) {
        struct notify_alert_view *v = &(*items)[i];
        v->id = PQgetvalue(*res, (int)i, 0);
        v->type = PQgetvalue(*res, (int)i, 1);
        v->severity = PQgetvalue(*res, (int)i, 2);
        v->title = PQgetvalue(*res, (int)i, 3);
        v->message = PQgetvalue(*res, (int)i, 4);
        v->endpoint_id = PQgetisnull(*res, (int)i, 5) ? NULL : PQgetvalue(*res, (int)i, 5);
        v->created_at = PQgetvalue(*res, (int)i, 6);
    }
    *n = rows;
    return 0;
}

/* Builds the message of o's delivery in its channel's format into o->body. */
static int build_body(struct notify_sender *s, struct outgoing *o)
{
    const char *kind = col(o, C_KIND);
    if (col(o, C_MAIL_SUBJECT)) /* another service's account e-mail */
        return notify_plain_email(col(o, C_ID), s->svc->settings.smtp_from, col(o, C_TARGET),
                                  col(o, C_MAIL_SUBJECT), col(o, C_MAIL_BODY), &o->body);
    struct notify_message m = {
        .delivery_id = col(o, C_ID),
        .event_id = col(o, C_EVENT) ? col(o, C_EVENT) : col(o, C_ID),
        .event_type = col(o, C_TYPE),
        .created_at = col(o, C_CREATED),
        .tenant_id = col(o, C_TENANT),
        .tenant_name = col(o, C_TENANT_NAME),
        .channel_name = col(o, C_CHANNEL),
        .endpoint_json = col(o, C_ENDPOINT_JSON),
        .app_url = s->svc->settings.app_url,
        .alert = {.id = col(o, C_ALERT_ID),
                  .type = col(o, C_TYPE),
                  .severity = col(o, C_SEVERITY),
                  .title = col(o, C_TITLE),
                  .message = col(o, C_MESSAGE),
                  .endpoint_id = col(o, C_ENDPOINT_ID),
                  .created_at = col(o, C_ALERT_CREATED),
                  .endpoint_name = col(o, C_ENDPOINT_NAME),
                  .endpoint_url = col(o, C_ENDPOINT_URL),
                  .error = col(o, C_REASON)},
    };
    char tenant_name[256] = "";
    if (!m.tenant_name || !m.tenant_name[0]) { /* a test or digest of a tenant without events */
        notify_tenant_info(s->svc, m.tenant_id, tenant_name, sizeof tenant_name, NULL, 0);
        m.tenant_name = tenant_name;
    }
    PGresult *items_res = NULL;
    struct notify_alert_view *items = NULL;
    int rc = 0;
    if (strcmp(m.event_type, "digest") == 0)
        rc = digest_items(s->db, m.delivery_id, &items_res, &items, &m.n_items);
    m.items = items;
    if (rc == 0 && strcmp(kind, "email") == 0)
        rc = notify_email(&m, s->svc->settings.smtp_from, col(o, C_TARGET), &o->body);
    else if (rc == 0 && strcmp(kind, "slack") == 0)
        rc = notify_slack(&m, &o->body);
    else if (rc == 0)
        rc = notify_webhook(&m, &o->body);
    free(items);
    PQclear(items_res);
    return rc;
}

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
    (void)data;
    (void)arg;
    return size * n;
}

static size_t read_body(char *buffer, size_t size, size_t n, void *arg)
{
    struct outgoing *o = arg;
    size_t left = o->body.len - o->sent, take = size * n < left ? size * n : left;
    memcpy(buffer, o->body.data + o->sent, take);
    o->sent += take;
    return take;
}

#define SET(opt, value)                                                                            \
    do {                                                                                           \
        if (curl_easy_setopt(o->easy, opt, value) != CURLE_OK)                                     \
            return SW_EINTERNAL;                                                                   \
    } while (0)

/* An HTTP POST of the body to a tenant's URL, guarded, no redirects, no proxy. */
static int prepare_http(struct notify_sender *s, struct outgoing *o)
{
    const char *kind = col(o, C_KIND);
    o->http = true;
    o->headers = curl_slist_append(o->headers, "Content-Type: application/json");
    o->headers = curl_slist_append(o->headers, "User-Agent: StatusWatch-Notify/1.0");
    if (strcmp(kind, "webhook") == 0) {
        char header[SW_SIGNATURE_HEADER_MAX + 40], event[96];
        char sig[SW_SIGNATURE_HEADER_MAX];
        const char *secret = col(o, C_SECRET) ? col(o, C_SECRET) : "";
        if (sw_signature_header(secret, sw_now_ms() / 1000, (const uint8_t *)o->body.data,
                                o->body.len, sig) != 0)
            return SW_EINTERNAL;
        snprintf(header, sizeof header, "StatusWatch-Signature: %s", sig);
        snprintf(event, sizeof event, "StatusWatch-Event-Id: %s",
                 col(o, C_EVENT) ? col(o, C_EVENT) : col(o, C_ID));
        o->headers = curl_slist_append(o->headers, header);
        o->headers = curl_slist_append(o->headers, event);
    }
    sw_guard_init(&o->guard, &s->svc->settings.allow);
    if (sw_guard_attach(&o->guard, o->easy) != 0)
        return SW_EINTERNAL;
    SET(CURLOPT_URL, col(o, C_TARGET));
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, o->body.data);
    SET(CURLOPT_POSTFIELDSIZE, (long)o->body.len);
    SET(CURLOPT_HTTPHEADER, o->headers);
    SET(CURLOPT_WRITEFUNCTION, discard);
    return 0;
}

/* An SMTP submission of the e-mail to SW_SMTP_URL. */
static int prepare_smtp(struct notify_sender *s, struct outgoing *o)
{
    char from[300], rcpt[300];
    const char *f = s->svc->settings.smtp_from, *lt = strchr(f, '<'),
               *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt)
        snprintf(from, sizeof from, "<%.*s>", (int)(gt - lt - 1), lt + 1);
    else
        snprintf(from, sizeof from, "<%s>", f);
    snprintf(rcpt, sizeof rcpt, "<%s>", col(o, C_TARGET));
    o->rcpt = curl_slist_append(NULL, rcpt);
    SET(CURLOPT_URL, s->svc->settings.smtp_url);
    SET(CURLOPT_MAIL_FROM, from);
    SET(CURLOPT_MAIL_RCPT, o->rcpt);
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_READFUNCTION, read_body);
    SET(CURLOPT_READDATA, o);
    SET(CURLOPT_INFILESIZE, (long)o->body.len);
    return 0;
}

/* Writes the e-mail to var/mail/<delivery id>.eml: the development mailbox. */
static void write_eml(struct notify_sender *s, struct outgoing *o)
{
    char path[NOTIFY_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s.eml", s->svc->settings.mail_dir, col(o, C_ID));
    sw_mkdirs(s->svc->settings.mail_dir, 0750);
    bool ok = sw_file_write_atomic(path, o->body.data, o->body.len, 0640) == 0;
    o->result = ok ? 0 : 1;
    o->why[0] = '\0';
    if (!ok) {
        /* Retried with back-off like any failed send: a full disk holds mail, never loses it. */
        snprintf(o->why, sizeof o->why, "could not write the .eml file: %s", strerror(errno));
        sw_log(SW_LOG_WARN, NULL, col(o, C_TENANT), "mail spool %s: %s", s->svc->settings.mail_dir,
               o->why);
    }
    o->done = true;
}

/* Sets o up for sending, or decides it at once (o->done). */
static void prepare(struct notify_sender *s, struct outgoing *o)
{
    sw_buf_init(&o->body, MAX_BODY);
    o->started_ms = sw_now_ms();
    const char *kind = col(o, C_KIND);
    if (!kind) {
        o->done = true;
        o->result = 2;
        snprintf(o->why, sizeof o->why, "the channel was deleted");
        return;
    }
    if (build_body(s, o) != 0) {
        o->done = true;
        o->result = 1;
        snprintf(o->why, sizeof o->why, "could not build the message");
        return;
    }
    bool email = strcmp(kind, "email") == 0;
    if (email && !s->svc->settings.smtp_url[0]) {
        write_eml(s, o);
        return;
    }
    o->easy = curl_easy_init();
    int rc = o->easy ? 0 : SW_EINTERNAL;
    if (rc == 0)
        rc = email ? prepare_smtp(s, o) : prepare_http(s, o);
    if (rc == 0) {
        curl_easy_setopt(o->easy, CURLOPT_ERRORBUFFER, o->error);
        curl_easy_setopt(o->easy, CURLOPT_TIMEOUT_MS, (long)s->svc->settings.timeout_ms);
        curl_easy_setopt(o->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(o->easy, CURLOPT_PRIVATE, o);
    }
    if (rc) {
        o->done = true;
        o->result = 1;
        snprintf(o->why, sizeof o->why, "could not prepare the transfer");
    }
}

/* Sorts a finished transfer into sent, retry or failed, with the reason. */
static void judge(struct outgoing *o, CURLcode code)
{
    curl_easy_getinfo(o->easy, CURLINFO_RESPONSE_CODE, &o->status);
    o->done = true;
    if (code == CURLE_OK && o->http) {
        if (o->status >= 200 && o->status < 300) {
            o->result = 0;
        } else {
            o->result = o->status == 429 || o->status >= 500 ? 1 : 2;
            snprintf(o->why, sizeof o->why, "HTTP %ld%s", o->status,
                     o->status >= 300 && o->status < 400 ? " (redirects are not followed)" : "");
        }
        return;
    }
    if (code == CURLE_OK) {
        o->result = 0;
        return;
    }
    if (o->guard.refusal[0]) {
        o->result = 2;
        snprintf(o->why, sizeof o->why, "%s", o->guard.refusal);
        return;
    }
    /* SMTP: a 5xx answer is permanent, anything else (4xx, network) is retried. */
    o->result = !o->http && o->status >= 500 ? 2 : 1;
    snprintf(o->why, sizeof o->why, "%s", o->error[0] ? o->error : curl_easy_strerror(code));
}

/* Records one attempt and the delivery's new state. */
static void record(struct notify_sender *s, const struct outgoing *o)
{
    const struct notify_settings *set = &s->svc->settings;
    int attempts = (int)col_int(o, C_ATTEMPTS) + 1;
    long long age = col_int(o, C_AGE_MS);
    int result = o->result;
    if (result == 1 && age >= set->give_up_ms)
        result = 2;
    long long backoff = 1000LL << (attempts < 20 ? attempts : 20);
    if (backoff > set->retry_max_ms)
        backoff = set->retry_max_ms;
    char attempt[16], latency[16], status[16], wait[24];
    snprintf(attempt, sizeof attempt, "%d", attempts);
    snprintf(latency, sizeof latency, "%lld", sw_now_ms() - o->started_ms);
    snprintf(status, sizeof status, "%ld", o->status);
    snprintf(wait, sizeof wait, "%lld", backoff);
    const char *state = result == 0 ? "sent" : result == 1 ? "retrying" : "failed";
    const char *kind = col(o, C_KIND);
    sw_metric_add(s->svc->deliveries, (const char *[]){state, kind}, 1);
    sw_metric_observe(s->svc->attempt_seconds, (const char *[]){kind},
                      (double)(sw_now_ms() - o->started_ms) / 1000);
    const char *params[] = {
        col(o, C_ID), attempt, latency, o->status ? status : NULL, o->why[0] ? o->why : NULL,
        state,        wait};
    int rc = sw_pg_exec(s->db,
                        "WITH logged AS (INSERT INTO notify.attempts (delivery_id, attempt,"
                        " latency_ms, http_status, error) VALUES ($1::uuid, $2::int, $3::int,"
                        " $4::int, $5) ON CONFLICT DO NOTHING)"
                        " UPDATE notify.deliveries SET attempts = $2::int, status = $6,"
                        " error = $5, lease_until = NULL,"
                        " sent_at = CASE WHEN $6 = 'sent' THEN now() END,"
                        " next_attempt_at = now() + $7::bigint * interval '1 millisecond'"
                        " WHERE id = $1::uuid",
                        7, params);
    if (rc == 0 && result != 1 && col(o, C_MAIL_SUBJECT)) /* its one-time link is done with */
        rc = sw_pg_exec(s->db, "UPDATE notify.direct_mail SET body = '' WHERE delivery_id = $1", 1,
                        params);
    if (rc)
        sw_log(SW_LOG_WARN, NULL, col(o, C_TENANT), "delivery %s: result not recorded",
               col(o, C_ID));
    else if (result != 0)
        sw_log(SW_LOG_INFO, NULL, col(o, C_TENANT), "delivery %s %s: %s", col(o, C_ID), state,
               o->why);
}

static void release(struct outgoing *o)
{
    if (o->easy)
        curl_easy_cleanup(o->easy);
    curl_slist_free_all(o->headers);
    curl_slist_free_all(o->rcpt);
    sw_buf_free(&o->body);
    for (int c = 0; c < N_COLS; c++)
        free(o->cols[c]);
    free(o);
}

/* The transfers in flight: at most IN_FLIGHT, each slot NULL or one delivery. */
struct flight {
    CURLM *multi;
    struct outgoing *slots[IN_FLIGHT];
    int active;
};

/* Ends a transfer: records it and frees its slot. */
static void land(struct notify_sender *s, struct flight *f, int slot)
{
    struct outgoing *o = f->slots[slot];
    if (o->easy)
        curl_multi_remove_handle(f->multi, o->easy);
    record(s, o);
    release(o);
    f->slots[slot] = NULL;
    f->active--;
}

/* Claims as many due deliveries as there are free slots and starts them; how many. */
static int take_off(struct notify_sender *s, struct flight *f)
{
    int room = IN_FLIGHT - f->active;
    if (room <= 0)
        return 0;
    char lease[16], limit[16];
    snprintf(lease, sizeof lease, "%d", s->svc->settings.timeout_ms + LEASE_MARGIN_MS);
    snprintf(limit, sizeof limit, "%d", room);
    const char *params[] = {lease, limit};
    PGresult *res = NULL;
    if (sw_pg_query(s->db, CLAIM_SQL, 2, params, &res) != 0)
        return 0;
    int n = PQntuples(res);
    for (int i = 0, slot = 0; i < n; i++) {
        while (f->slots[slot])
            slot++;
        struct outgoing *o = calloc(1, sizeof *o);
        if (!o)
            break;
        for (int c = 0; c < N_COLS; c++)
            o->cols[c] = PQgetisnull(res, i, c) ? NULL : strdup(PQgetvalue(res, i, c));
        f->slots[slot] = o;
        f->active++;
        prepare(s, o);
        if (o->done || !o->easy || curl_multi_add_handle(f->multi, o->easy) != CURLM_OK) {
            if (!o->done) {
                o->done = true;
                o->result = 1;
                snprintf(o->why, sizeof o->why, "could not start the transfer");
            }
            land(s, f, slot);
        }
    }
    PQclear(res);
    return n;
}

/*
 * Keeps up to IN_FLIGHT transfers going: a slow receiver holds its own slot
 * and no other delivery. New claims are made when slots free up, at most
 * every POLL_MS while nothing is due. When the service stops, nothing more
 * is claimed and the transfers in flight finish and are recorded (each is
 * bounded by SW_NOTIFY_TIMEOUT_MS), so that no message that went out is sent
 * again; past SW_SHUTDOWN_GRACE_MS the rest are left to their leases.
 */
static long long sender_tick(struct sw_ticker *ticker, void *arg)
{
    struct notify_sender run = {.svc = arg, .db = sw_ticker_db(ticker)}, *s = &run;
    struct flight f = {.multi = curl_multi_init()};
    if (!f.multi)
        return sw_now_ms() + POLL_MS;
    long long next_claim = 0, give_up_at = 0;
    for (;;) {
        if (sw_ticker_stopping(ticker)) {
            if (give_up_at == 0)
                give_up_at =
                    sw_now_ms() + s->svc->cfg.shutdown_grace_ms / 2; /* the drain was first */
            if (f.active == 0 || sw_now_ms() >= give_up_at)
                break;
        } else if (sw_now_ms() >= next_claim && f.active < IN_FLIGHT) {
            next_claim = take_off(s, &f) > 0 ? 0 : sw_now_ms() + POLL_MS;
        }
        if (f.active == 0)
            break;
        int running = 0;
        curl_multi_perform(f.multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(f.multi, &left)))
            if (msg->msg == CURLMSG_DONE)
                for (int i = 0; i < IN_FLIGHT; i++)
                    if (f.slots[i] && f.slots[i]->easy == msg->easy_handle) {
                        judge(f.slots[i], msg->data.result);
                        land(s, &f, i);
                        break;
                    }
        if (f.active > 0)
            curl_multi_poll(f.multi, NULL, 0, 100, NULL);
    }
    for (int i = 0; i < IN_FLIGHT; i++) /* past the grace: the leases bring these back */
        if (f.slots[i]) {
            if (f.slots[i]->easy)
                curl_multi_remove_handle(f.multi, f.slots[i]->easy);
            release(f.slots[i]);
        }
    curl_multi_cleanup(f.multi);
    return sw_now_ms() + POLL_MS;
}

int notify_sender_start(struct notify_service *svc)
{
    return sw_ticker_start_db(svc->cfg.database_url, sw_now_ms(), sender_tick, svc, &svc->sender);
}
