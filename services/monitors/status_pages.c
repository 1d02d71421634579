/*
 * The status-page routes: list, create, get, update (PATCH), delete. Pages
 * are created and changed by owners and admins (DECISIONS.md, "Status
 * pages"); every role reads them. A page's slug is global: its row in
 * monitors.status_slugs is written in the page's transaction, so a slug
 * another tenant holds is 409 duplicate_slug and a deleted page frees it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitors.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_log.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_status.h"
#include "tenant_sql.h"

#define SLUG_MIN 3
#define SLUG_MAX 60
#define DESCRIPTION_MAX 2000

/* A page as the contract shows it; $A is FRONTEND_URL. */
#define PAGE_JSON(A)                                                                               \
    "json_build_object('id', p.id, 'slug', p.slug, 'title', p.title, 'description',"               \
    " p.description, 'endpoint_ids', coalesce((SELECT json_agg(c.endpoint_id ORDER BY c.position)" \
    " FROM {s}.status_page_components c WHERE c.page_id = p.id), '[]'), 'public', p.public,"       \
    " 'url', " A "::text || '/status/' || p.slug, 'created_at', monitors.iso(p.created_at))::text"

static const char GET_SQL[] = "SELECT " PAGE_JSON("$2") " FROM {s}.status_pages p WHERE p.id = $1";
static const char LIST_SQL[] =
    "SELECT " PAGE_JSON("$1") ", count(*) OVER ()"
                              " FROM {s}.status_pages p ORDER BY p.created_at DESC, p.id DESC"
                              " LIMIT $2 OFFSET $3";

static bool slug_ok(const char *slug)
{
    size_t n = strlen(slug);
    if (n < SLUG_MIN || n > SLUG_MAX)
        return false;
    for (const char *p = slug; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return false;
    return true;
}

/* The field errors of a page's input; create: slug, title and endpoint_ids (may be []) required. */
static bool input_ok(const Sw__Status__PageInput *in, bool create, struct sw_reply *reply)
{
    if (!in) {
        sw_reply_fail(reply, SW_INVALID_ARGUMENT, NULL, "A status page is required.");
        return false;
    }
    if (!in->slug && create)
        sw_reply_field(reply, "slug", "This field is required.");
    else if (in->slug && !slug_ok(in->slug))
        sw_reply_field(reply, "slug",
                       "3 to 60 characters: lower-case letters, digits and hyphens only.");
    mon_sp_text_ok(reply, "title", in->title, create, false, MON_SP_TITLE_MAX);
    mon_sp_text_ok(reply, "description", in->description, false, true, DESCRIPTION_MAX);
    if (create && !in->endpoint_ids_given)
        sw_reply_field(reply, "endpoint_ids", "This field is required.");
    return sw_reply_ok(reply);
}

static int page_json(PGconn *db, const struct mon_tenant *t, const char *id, char **json)
{
    char app[MON_SP_APP_URL_MAX];
    mon_sp_app_url(app, sizeof app);
    const char *params[] = {id, app};
    return mon_sp_json(db, t, GET_SQL, 2, params, json);
}

/* Replaces the page's components by ids_array (a uuid[] literal), in the given order. */
static int set_components(PGconn *db, const char *page_id, const char *ids_array)
{
    const char *params[] = {page_id, ids_array};
    int rc = sw_pg_exec(db, "DELETE FROM status_page_components WHERE page_id = $1", 1, params);
    if (rc == 0)
        rc = sw_pg_exec(db,
                        "INSERT INTO status_page_components (page_id, endpoint_id, position)"
                        " SELECT $1, e, n FROM unnest($2::uuid[]) WITH ORDINALITY AS u(e, n)",
                        2, params);
    return rc;
}

static void duplicate_slug(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_ALREADY_EXISTS, "duplicate_slug",
                  "This slug is already taken; choose another.");
}

/* The end of a change: the page as it is now, its audit row, the commit. */
static int finish(PGconn *db, const struct mon_tenant *t, const Sw__Envelope *env,
                  const char *action, const char *id, const char *before, char **after)
{
    int rc = after ? page_json(db, t, id, after) : 0;
    if (rc == 0)
        rc = mon_sp_audit(db, env, t->id, action, "status_page", id, before, after ? *after : NULL);
    return sw_pg_end(db, rc);
}

static void answer(struct sw_reply *reply, int rc, const char *json)
{
    if (rc == SW_EEXISTS)
        duplicate_slug(reply);
    else
        mon_sp_answer(reply, rc, json);
}

void mon_status_page_create(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__CreateRequest *req = request;
    const Sw__Status__PageInput *in = req->page;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0 || mon_sp_caller_manages(ctx, reply) != 0 ||
        !input_ok(in, true, reply))
        return;
    char *ids = NULL, *json = NULL;
    PGresult *res = NULL;
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0)
        rc = mon_sp_endpoint_array(ctx->db, reply, "endpoint_ids", in->endpoint_ids,
                                   in->n_endpoint_ids, false, &ids);
    if (rc == 0) {
        const char *params[] = {in->slug, in->title, in->description ? in->description : "",
                                !in->has_public_ || in->public_ ? "true" : "false"};
        rc = sw_pg_query(ctx->db,
                         "INSERT INTO status_pages (slug, title, description, public)"
                         " VALUES ($1, $2, $3, $4) RETURNING id",
                         4, params, &res);
    }
    const char *id = rc == 0 ? PQgetvalue(res, 0, 0) : NULL;
    if (rc == 0) {
        const char *params[] = {in->slug, t.id, t.schema, id};
        rc = sw_pg_exec(ctx->db,
                        "INSERT INTO monitors.status_slugs (slug, tenant_id, schema_name, page_id)"
                        " VALUES ($1, $2, $3, $4)",
                        4, params);
    }
    if (rc == 0)
        rc = set_components(ctx->db, id, ids);
    if (rc == 0)
        rc = finish(ctx->db, &t, ctx->env, "status_page.create", id, NULL, &json);
    else
        sw_pg_rollback(ctx->db);
    answer(reply, rc, json);
    if (rc == 0)
        sw_log(SW_LOG_INFO, ctx->env->request_id, t.id, "status page %s created", id);
    PQclear(res);
    free(ids);
    free(json);
}

void mon_status_page_get(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__IdRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0)
        return;
    char *json = NULL;
    int rc = page_json(ctx->db, &t, req->id, &json);
    answer(reply, rc, json);
    free(json);
}

void mon_status_pages_list(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ListRequest *req = request;
    char app[MON_SP_APP_URL_MAX];
    mon_sp_app_url(app, sizeof app);
    const char *params[] = {app};
    mon_sp_reply_list(ctx, reply, "sp_list", LIST_SQL, 1, params, req->page, req->page_size);
}

/* Applies the input to page `id` (locked), inside the tenant's transaction. */
static int change_page(PGconn *db, const char *id, const Sw__Status__PageInput *in,
                       struct sw_reply *reply)
{
    char *ids = NULL;
    int rc = 0;
    if (in->endpoint_ids_given)
        rc = mon_sp_endpoint_array(db, reply, "endpoint_ids", in->endpoint_ids, in->n_endpoint_ids,
                                   false, &ids);
    if (rc == 0) {
        const char *params[] = {id, in->slug, in->title, in->description,
                                in->has_public_ ? (in->public_ ? "true" : "false") : NULL};
        rc = sw_pg_exec(db,
                        "UPDATE status_pages SET slug = coalesce($2, slug),"
                        " title = coalesce($3, title), description = coalesce($4, description),"
                        " public = coalesce($5::bool, public), updated_at = now() WHERE id = $1",
                        5, params);
    }
    if (rc == 0 && in->slug) {
        const char *params[] = {id, in->slug};
        rc = sw_pg_exec(db, "UPDATE monitors.status_slugs SET slug = $2 WHERE page_id = $1", 2,
                        params);
    }
    if (rc == 0 && ids)
        rc = set_components(db, id, ids);
    free(ids);
    return rc;
}

void mon_status_page_update(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__UpdateRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0 ||
        mon_sp_caller_manages(ctx, reply) != 0 || !input_ok(req->page, false, reply))
        return;
    char *before = NULL, *after = NULL;
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0) {
        const char *params[] = {req->id};
        rc = sw_pg_exec(ctx->db, "SELECT 1 FROM status_pages WHERE id = $1 FOR UPDATE", 1, params);
    }
    if (rc == 0)
        rc = page_json(ctx->db, &t, req->id, &before);
    if (rc == 0 && !before)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = change_page(ctx->db, req->id, req->page, reply);
    if (rc == 0)
        rc = finish(ctx->db, &t, ctx->env, "status_page.update", req->id, before, &after);
    else
        sw_pg_rollback(ctx->db);
    answer(reply, rc, after);
    free(before);
    free(after);
}

void mon_status_page_delete(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__IdRequest *req = request;
    struct mon_tenant t;
    if (mon_caller_endpoint(ctx, reply, req->id, &t) != 0 || mon_sp_caller_manages(ctx, reply) != 0)
        return;
    char *before = NULL;
    const char *params[] = {req->id};
    int rc = mon_tenant_begin(ctx->db, &t);
    if (rc == 0)
        rc = page_json(ctx->db, &t, req->id, &before);
    if (rc == 0 && !before)
        rc = SW_ENOTFOUND;
    if (rc == 0)
        rc = sw_pg_exec(ctx->db, "DELETE FROM status_pages WHERE id = $1", 1, params);
    if (rc == 0)
        rc = sw_pg_exec(ctx->db, "DELETE FROM monitors.status_slugs WHERE page_id = $1", 1, params);
    if (rc == 0)
        rc = finish(ctx->db, &t, ctx->env, "status_page.delete", req->id, before, NULL);
    else
        sw_pg_rollback(ctx->db);
    answer(reply, rc, "{}");
    free(before);
}
