#include "sw_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_status.h"

/* Sets field f of msg from the text of a column that is not SQL NULL. */
static void set_scalar(char *msg, const ProtobufCFieldDescriptor *f, const char *text)
{
    void *field = msg + f->offset;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: *(int32_t *)field = (int32_t)strtoll(text, NULL, 10); break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: *(uint32_t *)field = (uint32_t)strtoull(text, NULL, 10); break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: *(int64_t *)field = strtoll(text, NULL, 10); break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: *(uint64_t *)field = strtoull(text, NULL, 10); break;
    case PROTOBUF_C_TYPE_BOOL: *(protobuf_c_boolean *)field = text[0] == 't'; break;
    case PROTOBUF_C_TYPE_DOUBLE: *(double *)field = strtod(text, NULL); break;
    case PROTOBUF_C_TYPE_FLOAT: *(float *)field = strtof(text, NULL); break;
    default: /* strings are set by the caller; enums, bytes and messages are not read */ break;
    }
}

void sw_rows_fill(const PGresult *res, int row, const ProtobufCMessageDescriptor *desc, void *msg)
{
    protobuf_c_message_init(desc, msg);
    for (int col = 0; col < PQnfields(res); col++) {
        const ProtobufCFieldDescriptor *f =
            protobuf_c_message_descriptor_get_field_by_name(desc, PQfname(res, col));
        if (!f || f->label == PROTOBUF_C_LABEL_REPEATED || (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
            continue;
        bool null = PQgetisnull(res, row, col);
        bool optional = f->label == PROTOBUF_C_LABEL_OPTIONAL;
        if (f->type == PROTOBUF_C_TYPE_STRING) {
            *(char **)((char *)msg + f->offset) = null && optional ? NULL
                                                                   : PQgetvalue(res, row, col);
            continue;
        }
        if (optional)
            *(protobuf_c_boolean *)((char *)msg + f->quantifier_offset) = !null;
        if (!null)
            set_scalar(msg, f, PQgetvalue(res, row, col));
    }
}

/* sw_rows_collect(), each row filled by fill or, without one, by column name as a message of desc.
 */
static int collect(const PGresult *res, size_t msg_size, sw_row_fill fill,
                   const ProtobufCMessageDescriptor *desc, struct sw_rows *rows)
{
    size_t n = res ? (size_t)PQntuples(res) : 0;
    rows->n = 0;
    rows->store = calloc(n ? n : 1, msg_size);
    rows->items = calloc(n ? n : 1, sizeof *rows->items);
    if (!rows->store || !rows->items) {
        sw_rows_free(rows);
        return SW_EINTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        rows->items[i] = (char *)rows->store + i * msg_size;
        if (fill)
            fill(res, (int)i, rows->items[i]);
        else
            sw_rows_fill(res, (int)i, desc, rows->items[i]);
    }
    rows->n = n;
    return 0;
}

int sw_rows_collect(const PGresult *res, size_t msg_size, sw_row_fill fill, struct sw_rows *rows)
{
    return collect(res, msg_size, fill, NULL, rows);
}

void sw_rows_free(struct sw_rows *rows)
{
    free(rows->store);
    free(rows->items);
    rows->store = NULL;
    rows->items = NULL;
    rows->n = 0;
}

/* sw_rows_reply(), rows filled as collect() fills them. */
static void reply_rows(struct sw_reply *reply, int rc, const PGresult *res, size_t msg_size,
                       sw_row_fill fill, const ProtobufCMessageDescriptor *desc,
                       ProtobufCMessage *out, size_t *n, void *items)
{
    struct sw_rows rows = {0};
    if (rc == 0)
        rc = collect(res, msg_size, fill, desc, &rows);
    if (rc) {
        sw_reply_fail_rc(reply, rc);
        return;
    }
    *n = rows.n;
    memcpy(items, &rows.items, sizeof rows.items);
    sw_reply_body(reply, out);
    *n = 0;
    memset(items, 0, sizeof rows.items);
    sw_rows_free(&rows);
}

void sw_rows_reply(struct sw_reply *reply, int rc, const PGresult *res, size_t msg_size,
                   sw_row_fill fill, ProtobufCMessage *out, size_t *n, void *items)
{
    reply_rows(reply, rc, res, msg_size, fill, NULL, out, n, items);
}

void sw_rows_query_reply(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                         const char *const *params, size_t msg_size, sw_row_fill fill,
                         ProtobufCMessage *out, size_t *n, void *items)
{
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, n_params, params, &res);
    sw_rows_reply(reply, rc, res, msg_size, fill, out, n, items);
    PQclear(res);
}

bool sw_rows_page(int32_t page, int32_t page_size, struct sw_rows_page *out)
{
    if (page < 1 || page_size < 1)
        return false;
    snprintf(out->limit, sizeof out->limit, "%d", page_size);
    snprintf(out->offset, sizeof out->offset, "%lld", (long long)(page - 1) * page_size);
    return true;
}

bool sw_rows_page_or_fail(int32_t page, int32_t page_size, struct sw_rows_page *out,
                          struct sw_reply *reply)
{
    if (sw_rows_page(page, page_size, out))
        return true;
    sw_reply_fail(reply, SW_INVALID_ARGUMENT, "invalid_page", "Invalid page.");
    return false;
}

/* False, with the reply failed (404 invalid_page), past the last page: page > 1 without rows. */
static bool page_found(struct sw_reply *reply, int rc, const PGresult *res, int32_t page)
{
    if (rc == 0 && page > 1 && PQntuples(res) == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
        return false;
    }
    return true;
}

void sw_rows_page_reply(struct sw_reply *reply, int rc, const PGresult *res, int32_t page,
                        int count_col, int64_t *count, size_t msg_size, sw_row_fill fill,
                        ProtobufCMessage *out, size_t *n, void *items)
{
    if (!page_found(reply, rc, res, page))
        return;
    *count = rc == 0 && PQntuples(res) ? sw_pg_int(res, 0, count_col) : 0;
    sw_rows_reply(reply, rc, res, msg_size, fill, out, n, items);
}

bool sw_rows_listing_fields(const ProtobufCMessageDescriptor *desc,
                            const ProtobufCFieldDescriptor **items,
                            const ProtobufCFieldDescriptor **count)
{
    *items = NULL;
    *count = protobuf_c_message_descriptor_get_field_by_name(desc, "count");
    for (unsigned i = 0; i < desc->n_fields && !*items; i++)
        if (desc->fields[i].label == PROTOBUF_C_LABEL_REPEATED &&
            desc->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
            *items = &desc->fields[i];
    return *items && *count && (*count)->type == PROTOBUF_C_TYPE_INT64;
}

void sw_rows_page_query_reply(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                              const char *const *params, int32_t page, int32_t page_size,
                              ProtobufCMessage *out)
{
    sw_rows_page_query_fill(reply, db, sql, n_params, params, page, page_size, 0, NULL, out);
}

void sw_rows_page_query_fill(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                             const char *const *params, int32_t page, int32_t page_size,
                             size_t msg_size, sw_row_fill fill, ProtobufCMessage *out)
{
    const ProtobufCFieldDescriptor *items_f = NULL, *count_f = NULL;
    if (!sw_rows_listing_fields(out->descriptor, &items_f, &count_f) || n_params < 0 ||
        n_params > SW_ROWS_PAGE_PARAMS_MAX) {
        sw_reply_fail_rc(reply, SW_EINTERNAL);
        return;
    }
    struct sw_rows_page limits;
    if (!sw_rows_page_or_fail(page, page_size, &limits, reply))
        return;
    const char *all[SW_ROWS_PAGE_PARAMS_MAX + 2];
    for (int i = 0; i < n_params; i++)
        all[i] = params[i];
    all[n_params] = limits.limit;
    all[n_params + 1] = limits.offset;
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, n_params + 2, all, &res);
    char *msg = (char *)out;
    const ProtobufCMessageDescriptor *item = items_f->descriptor;
    if (page_found(reply, rc, res, page)) {
        *(int64_t *)(msg + count_f->offset) =
            rc == 0 && PQntuples(res) ? sw_pg_int(res, 0, PQfnumber(res, "count")) : 0;
        reply_rows(reply, rc, res, fill ? msg_size : item->sizeof_message, fill, item, out,
                   (size_t *)(msg + items_f->quantifier_offset), msg + items_f->offset);
    }
    PQclear(res);
}
