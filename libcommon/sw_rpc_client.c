#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_tls.h"

/*
 * A peer that has answered nothing for this long while calls went out gets a
 * fresh socket and dialler: nng 1.5's dialler can stop re-dialling for good
 * when a restarting peer drops a connection mid-handshake, and a fresh
 * socket also clears any request state the old one kept for a dead peer.
 */
#define RESET_AFTER_SILENCE_MS 2000

/* Wait before sending again a call refused by a draining peer: doubles up to the maximum. */
#define RETRY_FIRST_MS 20
#define RETRY_MAX_MS 200

struct sw_rpc_client {
    _Atomic uint32_t sock_id; /* the nng_socket calls use; swapped on a reset */
    nng_tls_config *tls;
    char *url;
    _Atomic long long last_answer_ms; /* last answer, or the last (re)open */
    _Atomic long long drain_seen_ms;  /* last SW_RPC_SHUTTING_DOWN answer, 0: never */
    pthread_mutex_t reset_lock;
};

long long sw_now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

long long sw_rpc_ms_left(const Sw__Envelope *env)
{
    if (!env->has_deadline_unix_ms)
        return 1LL << 40;
    /* A deadline from a peer may be any int64: long past stays past without overflowing. */
    long long now = sw_now_ms();
    if (env->deadline_unix_ms < now - (1LL << 40))
        return -(1LL << 40);
    return env->deadline_unix_ms - now;
}

struct sw_rpc_meta sw_rpc_meta_of(const Sw__Envelope *env)
{
    struct sw_rpc_meta meta = {
        .request_id = env->request_id,
        .tenant_id = env->tenant_id,
        .tenant_schema = env->tenant_schema,
        .user_id = env->user_id,
        .role = env->role,
        .client_ip = env->client_ip,
        .session_id = env->session_id,
        .actor_type = env->actor_type,
        .actor_email = env->actor_email,
        .user_agent = env->user_agent,
    };
    return meta;
}

/* A REQ socket dialling the client's peer; the peer need not be up yet. */
static int open_socket(const struct sw_rpc_client *client, nng_socket *out)
{
    nng_socket sock;
    nng_dialer dialer;
    int rv = nng_req0_open(&sock);
    if (rv)
        return rv;
    /* Re-dial quickly after a service restarts. */
    nng_socket_set_ms(sock, NNG_OPT_RECONNMINT, 20);
    nng_socket_set_ms(sock, NNG_OPT_RECONNMAXT, 500);
    rv = nng_dialer_create(&dialer, sock, client->url);
    if (rv == 0 && client->tls)
        rv = nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, client->tls);
    /* Non-blocking: nng keeps dialling until the peer listens. */
    if (rv == 0)
        rv = nng_dialer_start(dialer, NNG_FLAG_NONBLOCK);
    if (rv) {
        nng_close(sock);
        return rv;
    }
    *out = sock;
    return 0;
}

static void client_free(struct sw_rpc_client *client)
{
    if (client->tls)
        nng_tls_config_free(client->tls);
    pthread_mutex_destroy(&client->reset_lock);
    free(client->url);
    free(client);
}

int sw_rpc_client_open(const char *url, const struct sw_tls *tls, const char *server_name,
                       struct sw_rpc_client **out)
{
    *out = NULL;
    struct sw_rpc_client *client = calloc(1, sizeof *client);
    if (!client)
        return SW_EINTERNAL;
    pthread_mutex_init(&client->reset_lock, NULL);
    client->url = strdup(url);
    int rv = client->url ? 0 : NNG_ENOMEM;
    if (rv == 0 && sw_tls_url(url) &&
        (!tls || sw_tls_client_config(tls, server_name, &client->tls) != 0))
        rv = NNG_EINVAL;
    nng_socket sock = NNG_SOCKET_INITIALIZER;
    if (rv == 0)
        rv = open_socket(client, &sock);
    if (rv) {
        sw_log_error("cannot dial %s: %s", url, nng_strerror(rv));
        client_free(client);
        return SW_EUNAVAIL;
    }
    atomic_store(&client->sock_id, sock.id);
    atomic_store(&client->last_answer_ms, sw_now_ms());
    *out = client;
    return 0;
}

void sw_rpc_client_close(struct sw_rpc_client *client)
{
    if (!client)
        return;
    nng_close((nng_socket){.id = atomic_load(&client->sock_id)});
    client_free(client);
}

/*
 * After a call that got no answer: if the peer has been silent for
 * RESET_AFTER_SILENCE_MS, one caller swaps in a fresh socket and closes the
 * old one (calls still waiting on it end as unavailable). Closing by id is
 * safe while other threads use the old id: nng refuses a closed socket.
 */
static void reset_if_silent(struct sw_rpc_client *client)
{
    long long now = sw_now_ms();
    if (now - atomic_load(&client->last_answer_ms) < RESET_AFTER_SILENCE_MS ||
        pthread_mutex_trylock(&client->reset_lock) != 0)
        return;
    nng_socket fresh;
    if (now - atomic_load(&client->last_answer_ms) >= RESET_AFTER_SILENCE_MS &&
        open_socket(client, &fresh) == 0) {
        atomic_store(&client->last_answer_ms, now);
        uint32_t old = atomic_exchange(&client->sock_id, fresh.id);
        nng_close((nng_socket){.id = old});
        sw_log(SW_LOG_WARN, NULL, NULL, "%s answered nothing for %d ms; dialling it afresh",
               client->url, RESET_AFTER_SILENCE_MS);
    }
    pthread_mutex_unlock(&client->reset_lock);
}

void sw_rpc_result_free(struct sw_rpc_result *result)
{
    if (result->body)
        protobuf_c_message_free_unpacked(result->body, NULL);
    if (result->reply)
        sw__reply__free_unpacked(result->reply, NULL);
    result->body = NULL;
    result->reply = NULL;
}

/* Builds the request message; NULL if out of memory. */
static nng_msg *pack_request(const struct sw_rpc_meta *meta, const char *method,
                             const ProtobufCMessage *req, long long deadline)
{
    size_t body_len = protobuf_c_message_get_packed_size(req);
    uint8_t *body = malloc(body_len ? body_len : 1);
    if (!body)
        return NULL;
    protobuf_c_message_pack(req, body);

    struct sw_rpc_meta none = {0};
    if (!meta)
        meta = &none;
    Sw__Envelope env = SW__ENVELOPE__INIT;
    env.method = (char *)method;
    env.request_id = (char *)meta->request_id;
    env.tenant_id = (char *)meta->tenant_id;
    env.tenant_schema = (char *)meta->tenant_schema;
    env.user_id = (char *)meta->user_id;
    env.role = (char *)meta->role;
    env.client_ip = (char *)meta->client_ip;
    env.session_id = (char *)meta->session_id;
    env.actor_type = (char *)meta->actor_type;
    env.actor_email = (char *)meta->actor_email;
    env.user_agent = (char *)meta->user_agent;
    env.has_deadline_unix_ms = 1;
    env.deadline_unix_ms = deadline;
    env.body.data = body;
    env.body.len = body_len;

    nng_msg *msg = NULL;
    if (nng_msg_alloc(&msg, sw__envelope__get_packed_size(&env)) == 0)
        sw__envelope__pack(&env, nng_msg_body(msg));
    free(body);
    return msg;
}

/* Sends and receives on a fresh context; 0 and *answer, or the nng error. Frees request. */
static int exchange(struct sw_rpc_client *client, nng_msg *request, long long deadline,
                    nng_msg **answer)
{
    nng_ctx ctx;
    nng_aio *aio = NULL;
    int rv = nng_ctx_open(&ctx, (nng_socket){.id = atomic_load(&client->sock_id)});
    if (rv != 0) {
        nng_msg_free(request);
        return rv;
    }
    /* nng never resends on its own: sw_rpc_call decides what may be sent again. */
    nng_ctx_set_ms(ctx, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
    rv = nng_aio_alloc(&aio, NULL, NULL);
    if (rv != 0) {
        nng_msg_free(request);
        goto out;
    }
    long long left = deadline - sw_now_ms();
    nng_aio_set_timeout(aio, left > 0 ? (nng_duration)left : 1);
    nng_aio_set_msg(aio, request);
    nng_ctx_send(ctx, aio);
    nng_aio_wait(aio);
    rv = nng_aio_result(aio);
    if (rv != 0) {
        nng_msg_free(nng_aio_get_msg(aio));
        goto out;
    }
    left = deadline - sw_now_ms();
    nng_aio_set_timeout(aio, left > 0 ? (nng_duration)left : 1);
    nng_ctx_recv(ctx, aio);
    nng_aio_wait(aio);
    rv = nng_aio_result(aio);
    if (rv == 0)
        *answer = nng_aio_get_msg(aio);
out:
    if (aio)
        nng_aio_free(aio);
    nng_ctx_close(ctx);
    return rv;
}

/* A draining peer's refusal: the request did not run. */
static bool refused_draining(const Sw__Reply *reply)
{
    return reply && reply->status == SW_UNAVAILABLE && reply->code &&
           strcmp(reply->code, SW_RPC_SHUTTING_DOWN) == 0;
}

/* May a call whose connection closed under it be sent again? (sw_rpc.h, "Client") */
static bool may_resend_after_reset(struct sw_rpc_client *client, const struct sw_rpc_meta *meta)
{
    long long seen = atomic_load(&client->drain_seen_ms);
    return (meta && meta->idempotent) || (seen != 0 && sw_now_ms() - seen < SW_RPC_DRAIN_MEMORY_MS);
}

/* Sleeps *wait_ms (or what is left before the deadline) and doubles it; false if no time is left.
 */
static bool back_off(long long deadline, int *wait_ms)
{
    long long left = deadline - sw_now_ms();
    if (left <= 1)
        return false;
    long long ms = *wait_ms < left ? *wait_ms : left - 1;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    *wait_ms = *wait_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : *wait_ms * 2;
    return true;
}

/*
 * One exchange after another until an answer that is not a drain's refusal,
 * a failure that may not be resent, or the deadline; 0 and *reply (NULL if
 * the answer did not decode), or the nng error of the last exchange. Owns
 * request.
 */
static int exchange_retrying(struct sw_rpc_client *client, const struct sw_rpc_meta *meta,
                             const char *method, nng_msg *request, long long deadline,
                             Sw__Reply **reply)
{
    int wait_ms = RETRY_FIRST_MS, rv = 0;
    for (int attempt = 1;; attempt++) {
        nng_msg *copy = NULL, *answer = NULL;
        rv = nng_msg_dup(&copy, request);
        if (rv == 0)
            rv = exchange(client, copy, deadline, &answer);
        if (rv == 0) {
            atomic_store(&client->last_answer_ms, sw_now_ms());
            *reply = sw__reply__unpack(NULL, nng_msg_len(answer), nng_msg_body(answer));
            nng_msg_free(answer);
            if (!refused_draining(*reply))
                break;
            atomic_store(&client->drain_seen_ms, sw_now_ms());
        } else if (rv != NNG_ECONNRESET || !may_resend_after_reset(client, meta)) {
            break;
        }
        if (!back_off(deadline, &wait_ms))
            break; /* the last refusal (or reset) stands */
        if (*reply)
            sw__reply__free_unpacked(*reply, NULL);
        *reply = NULL;
        sw_log_debug("rpc %s: peer %s; sending again (attempt %d)", method,
                     rv == 0 ? "draining" : "connection reset", attempt + 1);
    }
    nng_msg_free(request);
    return rv;
}

int sw_rpc_call(struct sw_rpc_client *client, const struct sw_rpc_meta *meta, const char *method,
                const ProtobufCMessage *req, const ProtobufCMessageDescriptor *reply_desc,
                int timeout_ms, struct sw_rpc_result *result)
{
    result->reply = NULL;
    result->body = NULL;
    long long deadline = sw_now_ms() + timeout_ms;
    nng_msg *request = pack_request(meta, method, req, deadline);
    if (!request)
        return SW_EINTERNAL;
    if (exchange_retrying(client, meta, method, request, deadline, &result->reply) != 0) {
        reset_if_silent(client);
        sw_log(SW_LOG_WARN, meta ? meta->request_id : NULL, meta ? meta->tenant_id : NULL,
               "rpc %s: no answer within %d ms", method, timeout_ms);
        return SW_EUNAVAIL;
    }
    if (!result->reply)
        return SW_EINTERNAL;
    int status = result->reply->status;
    if (status != SW_OK)
        return status > 0 && status <= SW_UNAUTHENTICATED ? -status : SW_EINTERNAL;
    if (reply_desc) {
        result->body = protobuf_c_message_unpack(reply_desc, NULL, result->reply->body.len,
                                                 result->reply->body.data);
        if (!result->body)
            return SW_EINTERNAL;
    }
    return 0;
}
