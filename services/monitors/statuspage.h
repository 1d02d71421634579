/*
 * Status pages, incidents and maintenance windows (api.md "Status pages,
 * incidents, maintenance"), owned by sw-monitors because it owns the
 * endpoints and decides their status and uptime.
 *
 * Tables live in each tenant's schema (tenant migration 005); the global
 * slug registry monitors.status_slugs (migration 004) makes slugs unique
 * across tenants and finds a public page by its slug. Objects leave as the
 * JSON the contract shows, built in SQL (proto/status.proto says why).
 * Changes write an audit row and, where subscribers care (an incident's
 * update, a maintenance scheduled), a statuspage.* outbox event that
 * sw-notify turns into e-mails — all in the transaction of the change.
 *
 * Files: statuspage.c (helpers shared below), status_pages.c, incidents.c
 * (also the automatic incidents of outages), maintenance.c, public_status.c.
 */
#ifndef MON_STATUSPAGE_H
#define MON_STATUSPAGE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "monitors.h"

#define MON_SP_TITLE_MAX 200
#define MON_SP_TEXT_MAX 5000
#define MON_SP_ENDPOINTS_MAX 100
#define MON_SP_APP_URL_MAX 512

/* 0 when the caller is an owner or admin; otherwise the reply is failed (403). */
int mon_sp_caller_manages(const struct sw_rpc_ctx *ctx, struct sw_reply *reply);

/* FRONTEND_URL without a trailing slash (the public page's link). */
void mon_sp_app_url(char *out, size_t size);

/*
 * A text field: when required and absent, or longer than max characters
 * (or empty when not allowed), a field error. true when the value is fine.
 */
bool mon_sp_text_ok(struct sw_reply *reply, const char *field, const char *value, bool required,
                    bool allow_empty, size_t max);

/* true when value is one of the NULL-terminated list; otherwise a field error. */
bool mon_sp_choice_ok(struct sw_reply *reply, const char *field, const char *value,
                      const char *const *choices);

/*
 * The endpoint ids as a uuid[] literal in *out (free()) after checking, in
 * the tenant's transaction, that each is an endpoint of the tenant and that
 * there are at most MON_SP_ENDPOINTS_MAX (at least one when `at_least_one`);
 * SW_EINVAL after a field error on `field`.
 */
int mon_sp_endpoint_array(PGconn *db, struct sw_reply *reply, const char *field, char **ids,
                          size_t n, bool at_least_one, char **out);

/* The first column of row 0 of template (one JSON text) for the tenant into *json (free()). */
int mon_sp_json(PGconn *db, const struct mon_tenant *t, const char *template, int n_params,
                const char *const *params, char **json);

/* An ObjectReply of json; 404 when json is NULL (no such object in this tenant). */
void mon_sp_reply_object(struct sw_reply *reply, const char *json);

/* The answer of a handler whose work returned rc: 404, the failure, or the object json. */
void mon_sp_answer(struct sw_reply *reply, int rc, const char *json);

/*
 * Replaces the endpoints linked to `id` in link_table (column `id_column`)
 * with the uuid[] literal ids_array.
 */
int mon_sp_set_endpoints(PGconn *db, const char *link_table, const char *id_column, const char *id,
                         const char *ids_array);

/*
 * The end of a change to object `id` in the tenant's transaction: the object
 * now (get_sql, $1 the id) into *after unless after is NULL, its audit row,
 * the commit; then, when evented, the wake-up of the public pages.
 */
int mon_sp_finish(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, const char *get_sql,
                  const char *target_type, const char *action, const char *id, const char *before,
                  char **after, bool evented);

/* What the shared handlers know of one kind of object (incidents, maintenance windows). */
struct mon_sp_kind {
    const char *target_type; /* the audit's target type: "incident" */
    const char *table;       /* its table in the tenant's schema */
    const char *get_sql;     /* {s}-template, $1 the id: the object's JSON */
    const char *link_table;  /* its endpoints: link_table(link_column, endpoint_id) */
    const char *link_column;
};

/* One change, as mon_sp_run carries it out (sp_change.c). */
struct mon_sp_change {
    const struct mon_sp_kind *kind;
    const char *action;  /* the audit action: "incident.update" */
    const char *id;      /* the object; NULL on create until write sets it */
    char **endpoint_ids; /* as sent, when endpoints_given */
    size_t n_endpoint_ids;
    bool endpoints_given;
    bool deleting; /* no object after it: the answer is {} */
    bool evented;  /* set by write: wake the public pages after the commit */
    char *before;  /* the object before (an update or delete), owned */
    char *ids;     /* endpoint_ids checked, as a uuid[] literal, owned */
    PGresult *res; /* what write keeps alive (the id of a row it inserted), owned */
};

/* A change of the kind's object id (NULL: a new one) with the endpoint ids a request sent. */
struct mon_sp_change mon_sp_change_of(const struct mon_sp_kind *kind, const char *action,
                                      const char *id, char **endpoint_ids, size_t n,
                                      bool endpoints_given);

/* The kind's own part of a change (in the transaction); SW_E* fails it. */
typedef int mon_sp_write_fn(struct sw_rpc_ctx *ctx, const struct mon_tenant *t,
                            struct sw_reply *reply, const void *input, struct mon_sp_change *c);

/*
 * Runs a change: begin; with c->id, lock the row and read c->before (404
 * when there is none); check the endpoint ids sent into c->ids; write;
 * then mon_sp_finish and the answer (the object after, or {} when deleting);
 * frees what c owns.
 */
void mon_sp_run(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const struct mon_tenant *t,
                struct mon_sp_change *c, mon_sp_write_fn *write, const void *input);
/* Links c->ids (when endpoint ids were sent) to c->id, replacing its endpoints. */
int mon_sp_link(PGconn *db, const struct mon_sp_change *c);
/* GET /…/{id}/ of the kind. */
void mon_sp_get(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const struct mon_sp_kind *kind,
                const char *id);

/*
 * A page of a listing: template's rows are (json, count(*) OVER ()) and its
 * last two parameters LIMIT and OFFSET, after the n_params given (at most 2).
 */
void mon_sp_reply_list(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const char *name,
                       const char *template, int n_params, const char *const *params, int32_t page,
                       int32_t page_size);

/* The audit row of a change (inside its transaction); env NULL: the system acted. */
int mon_sp_audit(PGconn *db, const Sw__Envelope *env, const char *tenant_id, const char *action,
                 const char *target_type, const char *target_id, const char *before,
                 const char *after);

/* The handlers. */
sw_rpc_handler_fn mon_status_pages_list;
sw_rpc_handler_fn mon_status_page_create;
sw_rpc_handler_fn mon_status_page_get;
sw_rpc_handler_fn mon_status_page_update;
sw_rpc_handler_fn mon_status_page_delete;
sw_rpc_handler_fn mon_incidents_list;
sw_rpc_handler_fn mon_incident_create;
sw_rpc_handler_fn mon_incident_get;
sw_rpc_handler_fn mon_incident_update;
sw_rpc_handler_fn mon_incident_add_update;
sw_rpc_handler_fn mon_maintenances_list;
sw_rpc_handler_fn mon_maintenance_create;
sw_rpc_handler_fn mon_maintenance_get;
sw_rpc_handler_fn mon_maintenance_update;
sw_rpc_handler_fn mon_maintenance_delete;
sw_rpc_handler_fn mon_public_status;
sw_rpc_handler_fn mon_resolve_slug;

/*
 * incidents.c: what an endpoint's status transition means for incidents,
 * in the transaction that stored it (search_path on the tenant): going
 * `down` opens one incident (with the first error) when a page shows the
 * endpoint and none is open for this outage; coming back `up` resolves it.
 * Checks inside a maintenance window never get here (schedule.c holds the
 * status still during one).
 */
int mon_incidents_on_transition(PGconn *db, const char *tenant_id, const char *endpoint_id,
                                const char *to, const char *error);

/*
 * The statuspage.incident outbox event of update `update_id` of incident
 * `incident_id` (kind opened | updated | resolved), naming the public pages
 * that show it; none when no public page does. In the caller's transaction.
 */
int mon_sp_incident_event(PGconn *db, const char *tenant_id, const char *incident_id,
                          const char *update_id, const char *kind);

#endif
