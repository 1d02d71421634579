/*
 * The shape every change to an incident or a maintenance window has
 * (statuspage.h, mon_sp_run): in the tenant's transaction, lock and read the
 * object before, check the endpoint ids that were sent, let the kind write,
 * then the object after, its audit row and the commit (mon_sp_finish), and
 * the answer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "statuspage.h"
#include "sw_pg.h"
#include "sw_status.h"

/* Locks c->id in its table and reads its JSON into c->before. */
static int load_before(PGconn *db, const struct mon_tenant *t, struct mon_sp_change *c)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1 FOR UPDATE", c->kind->table);
    int rc = sw_pg_exec(db, sql, 1, (const char *[]){c->id});
    if (rc == 0)
        rc = mon_sp_json(db, t, c->kind->get_sql, 1, (const char *[]){c->id}, &c->before);
    return rc == 0 && !c->before ? SW_ENOTFOUND : rc;
}

struct mon_sp_change mon_sp_change_of(const struct mon_sp_kind *kind, const char *action,
                                      const char *id, char **endpoint_ids, size_t n,
                                      bool endpoints_given)
{
    return (struct mon_sp_change){.kind = kind,
                                  .action = action,
                                  .id = id,
                                  .endpoint_ids = endpoint_ids,
                                  .n_endpoint_ids = n,
                                  .endpoints_given = endpoints_given};
}

void mon_sp_run(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const struct mon_tenant *t,
                struct mon_sp_change *c, mon_sp_write_fn *write, const void *input)
{
    char *after = NULL;
    int rc = mon_tenant_begin(ctx->db, t);
    if (rc == 0 && c->id)
        rc = load_before(ctx->db, t, c);
    if (rc == 0 && c->endpoints_given)
        rc = mon_sp_endpoint_array(ctx->db, reply, "endpoint_ids", c->endpoint_ids,
                                   c->n_endpoint_ids, true, &c->ids);
    if (rc == 0)
        rc = write(ctx, t, reply, input, c);
    if (rc == 0)
        rc = mon_sp_finish(ctx, t, c->kind->get_sql, c->kind->target_type, c->action, c->id,
                           c->before, c->deleting ? NULL : &after, c->evented);
    else
        sw_pg_rollback(ctx->db);
    mon_sp_answer(reply, rc, c->deleting ? "{}" : after);
    free(after);
    free(c->before);
    free(c->ids);
    PQclear(c->res);
}

int mon_sp_link(PGconn *db, const struct mon_sp_change *c)
{
    return c->ids
               ? mon_sp_set_endpoints(db, c->kind->link_table, c->kind->link_column, c->id, c->ids)
               : 0;
}

void mon_sp_get(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const struct mon_sp_kind *kind,
                const char *id)
{
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, id, &t) != 0)
        return;
    char *json = NULL;
    int rc = mon_sp_json(ctx->db, &t, kind->get_sql, 1, (const char *[]){id}, &json);
    mon_sp_answer(reply, rc, json);
    free(json);
}
