#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_tls.h"

struct sw_rpc_client {
    nng_socket sock;
    nng_tls_config *tls;
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
    return env->deadline_unix_ms - sw_now_ms();
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
    };
    return meta;
}

static int dial(struct sw_rpc_client *client, const char *url, const struct sw_tls *tls,
                const char *server_name)
{
    nng_dialer dialer;
    int rv = nng_dialer_create(&dialer, client->sock, url);
    if (rv == 0 && sw_tls_url(url)) {
        if (!tls || sw_tls_client_config(tls, server_name, &client->tls) != 0)
            return NNG_EINVAL;
        rv = nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, client->tls);
    }
    /* Non-blocking: the peer may not be up yet; nng keeps dialling. */
    if (rv == 0)
        rv = nng_dialer_start(dialer, NNG_FLAG_NONBLOCK);
    return rv;
}

int sw_rpc_client_open(const char *url, const struct sw_tls *tls, const char *server_name,
                       struct sw_rpc_client **out)
{
    *out = NULL;
    struct sw_rpc_client *client = calloc(1, sizeof *client);
    if (!client)
        return SW_EINTERNAL;
    int rv = nng_req0_open(&client->sock);
    if (rv == 0) {
        /* Re-dial quickly after a service restarts. */
        nng_socket_set_ms(client->sock, NNG_OPT_RECONNMINT, 20);
        nng_socket_set_ms(client->sock, NNG_OPT_RECONNMAXT, 500);
        rv = dial(client, url, tls, server_name);
        if (rv)
            nng_close(client->sock);
    }
    if (rv) {
        sw_log_error("cannot dial %s: %s", url, nng_strerror(rv));
        if (client->tls)
            nng_tls_config_free(client->tls);
        free(client);
        return SW_EUNAVAIL;
    }
    *out = client;
    return 0;
}

void sw_rpc_client_close(struct sw_rpc_client *client)
{
    if (!client)
        return;
    nng_close(client->sock);
    if (client->tls)
        nng_tls_config_free(client->tls);
    free(client);
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

/* Sends and receives on a fresh context; 0 and *answer on success. */
static int exchange(struct sw_rpc_client *client, nng_msg *request, long long deadline,
                    nng_msg **answer)
{
    nng_ctx ctx;
    nng_aio *aio = NULL;
    int rc = SW_EUNAVAIL;
    if (nng_ctx_open(&ctx, client->sock) != 0) {
        nng_msg_free(request);
        return SW_EUNAVAIL;
    }
    /* Requests need not be idempotent: never resend on our own. */
    nng_ctx_set_ms(ctx, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
    if (nng_aio_alloc(&aio, NULL, NULL) != 0) {
        nng_msg_free(request);
        goto out;
    }
    long long left = deadline - sw_now_ms();
    nng_aio_set_timeout(aio, left > 0 ? (nng_duration)left : 1);
    nng_aio_set_msg(aio, request);
    nng_ctx_send(ctx, aio);
    nng_aio_wait(aio);
    if (nng_aio_result(aio) != 0) {
        nng_msg_free(nng_aio_get_msg(aio));
        goto out;
    }
    left = deadline - sw_now_ms();
    nng_aio_set_timeout(aio, left > 0 ? (nng_duration)left : 1);
    nng_ctx_recv(ctx, aio);
    nng_aio_wait(aio);
    if (nng_aio_result(aio) == 0) {
        *answer = nng_aio_get_msg(aio);
        rc = 0;
    }
out:
    if (aio)
        nng_aio_free(aio);
    nng_ctx_close(ctx);
    return rc;
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
    nng_msg *answer = NULL;
    int rc = exchange(client, request, deadline, &answer);
    if (rc) {
        sw_log(SW_LOG_WARN, meta ? meta->request_id : NULL, meta ? meta->tenant_id : NULL,
               "rpc %s: no answer within %d ms", method, timeout_ms);
        return rc;
    }
    result->reply = sw__reply__unpack(NULL, nng_msg_len(answer), nng_msg_body(answer));
    nng_msg_free(answer);
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
