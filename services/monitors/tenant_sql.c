#include "tenant_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_buf.h"
#include "sw_pg.h"
#include "sw_pg_prepared.h"
#include "sw_status.h"

int mon_sql_expand(PGconn *db, const char *schema, const char *template, char **out)
{
    *out = NULL;
    char *quoted = NULL;
    int rc = sw_pg_quote_ident(db, schema, &quoted);
    if (rc)
        return rc;
    struct sw_buf sql;
    sw_buf_init(&sql, MON_SQL_MAX_BYTES);
    for (const char *p = template; rc == 0 && *p;) {
        const char *mark = strstr(p, "{s}");
        size_t n = mark ? (size_t)(mark - p) : strlen(p);
        rc = sw_buf_append(&sql, p, n);
        if (rc == 0 && mark)
            rc = sw_buf_append_str(&sql, quoted);
        p += n + (mark ? 3 : 0);
    }
    PQfreemem(quoted);
    if (rc == 0)
        *out = sw_buf_take(&sql, NULL);
    sw_buf_free(&sql);
    return *out ? 0 : SW_EINTERNAL;
}

int mon_sql_query(PGconn *db, const struct mon_tenant *t, const char *template, int n_params,
                  const char *const *params, PGresult **out)
{
    char *sql = NULL;
    int rc = mon_sql_expand(db, t->schema, template, &sql);
    if (rc == 0)
        rc = sw_pg_query(db, sql, n_params, params, out);
    free(sql);
    return rc;
}

int mon_sql_read(PGconn *db, const struct mon_tenant *t, const char *name, const char *template,
                 int n_params, const char *const *params, PGresult **out)
{
    char full[SW_PG_NAME_MAX];
    if (snprintf(full, sizeof full, "%s_%s", name, t->schema) >= (int)sizeof full)
        return mon_sql_query(db, t, template, n_params, params, out);
    /* The template is expanded only the first time on this connection. */
    if (!sw_pg_prepared_has(db, full)) {
        char *sql = NULL;
        int rc = mon_sql_expand(db, t->schema, template, &sql);
        if (rc == 0)
            rc = sw_pg_prepare_once(db, full, sql, n_params);
        free(sql);
        if (rc)
            return rc;
    }
    return sw_pg_query_prepared(db, full, n_params, params, out);
}
