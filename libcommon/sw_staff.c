#include "sw_staff.h"

#include <stdlib.h>

#include "staff.pb-c.h"
#include "sw_pg.h"
#include "sw_reply.h"
#include "sw_rows.h"
#include "sw_status.h"

static void tally_from_row(const PGresult *res, int row, void *msg)
{
    sw_rows_fill(res, row, &sw__staff__tally__descriptor, msg);
}

void sw_staff_counts_reply(struct sw_rpc_ctx *ctx, struct sw_reply *reply, char *const *tenant_ids,
                           size_t n, const char *sql)
{
    if (!sw_reply_caller_staff(ctx, reply))
        return;
    char *ids = sw_pg_uuid_array(tenant_ids, n);
    if (!ids) {
        sw_reply_fail_rc(reply, SW_ENOMEM);
        return;
    }
    const char *params[] = {ids};
    Sw__Staff__CountsReply out = SW__STAFF__COUNTS_REPLY__INIT;
    sw_rows_query_reply(reply, ctx->db, sql, 1, params, sizeof(Sw__Staff__Tally), tally_from_row,
                        &out.base, &out.n_counts, &out.counts);
    free(ids);
}
