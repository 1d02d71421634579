/* Helpers shared by the status-page modules (statuspage.h). */
#include "statuspage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "status.pb-c.h"
#include "sw_audit.h"
#include "sw_config.h"
#include "sw_pg.h"
#include "sw_random.h"
#include "sw_rows.h"
#include "sw_status.h"
#include "tenant_sql.h"

int mon_sp_caller_manages(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *role = ctx->env->role ? ctx->env->role : "";
    if (strcmp(role, "owner") == 0 || strcmp(role, "admin") == 0)
        return 0;
    sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                  "You do not have permission to perform this action.");
    return SW_EPERM;
}

void mon_sp_app_url(char *out, size_t size)
{
    snprintf(out, size, "%s", sw_env_str("FRONTEND_URL", "http://127.0.0.1:8080"));
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        out[--n] = '\0';
}

/* Code points of UTF-8 text. */
static size_t characters(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

bool mon_sp_text_ok(struct sw_reply *reply, const char *field, const char *value, bool required,
                    bool allow_empty, size_t max)
{
    char message[96];
    if (!value) {
        if (required)
            sw_reply_field(reply, field, "This field is required.");
        return !required;
    }
    if (!allow_empty && !value[strspn(value, " \t\r\n")]) {
        sw_reply_field(reply, field, "This field may not be blank.");
        return false;
    }
    if (characters(value) > max) {
        snprintf(message, sizeof message, "Ensure this field has no more than %zu characters.",
                 max);
        sw_reply_field(reply, field, message);
        return false;
    }
    return true;
}

bool mon_sp_choice_ok(struct sw_reply *reply, const char *field, const char *value,
                      const char *const *choices)
{
    for (size_t i = 0; value && choices[i]; i++)
        if (strcmp(value, choices[i]) == 0)
            return true;
    char message[160];
    snprintf(message, sizeof message, "\"%.60s\" is not a valid choice.", value ? value : "");
    sw_reply_field(reply, field, message);
    return false;
}

int mon_sp_endpoint_array(PGconn *db, struct sw_reply *reply, const char *field, char **ids,
                          size_t n, bool at_least_one, char **out)
{
    *out = NULL;
    if (n > MON_SP_ENDPOINTS_MAX) {
        sw_reply_field(reply, field, "At most 100 endpoints.");
        return SW_EINVAL;
    }
    if (at_least_one && n == 0) {
        sw_reply_field(reply, field, "At least one endpoint is required.");
        return SW_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(ids[i], ids[j]) == 0) {
                sw_reply_field(reply, field, "An endpoint is listed twice.");
                return SW_EINVAL;
            }
    for (size_t i = 0; i < n; i++)
        if (!sw_uuid_valid(ids[i])) {
            sw_reply_field(reply, field, "Only endpoints of your organisation may be listed.");
            return SW_EINVAL;
        }
    char *literal = sw_pg_uuid_array(ids, n);
    if (!literal)
        return SW_EINTERNAL;
    const char *params[] = {literal};
    long long found = 0;
    int rc = sw_pg_query_int(db, "SELECT count(*) FROM endpoints WHERE id = ANY($1::uuid[])", 1,
                             params, &found);
    if (rc == 0 && found != (long long)n) {
        sw_reply_field(reply, field, "Only endpoints of your organisation may be listed.");
        rc = SW_EINVAL;
    }
    if (rc)
        free(literal);
    else
        *out = literal;
    return rc;
}

int mon_sp_json(PGconn *db, const struct mon_tenant *t, const char *template, int n_params,
                const char *const *params, char **json)
{
    PGresult *res = NULL;
    *json = NULL;
    int rc = mon_sql_query(db, t, template, n_params, params, &res);
    if (rc == 0 && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        *json = strdup(PQgetvalue(res, 0, 0));
        if (!*json)
            rc = SW_EINTERNAL;
    }
    PQclear(res);
    return rc;
}

void mon_sp_reply_object(struct sw_reply *reply, const char *json)
{
    if (!json) {
        mon_reply_not_found(reply);
        return;
    }
    Sw__Status__ObjectReply out = SW__STATUS__OBJECT_REPLY__INIT;
    out.json = (char *)json;
    sw_reply_body(reply, &out.base);
}

void mon_sp_answer(struct sw_reply *reply, int rc, const char *json)
{
    if (rc == SW_ENOTFOUND)
        mon_reply_not_found(reply);
    else if (rc)
        sw_reply_fail_rc(reply, rc);
    else
        mon_sp_reply_object(reply, json);
}

int mon_sp_set_endpoints(PGconn *db, const char *link_table, const char *id_column, const char *id,
                         const char *ids_array)
{
    char del[160], ins[200];
    snprintf(del, sizeof del, "DELETE FROM %s WHERE %s = $1", link_table, id_column);
    snprintf(ins, sizeof ins, "INSERT INTO %s (%s, endpoint_id) SELECT $1, unnest($2::uuid[])",
             link_table, id_column);
    const char *params[] = {id, ids_array};
    int rc = sw_pg_exec(db, del, 1, params);
    if (rc == 0)
        rc = sw_pg_exec(db, ins, 2, params);
    return rc;
}

int mon_sp_finish(struct sw_rpc_ctx *ctx, const struct mon_tenant *t, const char *get_sql,
                  const char *target_type, const char *action, const char *id, const char *before,
                  char **after, bool evented)
{
    int rc = after ? mon_sp_json(ctx->db, t, get_sql, 1, (const char *[]){id}, after) : 0;
    if (rc == 0)
        rc = mon_sp_audit(ctx->db, ctx->env, t->id, action, target_type, id, before,
                          after ? *after : NULL);
    rc = sw_pg_end(ctx->db, rc);
    if (rc == 0 && evented)
        mon_publish_status_changed(ctx->service);
    return rc;
}

void mon_sp_reply_list(struct sw_rpc_ctx *ctx, struct sw_reply *reply, const char *name,
                       const char *template, int n_params, const char *const *params, int32_t page,
                       int32_t page_size)
{
    struct sw_rows_page p;
    if (!sw_rows_page_or_fail(page, page_size, &p, reply))
        return;
    const char *all[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < n_params && i < 2; i++)
        all[i] = params[i];
    all[n_params] = p.limit;
    all[n_params + 1] = p.offset;
    struct mon_tenant t;
    if (mon_caller_tenant(ctx, reply, &t) != 0)
        return;
    PGresult *res = NULL;
    int rc = mon_sql_read(ctx->db, &t, name, template, n_params + 2, all, &res);
    int rows = rc == 0 ? PQntuples(res) : 0;
    if (rc) {
        sw_reply_fail_rc(reply, rc);
    } else if (page > 1 && rows == 0) {
        sw_reply_fail(reply, SW_NOT_FOUND, "invalid_page", "Invalid page.");
    } else {
        char **items = calloc(rows ? (size_t)rows : 1, sizeof *items);
        Sw__Status__ListReply out = SW__STATUS__LIST_REPLY__INIT;
        if (!items) {
            sw_reply_fail_rc(reply, SW_EINTERNAL);
        } else {
            for (int i = 0; i < rows; i++)
                items[i] = PQgetvalue(res, i, 0);
            out.count = rows ? sw_pg_int(res, 0, 1) : 0;
            out.n_items = (size_t)rows;
            out.items = items;
            sw_reply_body(reply, &out.base);
        }
        free(items);
    }
    PQclear(res);
}

int mon_sp_audit(PGconn *db, const Sw__Envelope *env, const char *tenant_id, const char *action,
                 const char *target_type, const char *target_id, const char *before,
                 const char *after)
{
    return sw_audit_write(db, env,
                          &(struct sw_audit){.tenant_id = tenant_id,
                                             .actor_type = env ? NULL : "system",
                                             .action = action,
                                             .target_type = target_type,
                                             .target_id = target_id,
                                             .before = before,
                                             .after = after});
}
