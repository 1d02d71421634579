/*
 * PostgreSQL helpers on top of libpq. Queries are always parameterised (text
 * parameters, PQexecParams); a failed query's SQLSTATE becomes a status code
 * (unique violation → SW_EEXISTS, bad input → SW_EINVAL, connection trouble →
 * SW_EUNAVAIL, anything else → SW_EINTERNAL) and is logged without its
 * parameters. The caller owns every PGresult it receives and PQclear()s it.
 * A PGconn belongs to exactly one thread (one per RPC worker).
 */
#ifndef SW_PG_H
#define SW_PG_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* Opens a connection, waiting up to wait_ms for the server to come up. */
int sw_pg_connect(const char *url, int wait_ms, PGconn **out);

/* Re-establishes a broken connection; 0 if the connection is usable. */
int sw_pg_ensure(PGconn *db);

/*
 * Runs a parameterised statement. On success *out (if out is non-NULL) holds
 * the result, which the caller clears. On failure nothing is returned.
 */
int sw_pg_query(PGconn *db, const char *sql, int n_params, const char *const *params,
                PGresult **out);

/* sw_pg_query() of a statement with one parameter ($1). */
int sw_pg_query1(PGconn *db, const char *sql, const char *param, PGresult **out);

/*
 * Prepares a statement for the rest of the session (a rollback does not undo
 * it). Unqualified names must resolve with the current search_path; later
 * executions look them up again under the search_path in force then.
 */
int sw_pg_prepare(PGconn *db, const char *name, const char *sql, int n_params);

/* Runs a statement prepared with sw_pg_prepare(), like sw_pg_query(). */
int sw_pg_query_prepared(PGconn *db, const char *name, int n_params, const char *const *params,
                         PGresult **out);

/* Like sw_pg_query() for a statement of one value (a count): *out, 0 for NULL. */
int sw_pg_query_int(PGconn *db, const char *sql, int n_params, const char *const *params,
                    long long *out);

/* Like sw_pg_query() for statements whose result is not needed. */
int sw_pg_exec(PGconn *db, const char *sql, int n_params, const char *const *params);

/* Runs a script of several statements without parameters (migrations only). */
int sw_pg_script(PGconn *db, const char *sql);

int sw_pg_begin(PGconn *db);
int sw_pg_commit(PGconn *db);
/* Rolls back; safe to call when no transaction is open. */
void sw_pg_rollback(PGconn *db);
/*
 * Ends the transaction as rc, the outcome of the work in it, says: commits
 * when rc is 0, rolls back otherwise (also after a failed commit). Returns
 * the outcome: rc, or the commit's error.
 */
int sw_pg_end(PGconn *db, int rc);

/*
 * Quotes an identifier (a schema name) for use in SQL text. *out is freed by
 * the caller with PQfreemem().
 */
int sw_pg_quote_ident(PGconn *db, const char *ident, char **out);

/* Sets search_path for the current transaction only to the tenant schema. */
int sw_pg_set_search_path(PGconn *db, const char *schema);

/* Maps a SQLSTATE to a negative SW_E… code. */
int sw_pg_sqlstate_error(const char *sqlstate);

/* Value of row/column as a string, "" for NULL; never NULL. */
const char *sw_pg_text(const PGresult *res, int row, int col);
/* Value of row/column as a string, NULL for SQL NULL (an optional proto field). */
char *sw_pg_text_or_null(const PGresult *res, int row, int col);
bool sw_pg_bool(const PGresult *res, int row, int col);
long long sw_pg_int(const PGresult *res, int row, int col);

/*
 * The ids that are UUIDs as a PostgreSQL uuid[] literal ("{…,…}", for a
 * "$1::uuid[]" parameter); the others are left out. NULL when out of memory;
 * the caller free()s it.
 */
char *sw_pg_uuid_array(char *const *ids, size_t n);

#endif
