/*
 * The public page (GET /api/public/status/{slug}/, no login) and the slug
 * lookup sw-notify's subscriptions need. A slug is found in the global
 * registry (monitors.status_slugs), then the page is one statement on its
 * tenant's schema (prepared per worker and schema, like every tenant read):
 * the whole JSON document, built by PostgreSQL. An unknown slug and a page
 * that is not public are the same NOT_FOUND.
 *
 * What the page shows is what the owner chose and nothing else: the page's
 * title and description, each component's name and state (never its URL,
 * id or error), the 90-day bars (one value per UTC day and component, from
 * the hourly rollups, never from raw results), the incidents that touch its
 * components with their own words, and their maintenance windows. The
 * gateway caches the answer per slug for a few seconds (routes_status.c),
 * so a crowd costs this statement a few times a minute.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "monitors.h"
#include "status.pb-c.h"
#include "statuspage.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_status.h"
#include "tenant_sql.h"

#define UPTIME_DAYS 90
#define INCIDENT_DAYS 14

/* $1: the page id. One row, or none when the page is not public. */
static const char PUBLIC_SQL[] =
    "WITH p AS (SELECT id, title, description FROM {s}.status_pages WHERE id = $1 AND public),"
    " comp AS (SELECT c.endpoint_id, c.position, e.name,"
    "   CASE WHEN EXISTS (SELECT 1 FROM {s}.maintenance_endpoints me"
    "     JOIN {s}.maintenances m ON m.id = me.maintenance_id WHERE me.endpoint_id = e.id"
    "     AND m.starts_at <= now() AND m.ends_at > now()) THEN 'maintenance'"
    "   WHEN e.paused THEN 'unknown' WHEN e.status = 'up' THEN 'operational'"
    "   WHEN e.status = 'down' THEN 'major_outage' ELSE 'unknown' END AS status"
    "   FROM p JOIN {s}.status_page_components c ON c.page_id = p.id"
    "   JOIN {s}.endpoints e ON e.id = c.endpoint_id),"
    " days AS (SELECT d::date AS day FROM generate_series((now() AT TIME ZONE 'UTC')::date - 89,"
    "   (now() AT TIME ZONE 'UTC')::date, interval '1 day') d),"
    " roll AS (SELECT r.endpoint_id, (r.hour AT TIME ZONE 'UTC')::date AS day,"
    "   sum(r.checks) AS checks, sum(r.ok) AS ok FROM {s}.rollups_hourly r"
    "   WHERE r.endpoint_id IN (SELECT endpoint_id FROM comp)"
    "   AND r.hour >= ((now() AT TIME ZONE 'UTC')::date - 89)::timestamp AT TIME ZONE 'UTC'"
    "   GROUP BY 1, 2),"
    " inc AS (SELECT i.* FROM {s}.incidents i WHERE (i.resolved_at IS NULL"
    "   OR i.resolved_at > now() - interval '" MON_STR(
        INCIDENT_DAYS) " days')"
                       "   AND EXISTS (SELECT 1 FROM {s}.incident_endpoints ie"
                       "   WHERE ie.incident_id = i.id AND ie.endpoint_id IN (SELECT endpoint_id FROM comp))),"
                       " mnt AS (SELECT m.* FROM {s}.maintenances m WHERE m.ends_at > now()"
                       "   AND EXISTS (SELECT 1 FROM {s}.maintenance_endpoints me"
                       "   WHERE me.maintenance_id = m.id AND me.endpoint_id IN (SELECT endpoint_id FROM comp))),"
                       " o AS (SELECT count(*) FILTER (WHERE status = 'major_outage') AS down,"
                       "   count(*) FILTER (WHERE status IN ('operational', 'major_outage')) AS known,"
                       "   count(*) FILTER (WHERE status = 'maintenance') AS maint,"
                       "   (SELECT count(*) FROM inc WHERE resolved_at IS NULL AND impact = 'critical') AS critical,"
                       "   (SELECT count(*) FROM inc WHERE resolved_at IS NULL AND impact IN ('minor', 'major'))"
                       "   AS impaired FROM comp)"
                       " SELECT json_build_object('title', p.title, 'description', p.description,"
                       "   'overall', CASE WHEN (o.down > 0 AND o.down = o.known) OR o.critical > 0"
                       "   THEN 'major_outage' WHEN o.down > 0 OR o.impaired > 0 THEN 'degraded'"
                       "   WHEN o.maint > 0 THEN 'maintenance' ELSE 'operational' END,"
                       "   'components', coalesce((SELECT json_agg(json_build_object('name', comp.name,"
                       "   'status', comp.status, 'uptime_90d', (SELECT json_agg(json_build_object("
                       "   'date', to_char(days.day, 'YYYY-MM-DD'), 'uptime',"
                       "   round(100.0 * roll.ok / nullif(roll.checks, 0), 3)) ORDER BY days.day)"
                       "   FROM days LEFT JOIN roll ON roll.endpoint_id = comp.endpoint_id AND roll.day = days.day))"
                       "   ORDER BY comp.position) FROM comp), '[]'),"
                       "   'incidents', coalesce((SELECT json_agg(json_build_object('id', inc.id, 'title', inc.title,"
                       "   'status', inc.status, 'impact', inc.impact, 'started_at', monitors.iso(inc.started_at),"
                       "   'resolved_at', monitors.iso(inc.resolved_at), 'updates', (SELECT coalesce(json_agg("
                       "   json_build_object('status', u.status, 'message', u.message, 'created_at',"
                       "   monitors.iso(u.created_at)) ORDER BY u.created_at DESC, u.id DESC), '[]')"
                       "   FROM {s}.incident_updates u WHERE u.incident_id = inc.id))"
                       "   ORDER BY inc.started_at DESC, inc.id DESC) FROM inc), '[]'),"
                       "   'maintenances', coalesce((SELECT json_agg(json_build_object('title', mnt.title,"
                       "   'starts_at', monitors.iso(mnt.starts_at), 'ends_at', monitors.iso(mnt.ends_at),"
                       "   'status', CASE WHEN mnt.starts_at <= now() THEN 'active' ELSE 'scheduled' END)"
                       "   ORDER BY mnt.starts_at, mnt.id) FROM mnt), '[]'))::text FROM p, o";

static bool slug_shape(const char *slug)
{
    size_t n = strlen(slug);
    if (n < 3 || n > 60)
        return false;
    for (const char *p = slug; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return false;
    return true;
}

/* The page a slug names: its tenant (id, schema) and id into page_id, or SW_ENOTFOUND. */
static int find_slug(PGconn *db, const char *slug, struct mon_tenant *t, char *page_id,
                     size_t page_id_size)
{
    if (!slug_shape(slug))
        return SW_ENOTFOUND;
    PGresult *res = NULL;
    int rc = sw_pg_run(db, "sp_slug",
                       "SELECT page_id, tenant_id, schema_name FROM monitors.status_slugs"
                       " WHERE slug = $1",
                       1, (const char *[]){slug}, &res);
    if (rc == 0 && PQntuples(res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == 0) {
        memset(t, 0, sizeof *t);
        snprintf(page_id, page_id_size, "%s", PQgetvalue(res, 0, 0));
        snprintf(t->id, sizeof t->id, "%s", PQgetvalue(res, 0, 1));
        snprintf(t->schema, sizeof t->schema, "%s", PQgetvalue(res, 0, 2));
    }
    PQclear(res);
    return rc;
}

/*
 * The public page a slug names: its tenant, its id and one row of sql ($1
 * the page id, in the tenant's schema) into *res; 404 in the reply when the
 * slug names no public page.
 */
static int read_public(PGconn *db, struct sw_reply *reply, const char *slug, const char *name,
                       const char *sql, struct mon_tenant *t, char page_id[64], PGresult **res)
{
    int rc = find_slug(db, slug, t, page_id, 64);
    if (rc == 0)
        rc = mon_sql_read(db, t, name, sql, 1, (const char *[]){page_id}, res);
    if (rc == 0 && PQntuples(*res) == 0)
        rc = SW_ENOTFOUND;
    if (rc == SW_ENOTFOUND)
        mon_reply_not_found(reply);
    else if (rc)
        sw_reply_fail_rc(reply, rc);
    return rc;
}

void mon_public_status(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__PublicStatusRequest *req = request;
    struct mon_tenant t;
    char page_id[64];
    PGresult *res = NULL;
    if (read_public(ctx->db, reply, req->slug, "sp_public", PUBLIC_SQL, &t, page_id, &res) == 0)
        mon_sp_reply_object(reply, PQgetvalue(res, 0, 0));
    PQclear(res);
}

void mon_resolve_slug(struct sw_rpc_ctx *ctx, const void *request, struct sw_reply *reply)
{
    const Sw__Status__ResolveSlugRequest *req = request;
    struct mon_tenant t;
    char page_id[64];
    PGresult *res = NULL;
    if (read_public(ctx->db, reply, req->slug, "sp_resolve",
                    "SELECT slug, title FROM {s}.status_pages WHERE id = $1 AND public", &t,
                    page_id, &res) == 0) {
        Sw__Status__ResolveSlugReply out = SW__STATUS__RESOLVE_SLUG_REPLY__INIT;
        out.tenant_id = t.id;
        out.page_id = page_id;
        out.slug = PQgetvalue(res, 0, 0);
        out.title = PQgetvalue(res, 0, 1);
        sw_reply_body(reply, &out.base);
    }
    PQclear(res);
}
