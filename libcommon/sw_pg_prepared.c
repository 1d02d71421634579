#include "sw_pg_prepared.h"

#include <libpq-events.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_pg.h"
#include "sw_status.h"

#define SLOTS ((size_t)SW_PG_MAX_PREPARED * 2)

/* The names prepared on one connection: an open-addressing set. */
struct prepared_set {
    size_t n;
    char names[SLOTS][SW_PG_NAME_MAX];
};

static int on_event(PGEventId id, void *info, void *pass_through);

static struct prepared_set *set_of(PGconn *db)
{
    struct prepared_set *set = PQinstanceData(db, on_event);
    if (set)
        return set;
    if (!PQregisterEventProc(db, on_event, "sw_pg_prepared", NULL))
        return NULL;
    set = calloc(1, sizeof *set);
    if (set && !PQsetInstanceData(db, on_event, set)) {
        free(set);
        set = NULL;
    }
    return set;
}

/* A reset connection has no prepared statements; a destroyed one frees the set. */
static int on_event(PGEventId id, void *info, void *pass_through)
{
    (void)pass_through;
    if (id == PGEVT_CONNRESET || id == PGEVT_CONNDESTROY) {
        PGconn *db = id == PGEVT_CONNRESET ? ((PGEventConnReset *)info)->conn
                                           : ((PGEventConnDestroy *)info)->conn;
        struct prepared_set *set = PQinstanceData(db, on_event);
        if (set && id == PGEVT_CONNRESET) {
            memset(set, 0, sizeof *set);
        } else if (set) {
            PQsetInstanceData(db, on_event, NULL);
            free(set);
        }
    }
    return 1;
}

static size_t slot_of(const struct prepared_set *set, const char *name)
{
    size_t h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h % SLOTS;
    while (set->names[i][0] && strcmp(set->names[i], name) != 0)
        i = (i + 1) % SLOTS;
    return i;
}

/* Deallocates every statement of the set in one round trip and empties it. */
static void forget_all(PGconn *db, struct prepared_set *set)
{
    size_t size = set->n * (SW_PG_NAME_MAX + 16) + 1, pos = 0;
    char *sql = malloc(size);
    for (size_t i = 0; sql && i < SLOTS; i++)
        if (set->names[i][0])
            pos += (size_t)snprintf(sql + pos, size - pos, "DEALLOCATE \"%s\";", set->names[i]);
    if (sql && pos > 0)
        PQclear(PQexec(db, sql));
    free(sql);
    memset(set, 0, sizeof *set);
}

bool sw_pg_prepared_has(PGconn *db, const char *name)
{
    struct prepared_set *set = set_of(db);
    return set && set->names[slot_of(set, name)][0];
}

int sw_pg_prepare_once(PGconn *db, const char *name, const char *sql, int n_params)
{
    struct prepared_set *set = set_of(db);
    if (!set || strlen(name) >= SW_PG_NAME_MAX)
        return SW_EINTERNAL;
    size_t slot = slot_of(set, name);
    if (set->names[slot][0])
        return 0;
    if (set->n >= SW_PG_MAX_PREPARED) {
        forget_all(db, set);
        slot = slot_of(set, name);
    }
    int rc = sw_pg_prepare(db, name, sql, n_params);
    if (rc == 0) {
        snprintf(set->names[slot], SW_PG_NAME_MAX, "%s", name);
        set->n++;
    }
    return rc;
}

int sw_pg_run(PGconn *db, const char *name, const char *sql, int n_params,
              const char *const *params, PGresult **out)
{
    int rc = sw_pg_prepare_once(db, name, sql, n_params);
    return rc ? rc : sw_pg_query_prepared(db, name, n_params, params, out);
}
