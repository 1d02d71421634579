#include "sw_reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_random.h"
#include "sw_rpc.h"
#include "sw_status.h"

void sw_reply_init(struct sw_reply *reply) { memset(reply, 0, sizeof *reply); }

void sw_reply_reset(struct sw_reply *reply)
{
    free(reply->body);
    sw_reply_init(reply);
}

void sw_reply_fail(struct sw_reply *reply, int status, const char *code, const char *fmt, ...)
{
    reply->status = status;
    snprintf(reply->code, sizeof reply->code, "%s", code ? code : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reply->message, sizeof reply->message, fmt, ap);
    va_end(ap);
}

int sw_reply_fail_rc(struct sw_reply *reply, int rc)
{
    if (rc >= 0 || reply->status != SW_OK)
        return rc;
    int status = -rc > SW_UNAUTHENTICATED ? SW_INTERNAL : -rc;
    sw_reply_fail(reply, status, NULL, "%s",
                  status == SW_UNAVAILABLE ? "A dependency is unavailable."
                                           : "The request could not be completed.");
    return rc;
}

void sw_reply_field(struct sw_reply *reply, const char *field, const char *message)
{
    if (reply->status == SW_OK) {
        reply->status = SW_INVALID_ARGUMENT;
        snprintf(reply->code, sizeof reply->code, "invalid");
        snprintf(reply->message, sizeof reply->message, "Invalid input.");
    }
    if (reply->n_fields == SW_REPLY_MAX_FIELDS)
        return;
    struct sw_field_error *fe = &reply->fields[reply->n_fields++];
    snprintf(fe->field, sizeof fe->field, "%s", field);
    snprintf(fe->message, sizeof fe->message, "%s", message);
}

void sw_reply_body(struct sw_reply *reply, const ProtobufCMessage *msg)
{
    size_t len = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        sw_reply_fail(reply, SW_INTERNAL, NULL, "Out of memory.");
        return;
    }
    protobuf_c_message_pack(msg, buf);
    free(reply->body);
    reply->body = buf;
    reply->body_len = len;
}

const char *sw_reply_caller_tenant(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *tenant_id = ctx->env->tenant_id;
    if (sw_uuid_valid(tenant_id))
        return tenant_id;
    sw_reply_fail(reply, SW_UNAUTHENTICATED, NULL, "This call needs the caller's organisation.");
    return NULL;
}

bool sw_reply_caller_staff(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *role = ctx->env->role;
    if (role && strcmp(role, "staff") == 0 && sw_uuid_valid(ctx->env->user_id))
        return true;
    sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                  "Only the service's staff may do this.");
    return false;
}
