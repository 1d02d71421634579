/*
 * The outcome of one RPC as a handler builds it: a status, a machine code, a
 * safe message, field errors, and the packed reply body. The struct owns its
 * body buffer; sw_reply_reset() frees it. The RPC server turns it into the
 * protobuf Reply on the wire.
 */
#ifndef SW_REPLY_H
#define SW_REPLY_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#define SW_REPLY_MAX_FIELDS 16

struct sw_field_error {
    char field[64];
    char message[256];
};

struct sw_reply {
    int status;            /* enum sw_status */
    char code[64];         /* "" → the status's default code */
    char message[256];
    struct sw_field_error fields[SW_REPLY_MAX_FIELDS];
    size_t n_fields;
    uint8_t *body;         /* owned; packed reply message */
    size_t body_len;
};

void sw_reply_init(struct sw_reply *reply);
void sw_reply_reset(struct sw_reply *reply);

/* Sets an error status with a machine code (NULL → default) and a message. */
void sw_reply_error(struct sw_reply *reply, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds a field error and makes the status INVALID_ARGUMENT. */
void sw_reply_field(struct sw_reply *reply, const char *field, const char *message);

/* Packs msg as the reply body; SW_EINTERNAL if out of memory. */
int sw_reply_body(struct sw_reply *reply, const ProtobufCMessage *msg);

#endif
