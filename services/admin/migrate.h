/*
 * sw-admin migrate [--workers N] [--progress-ms MS]: the tenant-schema
 * migrations of this release, across every tenant schema, by N parallel
 * workers (SW_MIGRATE_WORKERS [4] unless --workers), each schema in its own
 * transaction (services/monitors/tenant_migrate_all.h). It first applies
 * the audit and sw-monitors migrations (the global ones, under their own
 * names, so sw-monitors sees them as its own), which the tenant migrations
 * may build on. Progress (done/total, rate, ETA) goes to standard error
 * every MS milliseconds [1000], a summary at the end. Resumable: a schema
 * already at the latest version is skipped, so a run that was killed is
 * finished by running it again.
 *
 * SW_TENANT_MIGRATIONS_DIR (tests and benchmarks only) reads the tenant
 * migrations from a folder of NNN_name.sql files instead of the set built
 * into the binary.
 */
#ifndef ADMIN_MIGRATE_H
#define ADMIN_MIGRATE_H

#include <libpq-fe.h>

/* Exit status: 0 every schema current, 1 some failed or refused, 2 usage. */
int admin_migrate(PGconn *db, const char *database_url, int argc, char **argv);

#endif
