/*
 * Prepared statements per connection, prepared on first use. Which statements
 * a connection holds is kept with the connection itself (libpq instance data,
 * so no table outside it), forgotten when libpq resets the connection and
 * freed with it. The set is bounded: past SW_PG_MAX_PREPARED the connection's
 * statements are deallocated in one round trip and prepared again as they
 * are used (per-tenant statements would otherwise grow without end).
 *
 * A statement with unqualified table names is re-planned by PostgreSQL each
 * time it runs under a different search_path; statements on tenant tables are
 * therefore schema-qualified and named per schema by their callers.
 */
#ifndef SW_PG_PREPARED_H
#define SW_PG_PREPARED_H

#include <libpq-fe.h>
#include <stdbool.h>

#define SW_PG_MAX_PREPARED 256
#define SW_PG_NAME_MAX 64 /* PostgreSQL's NAMEDATALEN, with the NUL */

/* Prepares sql as `name` on this connection unless it already is. */
int sw_pg_prepare_once(PGconn *db, const char *name, const char *sql, int n_params);

/* Whether `name` is prepared on this connection (as far as this module knows). */
bool sw_pg_prepared_has(PGconn *db, const char *name);

/* sw_pg_query() through prepared statement `name` (prepared from sql on first use). */
int sw_pg_run(PGconn *db, const char *name, const char *sql, int n_params,
              const char *const *params, PGresult **out);

#endif
