/*
 * One tenant schema brought to the latest tenant migration: a new tenant's
 * tables (provisioning, on first use) or the migrations an older schema
 * lacks. Everything for one schema happens in one transaction under the
 * schema's advisory lock (MON_LOCK_PROVISION), with its record in
 * monitors.tenant_schemas (schema_name, tenant_id, version: the file name of
 * the last migration applied), so a schema is either at its old version or
 * at the new one, never in between, and two processes (replicas, the
 * background catch-up, sw-admin migrate) never migrate it at once.
 *
 * Versions compare as text (file names NNN_name.sql): a schema already at or
 * past the last migration of a list is current for it, so a process that
 * knows fewer migrations than the schema has leaves it alone.
 */
#ifndef MON_TENANT_SCHEMA_H
#define MON_TENANT_SCHEMA_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "sw_migrate.h"

/* The longest version (a migration's file name) a record holds. */
#define MON_TENANT_VERSION_MAX 128

struct mon_migration_list {
    const struct sw_migration *items; /* in version order */
    size_t n;
};

/* The tenant migrations embedded from tenant_migrations/. */
struct mon_migration_list mon_tenant_migration_list(void);

/* The version of the last migration of a list ("" for an empty list). */
const char *mon_migration_latest(const struct mon_migration_list *list);

/*
 * Brings `schema` (of tenant `tenant_id`) to the last migration of `list` in
 * one transaction; *applied (may be NULL) is the number of migrations run,
 * 0 when the schema was already current. A schema whose record is already
 * current costs one indexed read and no transaction.
 */
int mon_tenant_schema_migrate(PGconn *db, const char *tenant_id, const char *schema,
                              const struct mon_migration_list *list, int *applied);

/*
 * A connection for a loop over many tenant schemas (the migration workers,
 * the pruner). A backend keeps what it learnt of every relation it touched,
 * so one that visits every schema of 10,000 tenants grows by hundreds of
 * megabytes; this one is replaced after MON_SCHEMAS_PER_CONNECTION schemas.
 */
#define MON_SCHEMAS_PER_CONNECTION 500

struct mon_schema_conn {
    const char *database_url;
    PGconn *db;
    int uses;
};

/* The connection for the next schema (a new one when due); NULL if none can be opened. */
PGconn *mon_schema_conn_next(struct mon_schema_conn *c);

void mon_schema_conn_close(struct mon_schema_conn *c);

#endif
