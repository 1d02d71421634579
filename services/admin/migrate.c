#include "migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_audit.h"
#include "sw_config.h"
#include "sw_file.h"
#include "sw_log.h"
#include "sw_migrate.h"
#include "sw_status.h"
#include "tenant_migrate_all.h"
#include "tenant_schema.h"

extern const struct sw_migration monitors_migrations[];
extern const size_t monitors_migrations_count;

#define MIGRATION_FILE_MAX (1u << 20)
#define MIGRATIONS_MAX 1000
#define DEFAULT_PROGRESS_MS 1000

/* Migrations read from a folder (SW_TENANT_MIGRATIONS_DIR): names and texts owned here. */
struct loaded {
    struct sw_migration *items;
    size_t n;
};

static void loaded_free(struct loaded *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->items[i].version);
        free((char *)l->items[i].sql);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int by_version(const void *a, const void *b)
{
    return strcmp(((const struct sw_migration *)a)->version,
                  ((const struct sw_migration *)b)->version);
}

static bool is_sql_file(const char *name)
{
    size_t len = strlen(name);
    return name[0] != '.' && len > 4 && strcmp(name + len - 4, ".sql") == 0;
}

static int load_one(const char *dir, const char *name, struct sw_migration *out)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return SW_EINVAL;
    char *sql = NULL;
    int rc = sw_file_read(path, MIGRATION_FILE_MAX, &sql, NULL);
    char *version = rc == 0 ? strdup(name) : NULL;
    if (rc == 0 && !version)
        rc = SW_EINTERNAL;
    if (rc) {
        free(sql);
        return rc;
    }
    *out = (struct sw_migration){version, sql};
    return 0;
}

static int load_dir(const char *dir, struct loaded *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return SW_ENOTFOUND;
    out->items = calloc(MIGRATIONS_MAX, sizeof *out->items);
    int rc = out->items ? 0 : SW_EINTERNAL;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!is_sql_file(e->d_name))
            continue;
        if (out->n == MIGRATIONS_MAX)
            rc = SW_EINVAL;
        else if ((rc = load_one(dir, e->d_name, &out->items[out->n])) == 0)
            out->n++;
    }
    closedir(d);
    if (rc == 0)
        qsort(out->items, out->n, sizeof *out->items, by_version);
    else
        loaded_free(out);
    return rc;
}

static int usage(void)
{
    fputs("usage: sw-admin migrate [--workers N] [--progress-ms MS]\n", stderr);
    return 2;
}

static bool parse_int(const char *text, int min, int max, int *out)
{
    char *end = NULL;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || end == text || *end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static void print_progress(void *arg, const struct mon_migrate_progress *p)
{
    (void)arg;
    char line[256];
    mon_migrate_format(p, line, sizeof line);
    fprintf(stderr, "sw-admin migrate: %s\n", line);
}

static int run(const char *database_url, struct mon_migration_list list, int workers,
               int progress_ms)
{
    fprintf(stderr, "sw-admin migrate: tenant schemas to %s, %d worker%s\n",
            mon_migration_latest(&list), workers, workers == 1 ? "" : "s");
    const struct mon_migrate_options opt = {
        .database_url = database_url,
        .migrations = list,
        .workers = workers,
        .progress_ms = progress_ms,
        .progress = print_progress,
    };
    struct mon_migrate_progress last;
    int rc = mon_migrate_all(&opt, &last);
    if (rc == SW_EUNAVAIL)
        fputs("sw-admin migrate: the database is not reachable\n", stderr);
    return rc == 0 ? 0 : 1;
}

int admin_migrate(PGconn *db, const char *database_url, int argc, char **argv)
{
    int workers = 0, progress_ms = DEFAULT_PROGRESS_MS;
    if (sw_env_int("SW_MIGRATE_WORKERS", 4, 1, 64, &workers) != 0)
        return 1;
    for (int i = 2; i < argc; i += 2) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--workers") == 0 && parse_int(value, 1, 64, &workers))
            continue;
        if (strcmp(argv[i], "--progress-ms") == 0 && parse_int(value, 10, 600000, &progress_ms))
            continue;
        return usage();
    }
    if (sw_migrate_apply(db, "audit", sw_audit_migrations, sw_audit_migrations_count) != 0 ||
        sw_migrate_apply(db, "monitors", monitors_migrations, monitors_migrations_count) != 0) {
        fputs("sw-admin migrate: sw-monitors' migrations could not be applied\n", stderr);
        return 1;
    }
    const char *dir = sw_env_str("SW_TENANT_MIGRATIONS_DIR", "");
    if (!*dir)
        return run(database_url, mon_tenant_migration_list(), workers, progress_ms);
    struct loaded loaded = {0};
    if (load_dir(dir, &loaded) != 0 || loaded.n == 0) {
        fprintf(stderr, "sw-admin migrate: no migrations could be read from %s\n", dir);
        return 1;
    }
    int status = run(database_url, (struct mon_migration_list){loaded.items, loaded.n}, workers,
                     progress_ms);
    loaded_free(&loaded);
    return status;
}
