#include <errno.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sw_file.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_rpc.h"
#include "sw_status.h"

struct rpc_worker {
    struct sw_rpc_server *srv;
    nng_ctx ctx;
    nng_aio *aio;
    PGconn *db;
    pthread_t thread;
    bool started;
};

struct sw_rpc_server {
    struct sw_rpc_server_opts opts;
    char health_method[64];
    nng_socket sock;
    struct rpc_worker *workers;
    int n_workers;
};

static const struct sw_rpc_method *find_method(const struct sw_rpc_server *srv, const char *name)
{
    for (size_t i = 0; i < srv->opts.n_methods; i++)
        if (strcmp(srv->opts.methods[i].name, name) == 0)
            return &srv->opts.methods[i];
    return NULL;
}

/* "<service>.Health": database reachable and every migration applied. */
static void answer_health(struct rpc_worker *w, struct sw_reply *reply)
{
    Sw__HealthReply out = SW__HEALTH_REPLY__INIT;
    out.version = "1";
    if (w->db) {
        int pending = 0;
        out.database_ok = sw_pg_ensure(w->db) == 0 &&
                          sw_pg_exec(w->db, "SELECT 1", 0, NULL) == 0;
        out.migrations_applied =
            out.database_ok && sw_migrate_pending(w->db, w->srv->opts.service,
                                                  w->srv->opts.migrations,
                                                  w->srv->opts.n_migrations, &pending) == 0 &&
            pending == 0;
    } else {
        out.database_ok = true;
        out.migrations_applied = true;
    }
    sw_reply_body(reply, &out.base);
}

static void dispatch(struct rpc_worker *w, const Sw__Envelope *env, struct sw_reply *reply)
{
    if (env->deadline_unix_ms > 0 && sw_now_ms() > env->deadline_unix_ms) {
        sw_reply_error(reply, SW_DEADLINE_EXCEEDED, NULL, "The request expired before it ran.");
        return;
    }
    if (strcmp(env->method, w->srv->health_method) == 0) {
        answer_health(w, reply);
        return;
    }
    const struct sw_rpc_method *m = find_method(w->srv, env->method);
    if (!m) {
        sw_reply_error(reply, SW_UNIMPLEMENTED, NULL, "Unknown method.");
        return;
    }
    if (w->db && sw_pg_ensure(w->db) != 0) {
        sw_reply_error(reply, SW_UNAVAILABLE, "database_unavailable", "The database is unavailable.");
        return;
    }
    struct sw_rpc_ctx ctx = {.env = env, .db = w->db, .service = w->srv->opts.service_ctx};
    int rc = m->fn(&ctx, &env->body, reply);
    if (w->db)
        sw_pg_rollback(w->db); /* a handler that bailed out mid-transaction */
    if (rc < 0 && reply->status == SW_OK)
        sw_reply_error(reply, -rc, NULL, "%s",
                       -rc == SW_UNAVAILABLE ? "A dependency is unavailable."
                                             : "The request could not be completed.");
    if (reply->status == SW_INTERNAL)
        sw_log(SW_LOG_ERROR, env->request_id, env->tenant_id, "%s failed: %s", env->method,
               reply->message);
}

/* Packs the reply into a new message; NULL if out of memory. */
static nng_msg *pack_reply(const struct sw_reply *reply)
{
    Sw__FieldError fe_store[SW_REPLY_MAX_FIELDS];
    Sw__FieldError *fe_ptrs[SW_REPLY_MAX_FIELDS];
    char *messages[SW_REPLY_MAX_FIELDS];
    size_t n_fe = 0, n_msg = 0;
    /* One FieldError per distinct field, its messages in order of addition. */
    for (size_t i = 0; i < reply->n_fields; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(reply->fields[j].field, reply->fields[i].field) == 0;
        if (seen)
            continue;
        Sw__FieldError *fe = &fe_store[n_fe];
        sw__field_error__init(fe);
        fe->field = (char *)reply->fields[i].field;
        fe->messages = &messages[n_msg];
        for (size_t k = i; k < reply->n_fields; k++)
            if (strcmp(reply->fields[k].field, fe->field) == 0)
                messages[n_msg++] = (char *)reply->fields[k].message;
        fe->n_messages = (size_t)(&messages[n_msg] - fe->messages);
        fe_ptrs[n_fe++] = fe;
    }
    Sw__Reply out = SW__REPLY__INIT;
    out.status = reply->status;
    out.message = (char *)reply->message;
    out.code = (char *)(reply->code[0] ? reply->code : sw_status_code(reply->status));
    out.n_errors = n_fe;
    out.errors = fe_ptrs;
    out.body.data = reply->body;
    out.body.len = reply->body_len;

    nng_msg *msg = NULL;
    if (nng_msg_alloc(&msg, sw__reply__get_packed_size(&out)) != 0)
        return NULL;
    sw__reply__pack(&out, nng_msg_body(msg));
    return msg;
}

static void handle_message(struct rpc_worker *w, nng_msg *request)
{
    struct sw_reply reply;
    sw_reply_init(&reply);
    Sw__Envelope *env = sw__envelope__unpack(NULL, nng_msg_len(request), nng_msg_body(request));
    nng_msg_free(request);
    if (!env)
        sw_reply_error(&reply, SW_INVALID_ARGUMENT, NULL, "Malformed request envelope.");
    else
        dispatch(w, env, &reply);

    nng_msg *answer = pack_reply(&reply);
    sw_reply_reset(&reply);
    if (env)
        sw__envelope__free_unpacked(env, NULL);
    if (!answer)
        return;
    nng_aio_set_msg(w->aio, answer);
    nng_ctx_send(w->ctx, w->aio);
    nng_aio_wait(w->aio);
    if (nng_aio_result(w->aio) != 0)
        nng_msg_free(nng_aio_get_msg(w->aio)); /* a failed send leaves the message with us */
}

static void *worker_main(void *arg)
{
    struct rpc_worker *w = arg;
    for (;;) {
        nng_ctx_recv(w->ctx, w->aio);
        nng_aio_wait(w->aio);
        int rv = nng_aio_result(w->aio);
        if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
            break;
        if (rv != 0)
            continue;
        handle_message(w, nng_aio_get_msg(w->aio));
    }
    return NULL;
}

void sw_rpc_server_stop(struct sw_rpc_server *srv)
{
    if (!srv)
        return;
    /* Stop the workers before closing the socket: a closed context fails its
     * operations with NNG_ECLOSED while the socket is still alive (closing the
     * socket first races with workers releasing their contexts in nng 1.5). */
    for (int i = 0; i < srv->n_workers; i++)
        if (srv->workers[i].started)
            nng_ctx_close(srv->workers[i].ctx);
    for (int i = 0; i < srv->n_workers; i++) {
        struct rpc_worker *w = &srv->workers[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        if (w->aio)
            nng_aio_free(w->aio);
        PQfinish(w->db);
    }
    nng_close(srv->sock);
    free(srv->workers);
    free(srv);
}

int sw_rpc_server_start(const struct sw_rpc_server_opts *opts, struct sw_rpc_server **out)
{
    *out = NULL;
    struct sw_rpc_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return SW_EINTERNAL;
    srv->opts = *opts;
    snprintf(srv->health_method, sizeof srv->health_method, "%s.Health", opts->service);
    srv->workers = calloc((size_t)opts->workers, sizeof *srv->workers);
    int rc = srv->workers ? 0 : SW_EINTERNAL;
    int rv = rc ? 0 : nng_rep0_open(&srv->sock);
    if (rv) {
        free(srv->workers);
        free(srv);
        return SW_EINTERNAL;
    }
    for (int i = 0; rc == 0 && i < opts->workers; i++) {
        struct rpc_worker *w = &srv->workers[i];
        w->srv = srv;
        srv->n_workers = i + 1;
        if (nng_ctx_open(&w->ctx, srv->sock) != 0 || nng_aio_alloc(&w->aio, NULL, NULL) != 0)
            rc = SW_EINTERNAL;
        if (rc == 0 && opts->database_url)
            rc = sw_pg_connect(opts->database_url, 10000, &w->db);
    }
    if (rc == 0) {
        sw_ipc_dir_make(opts->url);
        rv = nng_listen(srv->sock, opts->url, NULL, 0);
        if (rv) {
            sw_log_error("cannot listen on %s: %s", opts->url, nng_strerror(rv));
            rc = SW_EUNAVAIL;
        }
    }
    for (int i = 0; rc == 0 && i < srv->n_workers; i++) {
        struct rpc_worker *w = &srv->workers[i];
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
            rc = SW_EINTERNAL;
        else
            w->started = true;
    }
    if (rc) {
        sw_rpc_server_stop(srv);
        return rc;
    }
    *out = srv;
    return 0;
}
