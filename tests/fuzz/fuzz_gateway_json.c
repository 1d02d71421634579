/*
 * The gateway's request JSON (services/gateway/json_in.c, endpoint_input.c):
 * the input is a request body. It is parsed as the gateway parses it, read
 * into requests as the routes read them (string fields as in auth.Register
 * and auth.AcceptInvitation, an endpoint's typed members), the field errors
 * are written as the 400 answer writes them, and the requests are packed as
 * they go to the services, then unpacked again: what a service receives
 * must be what the body said.
 */
#include <string.h>

#include "auth.pb-c.h"
#include "endpoint_input.h"
#include "fuzz.h"
#include "json_in.h"
#include "monitors.pb-c.h"

/* Packs msg, unpacks it as desc and returns the copy (the caller frees it). */
static ProtobufCMessage *round_trip(const ProtobufCMessage *msg)
{
    size_t len = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(len ? len : 1);
    FUZZ_CHECK(buf);
    FUZZ_CHECK(protobuf_c_message_pack(msg, buf) == len);
    ProtobufCMessage *copy = protobuf_c_message_unpack(msg->descriptor, NULL, len, buf);
    free(buf);
    FUZZ_CHECK(copy);
    return copy;
}

static bool same_text(const char *sent, const char *received)
{
    return strcmp(sent ? sent : "", received ? received : "") == 0;
}

/* The register form: every member optional, so absent ones travel as "". */
static void register_request(json_t *doc)
{
    Sw__Auth__RegisterRequest msg = SW__AUTH__REGISTER_REQUEST__INIT;
    const struct body_field fields[] = {
        {"organization_name", &msg.organization_name, false, false},
        {"email", &msg.email, false, true},
        {"password", &msg.password, false, false},
        {"password_confirm", &msg.password_confirm, false, false},
    };
    json_t *errors = json_object();
    gw_fields_of(doc, fields, N_FIELDS(fields), errors);
    char *answer = json_dumps(errors, JSON_COMPACT | JSON_PRESERVE_ORDER);
    FUZZ_CHECK(answer);
    free(answer);
    json_decref(errors);
    Sw__Auth__RegisterRequest *copy = (Sw__Auth__RegisterRequest *)round_trip(&msg.base);
    FUZZ_CHECK(same_text(msg.organization_name, copy->organization_name));
    FUZZ_CHECK(same_text(msg.email, copy->email));
    FUZZ_CHECK(same_text(msg.password, copy->password));
    FUZZ_CHECK(same_text(msg.password_confirm, copy->password_confirm));
    sw__auth__register_request__free_unpacked(copy, NULL);
}

/* The invitation form: every member required; a missing one is a field error. */
static void accept_request(json_t *doc)
{
    Sw__Auth__AcceptInvitationRequest msg = SW__AUTH__ACCEPT_INVITATION_REQUEST__INIT;
    const struct body_field fields[] = {
        {"token", &msg.token, true, false},
        {"password", &msg.password, true, true},
        {"password_confirm", &msg.password_confirm, true, false},
    };
    json_t *errors = json_object();
    gw_fields_of(doc, fields, N_FIELDS(fields), errors);
    for (size_t i = 0; i < N_FIELDS(fields); i++)
        FUZZ_CHECK(*fields[i].value || json_object_get(errors, fields[i].name));
    json_decref(errors);
}

/* Every member read as a string and as an integer, as other routes read theirs. */
static void typed_members(json_t *doc)
{
    json_t *errors = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
    {
        const char *text = NULL;
        int32_t n = 0;
        gw_json_string(doc, key, &text, errors);
        FUZZ_CHECK(text);
        if (gw_json_int32(value, key, &n, errors))
            FUZZ_CHECK(json_is_integer(value));
    }
    json_decref(errors);
}

static void endpoint_request(json_t *doc)
{
    struct gw_endpoint_body body;
    json_t *errors = json_object();
    gw_endpoint_body_read(&body, doc, errors);
    char *answer = json_dumps(errors, JSON_COMPACT | JSON_PRESERVE_ORDER);
    FUZZ_CHECK(answer);
    free(answer);
    bool valid = json_object_size(errors) == 0;
    json_decref(errors);
    if (!valid)
        return; /* answered 400: nothing is sent */
    Sw__Monitors__CreateEndpointRequest msg = SW__MONITORS__CREATE_ENDPOINT_REQUEST__INIT;
    msg.input = &body.input;
    Sw__Monitors__CreateEndpointRequest *copy =
        (Sw__Monitors__CreateEndpointRequest *)round_trip(&msg.base);
    const Sw__Monitors__EndpointInput *in = &body.input, *out = copy->input;
    FUZZ_CHECK(out);
    FUZZ_CHECK(!in->url == !out->url && same_text(in->url, out->url));
    FUZZ_CHECK(!in->name == !out->name);
    FUZZ_CHECK(!in->name || (!in->name->value == !out->name->value &&
                             same_text(in->name->value, out->name->value)));
    FUZZ_CHECK(!in->expected_status == !out->expected_status);
    FUZZ_CHECK(!in->expected_status ||
               (in->expected_status->has_value == out->expected_status->has_value &&
                in->expected_status->value == out->expected_status->value));
    FUZZ_CHECK(in->has_interval_seconds == out->has_interval_seconds &&
               in->interval_seconds == out->interval_seconds);
    FUZZ_CHECK(in->has_paused == out->has_paused && in->paused == out->paused);
    sw__monitors__create_endpoint_request__free_unpacked(copy, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = gw_json_parse_object((const char *)data, size);
    if (!doc)
        return 0;
    FUZZ_CHECK(json_is_object(doc));
    register_request(doc);
    accept_request(doc);
    typed_members(doc);
    endpoint_request(doc);
    json_decref(doc);
    return 0;
}
