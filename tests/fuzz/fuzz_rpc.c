/*
 * Every protobuf decode a service does on bytes from a peer: the request
 * envelope (sw_rpc_server.c unpacks it from the socket), the method's request
 * inside it, and on the client side the Reply and its body (sw_rpc_client.c).
 * The first input byte picks a message type out of every top-level message
 * of proto/ (fuzz_descriptors.c; a superset of the request descriptors of
 * every service's method table); the rest is the bytes, decoded as that
 * type, as an envelope whose body is that type, and as a reply whose body is
 * that type. Properties: what unpacks packs again to exactly the size it
 * announces (callers allocate that size and pack into it); the envelope's identity reaches the
 * handler's downstream calls (sw_rpc_meta_of) unchanged.
 */
#include "envelope.pb-c.h"
#include "fuzz.h"
#include "fuzz_descriptors.h"
#include "sw_rpc.h"

/* Unpacks bytes as desc the way the services do; checks the copy packs and unpacks again. */
static void decode(const ProtobufCMessageDescriptor *desc, const uint8_t *bytes, size_t len)
{
    ProtobufCMessage *msg = protobuf_c_message_unpack(desc, NULL, len, bytes);
    if (!msg)
        return;
    size_t packed = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(packed ? packed : 1);
    FUZZ_CHECK(buf);
    FUZZ_CHECK(protobuf_c_message_pack(msg, buf) == packed);
    /*
     * Not required to unpack again: protobuf-c 1.4.1 keeps an unknown field
     * numbered 0 when its tag is spelt in two bytes ("80 00") but refuses the
     * one-byte tag it packs it as. Nothing here re-sends what it received.
     */
    ProtobufCMessage *again = protobuf_c_message_unpack(desc, NULL, packed, buf);
    if (again) {
        FUZZ_CHECK(protobuf_c_message_get_packed_size(again) == packed);
        protobuf_c_message_free_unpacked(again, NULL);
    }
    protobuf_c_message_free_unpacked(msg, NULL);
    free(buf);
}

static void envelope(const ProtobufCMessageDescriptor *desc, const uint8_t *bytes, size_t len)
{
    Sw__Envelope *env = sw__envelope__unpack(NULL, len, bytes);
    if (!env)
        return;
    FUZZ_CHECK(env->method); /* required: an envelope without one does not unpack */
    struct sw_rpc_meta meta = sw_rpc_meta_of(env);
    FUZZ_CHECK(meta.request_id == env->request_id && meta.tenant_schema == env->tenant_schema &&
               meta.user_agent == env->user_agent);
    (void)sw_rpc_ms_left(env);
    decode(desc, env->body.data, env->body.len);
    sw__envelope__free_unpacked(env, NULL);
}

static void reply(const ProtobufCMessageDescriptor *desc, const uint8_t *bytes, size_t len)
{
    Sw__Reply *r = sw__reply__unpack(NULL, len, bytes);
    if (!r)
        return;
    FUZZ_CHECK(r->message && r->code);
    for (size_t i = 0; i < r->n_errors; i++) {
        FUZZ_CHECK(r->errors[i]->field);
        for (size_t j = 0; j < r->errors[i]->n_messages; j++)
            FUZZ_CHECK(r->errors[i]->messages[j]);
    }
    decode(desc, r->body.data, r->body.len);
    sw__reply__free_unpacked(r, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ProtobufCMessageDescriptor *desc = SW_FUZZ_DESCRIPTORS[data[0] % SW_FUZZ_N_DESCRIPTORS];
    decode(desc, data + 1, size - 1);
    envelope(desc, data + 1, size - 1);
    reply(desc, data + 1, size - 1);
    return 0;
}
