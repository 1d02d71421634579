#include "sw_pubsub.h"

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sw_file.h"
#include "sw_log.h"
#include "sw_status.h"

struct sw_pub {
    nng_socket sock;
};

int sw_pub_open(const char *url, struct sw_pub **out)
{
    *out = NULL;
    struct sw_pub *pub = calloc(1, sizeof *pub);
    if (!pub)
        return SW_EINTERNAL;
    sw_ipc_dir_make(url);
    int rv = nng_pub0_open(&pub->sock);
    if (rv == 0) {
        rv = nng_listen(pub->sock, url, NULL, 0);
        if (rv)
            nng_close(pub->sock);
    }
    if (rv) {
        sw_log_error("cannot publish on %s: %s", url, nng_strerror(rv));
        free(pub);
        return SW_EUNAVAIL;
    }
    *out = pub;
    return 0;
}

int sw_pub_send(struct sw_pub *pub, const char *topic, const char *payload)
{
    size_t topic_len = strlen(topic) + 1, payload_len = strlen(payload);
    nng_msg *msg = NULL;
    if (nng_msg_alloc(&msg, topic_len + payload_len) != 0)
        return SW_EINTERNAL;
    memcpy(nng_msg_body(msg), topic, topic_len);
    memcpy((char *)nng_msg_body(msg) + topic_len, payload, payload_len);
    int rv = nng_sendmsg(pub->sock, msg, NNG_FLAG_NONBLOCK);
    if (rv)
        nng_msg_free(msg); /* a failed send leaves the message with us */
    return rv ? SW_EUNAVAIL : 0;
}

void sw_pub_close(struct sw_pub *pub)
{
    if (!pub)
        return;
    nng_close(pub->sock);
    free(pub);
}

struct sw_sub {
    nng_socket sock;
    pthread_t thread;
    sw_sub_fn fn;
    void *arg;
};

static void *sub_loop(void *p)
{
    struct sw_sub *sub = p;
    for (;;) {
        nng_msg *msg = NULL;
        int rv = nng_recvmsg(sub->sock, &msg, 0);
        if (rv == NNG_ECLOSED)
            break;
        if (rv)
            continue;
        size_t len = nng_msg_len(msg);
        /* Copy so that topic and payload are both NUL-terminated. */
        char *text = malloc(len + 1);
        if (text) {
            memcpy(text, nng_msg_body(msg), len);
            text[len] = '\0';
            size_t topic_len = strnlen(text, len);
            const char *payload = topic_len < len ? text + topic_len + 1 : "";
            sub->fn(sub->arg, text, payload);
            free(text);
        }
        nng_msg_free(msg);
    }
    return NULL;
}

int sw_sub_open(const char *url, const char *const *topics, size_t n_topics, sw_sub_fn fn,
                void *arg, struct sw_sub **out)
{
    *out = NULL;
    struct sw_sub *sub = calloc(1, sizeof *sub);
    if (!sub)
        return SW_EINTERNAL;
    sub->fn = fn;
    sub->arg = arg;
    int rv = nng_sub0_open(&sub->sock);
    if (rv) {
        free(sub);
        return SW_EUNAVAIL;
    }
    for (size_t i = 0; rv == 0 && i < n_topics; i++)
        rv = nng_socket_set(sub->sock, NNG_OPT_SUB_SUBSCRIBE, topics[i], strlen(topics[i]) + 1);
    if (rv == 0) {
        nng_socket_set_ms(sub->sock, NNG_OPT_RECONNMINT, 50);
        nng_socket_set_ms(sub->sock, NNG_OPT_RECONNMAXT, 1000);
        rv = nng_dial(sub->sock, url, NULL, NNG_FLAG_NONBLOCK);
    }
    if (rv == 0 && pthread_create(&sub->thread, NULL, sub_loop, sub) != 0)
        rv = NNG_ENOMEM;
    if (rv) {
        sw_log_error("cannot subscribe to %s: %s", url, nng_strerror(rv));
        nng_close(sub->sock);
        free(sub);
        return SW_EUNAVAIL;
    }
    *out = sub;
    return 0;
}

void sw_sub_close(struct sw_sub *sub)
{
    if (!sub)
        return;
    nng_close(sub->sock);
    pthread_join(sub->thread, NULL);
    free(sub);
}
