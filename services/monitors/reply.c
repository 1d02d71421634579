/* Reply helpers shared by sw-monitors' handlers. */
#include <string.h>

#include "monitors.h"
#include "sw_rows.h"
#include "sw_status.h"

void mon_reply_not_found(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_NOT_FOUND, NULL, "Not found.");
}

void mon_reply_rows(struct sw_reply *reply, int rc, const PGresult *res, size_t msg_size,
                    void (*fill)(const PGresult *res, int row, void *msg), ProtobufCMessage *out,
                    size_t *n, void *items)
{
    struct sw_rows rows = {0};
    if (rc == 0)
        rc = sw_rows_collect(res, msg_size, fill, &rows);
    if (rc) {
        sw_reply_fail_rc(reply, rc);
        return;
    }
    /* items is the message's `Type **` field; rows.items is that array. */
    *n = rows.n;
    memcpy(items, &rows.items, sizeof rows.items);
    sw_reply_body(reply, out);
    *n = 0;
    memset(items, 0, sizeof rows.items);
    sw_rows_free(&rows);
}
