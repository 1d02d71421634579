/*
 * Every tenant schema behind a list of tenant migrations, brought to its
 * last migration by N workers in parallel: `sw-admin migrate` (the migration
 * Job of an upgrade), and sw-monitors' background catch-up with one worker.
 *
 * The work list is the schemas monitors.tenant_schemas records at a version
 * before the list's last (a tenant never used has no tables and no record:
 * its first use provisions it at the latest version). Each worker has its
 * own connection and takes the next schema from the list; each schema is
 * migrated in its own transaction (tenant_schema.h), so a run that is killed
 * leaves every schema either done or untouched, and the next run finds only
 * the rest. A schema that fails is logged by name and counted; the others go
 * on. No statement names two schemas (the Citus rule of docs/OPERATIONS.md).
 */
#ifndef MON_TENANT_MIGRATE_ALL_H
#define MON_TENANT_MIGRATE_ALL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "tenant_schema.h"

struct mon_migrate_progress {
    long total;   /* schemas behind when the run started */
    long done;    /* of those, brought to the latest version */
    long failed;  /* of those, failed (logged) */
    long current; /* schemas already at the latest version: skipped */
    double elapsed_s;
    bool finished;
};

typedef void mon_migrate_progress_fn(void *arg, const struct mon_migrate_progress *p);

struct mon_migrate_options {
    const char *database_url;
    struct mon_migration_list migrations;
    int workers;                       /* parallel workers, each with a connection (>= 1) */
    int progress_ms;                   /* how often `progress` is called while it runs */
    mon_migrate_progress_fn *progress; /* may be NULL; called once more at the end */
    void *progress_arg;
    const atomic_bool *stop; /* may be NULL; once true, workers take no new schema */
};

/*
 * Runs the migration; *out (may be NULL) holds the final figures. 0 when
 * every schema that was behind is now current, SW_EINTERNAL when some failed
 * or the run was stopped first, SW_EUNAVAIL when the database is unreachable.
 */
int mon_migrate_all(const struct mon_migrate_options *opt, struct mon_migrate_progress *out);

/* "1200/10000 tenant schemas (12%), 250/s, ETA 35 s, 0 failed", or the summary once finished. */
void mon_migrate_format(const struct mon_migrate_progress *p, char *out, size_t size);

#endif
