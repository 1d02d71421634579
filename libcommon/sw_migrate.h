/*
 * Per-service SQL migrations. Each service embeds its migrations/NNN_name.sql
 * files at build time (cmake/embed_sql.cmake) as an ordered array; at start-up
 * sw_migrate_apply() takes a cluster-wide advisory lock, applies every file
 * not yet recorded in public.sw_migrations, each in its own transaction with
 * its record, and releases the lock. Several replicas starting at once apply
 * each migration exactly once.
 */
#ifndef SW_MIGRATE_H
#define SW_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

struct sw_migration {
    const char *version; /* file name, e.g. "001_users.sql" */
    const char *sql;
};

int sw_migrate_apply(PGconn *db, const char *service, const struct sw_migration *list, size_t n);

/* Counts migrations of the service not yet applied (for /health/ready/). */
int sw_migrate_pending(PGconn *db, const char *service, const struct sw_migration *list, size_t n,
                       int *pending);

#endif
