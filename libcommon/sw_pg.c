#include "sw_pg.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sw_log.h"
#include "sw_random.h"
#include "sw_status.h"

/* Server notices ("relation already exists, skipping") go to the debug log. */
static void log_notice(void *arg, const char *message)
{
    (void)arg;
    sw_log_debug("postgres: %s", message);
}

int sw_pg_connect(const char *url, int wait_ms, PGconn **out)
{
    *out = NULL;
    struct timespec pause = {0, 100L * 1000 * 1000};
    for (int waited = 0;; waited += 100) {
        PGconn *db = PQconnectdb(url);
        if (db && PQstatus(db) == CONNECTION_OK) {
            PQsetNoticeProcessor(db, log_notice, NULL);
            *out = db;
            return 0;
        }
        if (waited >= wait_ms) {
            /* The message names host and database but never the password. */
            sw_log_error("database connection failed: %s",
                         db ? PQerrorMessage(db) : "out of memory");
            PQfinish(db);
            return SW_EUNAVAIL;
        }
        PQfinish(db);
        nanosleep(&pause, NULL);
    }
}

int sw_pg_ensure(PGconn *db)
{
    if (PQstatus(db) == CONNECTION_OK)
        return 0;
    PQreset(db);
    if (PQstatus(db) == CONNECTION_OK) {
        sw_log_warn("database connection re-established");
        return 0;
    }
    return SW_EUNAVAIL;
}

int sw_pg_sqlstate_error(const char *sqlstate)
{
    if (!sqlstate || strlen(sqlstate) != 5)
        return SW_EUNAVAIL; /* no SQLSTATE: the connection itself failed */
    if (strcmp(sqlstate, "23505") == 0)
        return SW_EEXISTS;
    if (strncmp(sqlstate, "22", 2) == 0 || strcmp(sqlstate, "23502") == 0 ||
        strcmp(sqlstate, "23514") == 0)
        return SW_EINVAL;
    if (strcmp(sqlstate, "23503") == 0)
        return SW_EPRECOND;
    if (strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "57", 2) == 0 ||
        strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0 ||
        strncmp(sqlstate, "53", 2) == 0)
        return SW_EUNAVAIL;
    return SW_EINTERNAL;
}

static int check_result(PGconn *db, PGresult *res, const char *sql)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return 0;
    const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int rc = sw_pg_sqlstate_error(sqlstate);
    /* Expected conflicts are the caller's business; log the rest. */
    if (rc != SW_EEXISTS) {
        char head[80];
        size_t n = strcspn(sql, "\n");
        if (n >= sizeof head)
            n = sizeof head - 1;
        memcpy(head, sql, n);
        head[n] = '\0';
        sw_log_error("query failed (%s): %s [%s]", sqlstate ? sqlstate : "-",
                     res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(db),
                     head);
    }
    return rc;
}

int sw_pg_query(PGconn *db, const char *sql, int n_params, const char *const *params,
                PGresult **out)
{
    if (out)
        *out = NULL;
    PGresult *res = PQexecParams(db, sql, n_params, NULL, params, NULL, NULL, 0);
    int rc = check_result(db, res, sql);
    if (rc == 0 && out) {
        *out = res;
        return 0;
    }
    PQclear(res);
    return rc;
}

int sw_pg_query1(PGconn *db, const char *sql, const char *param, PGresult **out)
{
    const char *params[] = {param};
    return sw_pg_query(db, sql, 1, params, out);
}

int sw_pg_prepare(PGconn *db, const char *name, const char *sql, int n_params)
{
    PGresult *res = PQprepare(db, name, sql, n_params, NULL);
    int rc = check_result(db, res, sql);
    PQclear(res);
    return rc;
}

int sw_pg_query_prepared(PGconn *db, const char *name, int n_params, const char *const *params,
                         PGresult **out)
{
    if (out)
        *out = NULL;
    PGresult *res = PQexecPrepared(db, name, n_params, params, NULL, NULL, 0);
    int rc = check_result(db, res, name);
    if (rc == 0 && out) {
        *out = res;
        return 0;
    }
    PQclear(res);
    return rc;
}

int sw_pg_exec(PGconn *db, const char *sql, int n_params, const char *const *params)
{
    return sw_pg_query(db, sql, n_params, params, NULL);
}

int sw_pg_script(PGconn *db, const char *sql)
{
    PGresult *res = PQexec(db, sql);
    int rc = check_result(db, res, "migration script");
    PQclear(res);
    return rc;
}

int sw_pg_begin(PGconn *db) { return sw_pg_exec(db, "BEGIN", 0, NULL); }
int sw_pg_commit(PGconn *db) { return sw_pg_exec(db, "COMMIT", 0, NULL); }

void sw_pg_rollback(PGconn *db)
{
    if (PQtransactionStatus(db) != PQTRANS_IDLE)
        PQclear(PQexec(db, "ROLLBACK"));
}

int sw_pg_end(PGconn *db, int rc)
{
    if (rc == 0)
        rc = sw_pg_commit(db);
    if (rc)
        sw_pg_rollback(db);
    return rc;
}

int sw_pg_quote_ident(PGconn *db, const char *ident, char **out)
{
    *out = PQescapeIdentifier(db, ident, strlen(ident));
    return *out ? 0 : SW_EINTERNAL;
}

int sw_pg_set_search_path(PGconn *db, const char *schema)
{
    char *quoted = NULL;
    int rc = sw_pg_quote_ident(db, schema, &quoted);
    if (rc)
        return rc;
    const char *params[] = {quoted};
    rc = sw_pg_exec(db, "SELECT set_config('search_path', $1, true)", 1, params);
    PQfreemem(quoted);
    return rc;
}

char *sw_pg_text_or_null(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

const char *sw_pg_text(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

bool sw_pg_bool(const PGresult *res, int row, int col)
{
    return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

int sw_pg_query_int(PGconn *db, const char *sql, int n_params, const char *const *params,
                    long long *out)
{
    PGresult *res = NULL;
    int rc = sw_pg_query(db, sql, n_params, params, &res);
    if (rc == 0)
        *out = PQntuples(res) && PQnfields(res) ? sw_pg_int(res, 0, 0) : 0;
    PQclear(res);
    return rc;
}

long long sw_pg_int(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

char *sw_pg_uuid_array(char *const *ids, size_t n)
{
    char *out = malloc(n * SW_UUID_LEN + 3);
    if (!out)
        return NULL;
    size_t pos = 0;
    out[pos++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (!sw_uuid_valid(ids[i]))
            continue;
        if (pos > 1)
            out[pos++] = ',';
        memcpy(out + pos, ids[i], SW_UUID_LEN - 1);
        pos += SW_UUID_LEN - 1;
    }
    out[pos++] = '}';
    out[pos] = '\0';
    return out;
}
