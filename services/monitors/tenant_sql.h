/*
 * Statements on one tenant's tables, schema-qualified: "{s}" in a template
 * stands for the tenant's quoted schema, so a statement needs no search_path
 * (and no transaction to carry one).
 *
 * Reads run as prepared statements of the worker's connection, one per
 * statement and schema ("<name>_<schema>", through libcommon's
 * sw_pg_prepared.h, which keeps and bounds the set per connection): a plan
 * cached for one schema is never re-planned for another, as an unqualified
 * statement would be each time search_path changes.
 */
#ifndef MON_TENANT_SQL_H
#define MON_TENANT_SQL_H

#include <libpq-fe.h>

#include "monitors.h"

/* The longest statement a template expands to. */
#define MON_SQL_MAX_BYTES (64u << 10)

/* The template with every "{s}" replaced by the quoted schema; free() it. */
int mon_sql_expand(PGconn *db, const char *schema, const char *template, char **out);

/*
 * Runs template for the tenant as prepared statement `name` (at most 20
 * characters), preparing it on first use on this connection. Outside a
 * transaction: it is one statement in its own snapshot.
 */
int mon_sql_read(PGconn *db, const struct mon_tenant *t, const char *name, const char *template,
                 int n_params, const char *const *params, PGresult **out);

/* Runs template for the tenant unprepared (inside the caller's transaction). */
int mon_sql_query(PGconn *db, const struct mon_tenant *t, const char *template, int n_params,
                  const char *const *params, PGresult **out);

#endif
