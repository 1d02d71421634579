#include "sw_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_status.h"

int sw_rows_collect(const PGresult *res, size_t msg_size, sw_row_fill fill, struct sw_rows *rows)
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
        fill(res, (int)i, rows->items[i]);
    }
    rows->n = n;
    return 0;
}

void sw_rows_free(struct sw_rows *rows)
{
    free(rows->store);
    free(rows->items);
    rows->store = NULL;
    rows->items = NULL;
    rows->n = 0;
}

void sw_rows_reply(struct sw_reply *reply, int rc, const PGresult *res, size_t msg_size,
                   sw_row_fill fill, ProtobufCMessage *out, size_t *n, void *items)
{
    struct sw_rows rows = {0};
    if (rc == 0)
        rc = sw_rows_collect(res, msg_size, fill, &rows);
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

void sw_rows_page_reply(struct sw_reply *reply, int rc, const PGresult *res, int32_t page,
                        int count_col, int64_t *count, size_t msg_size, sw_row_fill fill,
                        ProtobufCMessage *out, size_t *n, void *items)
{
    if (rc == 0 && page > 1 && PQntuples(res) == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
        return;
    }
    *count = rc == 0 && PQntuples(res) ? sw_pg_int(res, 0, count_col) : 0;
    sw_rows_reply(reply, rc, res, msg_size, fill, out, n, items);
}
