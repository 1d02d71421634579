#include "sw_rows.h"

#include <stdlib.h>

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
