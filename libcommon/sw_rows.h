/*
 * Result rows as a repeated protobuf field: one message per row, filled by
 * the caller's `fill` (which points the message's strings into the row), and
 * the pointer array a repeated field needs. struct sw_rows owns both arrays;
 * the messages borrow from the PGresult, so keep the result until the reply
 * is packed, then sw_rows_free() and PQclear().
 *
 *     struct sw_rows rows;
 *     if (sw_rows_collect(res, sizeof(Sw__Tenants__Tenant), tenants_fill, &rows) == 0) {
 *         out.n_tenants = rows.n;
 *         out.tenants = (Sw__Tenants__Tenant **)rows.items;
 *         sw_reply_body(reply, &out.base);
 *     }
 *     sw_rows_free(&rows);
 */
#ifndef SW_ROWS_H
#define SW_ROWS_H

#include <libpq-fe.h>
#include <stddef.h>

struct sw_rows {
    void *store;  /* n messages of the caller's type */
    void **items; /* n pointers into store */
    size_t n;
};

/* Fills the message at msg from row `row` of res. */
typedef void (*sw_row_fill)(const PGresult *res, int row, void *msg);

/* SW_EINTERNAL if out of memory (then *rows is empty and needs no free). */
int sw_rows_collect(const PGresult *res, size_t msg_size, sw_row_fill fill, struct sw_rows *rows);

void sw_rows_free(struct sw_rows *rows);

#endif
