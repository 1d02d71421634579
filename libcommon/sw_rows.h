/*
 * Result rows as a repeated protobuf field: one message per row, filled by
 * the caller's `fill` (which points the message's strings into the row;
 * usually sw_rows_fill(), by column name), and the pointer array a repeated
 * field needs. struct sw_rows owns both arrays; the messages borrow from the
 * PGresult, so keep the result until the reply is packed, then
 * sw_rows_free() and PQclear().
 *
 * Most reads want the whole step at once: sw_rows_reply(), or
 * sw_rows_query_reply() for a read that is one query, and
 * sw_rows_page_query_reply() for one page of a listing.
 */
#ifndef SW_ROWS_H
#define SW_ROWS_H

#include <libpq-fe.h>
#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw_rows {
    void *store;  /* n messages of the caller's type */
    void **items; /* n pointers into store */
    size_t n;
};

/* Fills the message at msg from row `row` of res. */
typedef void (*sw_row_fill)(const PGresult *res, int row, void *msg);

/*
 * Initialises msg (a message of type desc) and fills it from row `row` of
 * res by column name: a column named like a scalar field of the message sets
 * it (so the SELECT list names its columns after the fields, "... AS
 * created_unix_ms"); other columns are passed over. Strings point into res.
 * SQL NULL leaves an optional field absent (a NULL string, has_x false) and
 * a required string "". The body of most sw_row_fill functions:
 *
 *     sw_rows_fill(res, row, &sw__notify__alert__descriptor, msg);
 */
void sw_rows_fill(const PGresult *res, int row, const ProtobufCMessageDescriptor *desc, void *msg);

/* SW_EINTERNAL if out of memory (then *rows is empty and needs no free). */
int sw_rows_collect(const PGresult *res, size_t msg_size, sw_row_fill fill, struct sw_rows *rows);

void sw_rows_free(struct sw_rows *rows);

struct sw_reply;

/*
 * The reply of a read whose query ended with rc: its failure, or `out` packed
 * with its repeated field (count *n, pointer array *items — the message's
 * `Type **` field) holding one message per row of res. The field is reset
 * before returning, so `out` may live on the caller's stack.
 *
 *     Sw__Tenants__GetTenantsReply out = SW__TENANTS__GET_TENANTS_REPLY__INIT;
 *     sw_rows_reply(reply, rc, res, sizeof(Sw__Tenants__Tenant), tenants_from_row,
 *                   &out.base, &out.n_tenants, &out.tenants);
 */
void sw_rows_reply(struct sw_reply *reply, int rc, const PGresult *res, size_t msg_size,
                   sw_row_fill fill, ProtobufCMessage *out, size_t *n, void *items);

/*
 * A read in one step: runs sql with params on db, then replies as
 * sw_rows_reply() does and clears the result.
 */
void sw_rows_query_reply(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                         const char *const *params, size_t msg_size, sw_row_fill fill,
                         ProtobufCMessage *out, size_t *n, void *items);

/* LIMIT and OFFSET of one page of a listing, as query parameters. */
struct sw_rows_page {
    char limit[16];
    char offset[24];
};

/* Page `page` (from 1) of page_size rows; false, with nothing written, when either is below 1. */
bool sw_rows_page(int32_t page, int32_t page_size, struct sw_rows_page *out);

/* sw_rows_page, failing the reply (400 invalid_page) when it is false. */
bool sw_rows_page_or_fail(int32_t page, int32_t page_size, struct sw_rows_page *out,
                          struct sw_reply *reply);

/*
 * The reply of one page of a listing whose rows end with "count(*) OVER ()"
 * in column count_col: 404 invalid_page past the end (page > 1 without
 * rows); otherwise *count (0 without rows) and the rows as sw_rows_reply().
 */
void sw_rows_page_reply(struct sw_reply *reply, int rc, const PGresult *res, int32_t page,
                        int count_col, int64_t *count, size_t msg_size, sw_row_fill fill,
                        ProtobufCMessage *out, size_t *n, void *items);

/*
 * The shape of a listing's reply (ListAlertsReply, ListInvoicesReply, …): its
 * repeated message field *items and its int64 field `count`; false when the
 * message has not that shape.
 */
bool sw_rows_listing_fields(const ProtobufCMessageDescriptor *desc,
                            const ProtobufCFieldDescriptor **items,
                            const ProtobufCFieldDescriptor **count);

#define SW_ROWS_PAGE_PARAMS_MAX 14

/*
 * One page of a listing in one step: page `page` of page_size rows (400
 * invalid_page below 1) read with sql, whose LIMIT and OFFSET are the two
 * parameters after the n_params given (added here), and `out`, a reply of a
 * listing's shape (sw_rows_listing_fields), answered as sw_rows_page_reply()
 * does: the rows filled by column name (sw_rows_fill), the total taken from
 * the column named "count" ("count(*) OVER ()").
 *
 *     const char *params[] = {tenant};
 *     Sw__Billing__ListInvoicesReply out = SW__BILLING__LIST_INVOICES_REPLY__INIT;
 *     sw_rows_page_query_reply(reply, db, "SELECT id, …, count(*) OVER () FROM billing.invoices"
 *                              " WHERE tenant_id = $1 … LIMIT $2 OFFSET $3",
 *                              1, params, req->page, req->page_size, &out.base);
 */
void sw_rows_page_query_reply(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                              const char *const *params, int32_t page, int32_t page_size,
                              ProtobufCMessage *out);

/*
 * sw_rows_page_query_reply() for rows that fill() fills itself, each into
 * msg_size bytes that begin with the listed message (a struct around it that
 * holds what the message points to, say).
 */
void sw_rows_page_query_fill(struct sw_reply *reply, PGconn *db, const char *sql, int n_params,
                             const char *const *params, int32_t page, int32_t page_size,
                             size_t msg_size, sw_row_fill fill, ProtobufCMessage *out);

#endif
