#include "tenant_migrate_all.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sw_log.h"
#include "sw_pg.h"
#include "sw_status.h"

struct schema_ref {
    char tenant_id[40];
    char schema[40];
};

struct run {
    const struct mon_migrate_options *opt;
    struct schema_ref *schemas;
    long total;
    atomic_long next, done, failed;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int running; /* workers not yet finished (under lock) */
    int status;  /* the first connection failure of a worker (under lock) */
};

static bool stopping(const struct run *r) { return r->opt->stop && atomic_load(r->opt->stop); }

static void worker_finished(struct run *r, int rc)
{
    pthread_mutex_lock(&r->lock);
    r->running--;
    if (rc && !r->status)
        r->status = rc;
    pthread_cond_signal(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg)
{
    struct run *r = arg;
    struct mon_schema_conn conn = {.database_url = r->opt->database_url};
    int rc = 0;
    while (!stopping(r)) {
        long i = atomic_fetch_add(&r->next, 1);
        if (i >= r->total)
            break;
        PGconn *db = mon_schema_conn_next(&conn);
        if (!db) {
            rc = SW_EUNAVAIL;
            atomic_fetch_add(&r->failed, 1);
            break;
        }
        const struct schema_ref *s = &r->schemas[i];
        if (mon_tenant_schema_migrate(db, s->tenant_id, s->schema, &r->opt->migrations, NULL) ==
            0) {
            atomic_fetch_add(&r->done, 1);
        } else {
            atomic_fetch_add(&r->failed, 1);
            sw_log_error("tenant schema %s: migration to %s failed", s->schema,
                         mon_migration_latest(&r->opt->migrations));
        }
    }
    mon_schema_conn_close(&conn);
    worker_finished(r, rc);
    return NULL;
}

/* The schemas behind the list's last migration, and how many are current. */
static int list_behind(PGconn *db, const char *latest, struct run *r, long *current)
{
    PGresult *res = NULL;
    long long n_current = 0;
    const char *params[] = {latest};
    int rc = sw_pg_query_int(db, "SELECT count(*) FROM monitors.tenant_schemas WHERE version >= $1",
                             1, params, &n_current);
    if (rc == 0)
        rc = sw_pg_query1(db,
                          "SELECT tenant_id, schema_name FROM monitors.tenant_schemas"
                          " WHERE version < $1 ORDER BY schema_name",
                          latest, &res);
    if (rc == 0) {
        r->total = PQntuples(res);
        r->schemas = calloc((size_t)r->total + 1, sizeof *r->schemas);
        if (!r->schemas)
            rc = SW_EINTERNAL;
    }
    for (long i = 0; rc == 0 && i < r->total; i++) {
        snprintf(r->schemas[i].tenant_id, sizeof r->schemas[i].tenant_id, "%s",
                 PQgetvalue(res, (int)i, 0));
        snprintf(r->schemas[i].schema, sizeof r->schemas[i].schema, "%s",
                 PQgetvalue(res, (int)i, 1));
    }
    PQclear(res);
    *current = (long)n_current;
    return rc;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void snapshot(struct run *r, long current, const struct timespec *t0, bool finished,
                     struct mon_migrate_progress *p)
{
    p->total = r->total;
    p->done = atomic_load(&r->done);
    p->failed = atomic_load(&r->failed);
    p->current = current;
    p->elapsed_s = seconds_since(t0);
    p->finished = finished;
}

/* Until every worker is finished: a progress report every progress_ms. */
static void watch(struct run *r, long current, const struct timespec *t0)
{
    const struct mon_migrate_options *opt = r->opt;
    pthread_mutex_lock(&r->lock);
    while (r->running > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long long ns = until.tv_nsec + (long long)opt->progress_ms * 1000000LL;
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
        int wait_rc = 0;
        while (r->running > 0 && wait_rc != ETIMEDOUT)
            wait_rc = pthread_cond_timedwait(&r->changed, &r->lock, &until);
        if (r->running > 0 && opt->progress) {
            struct mon_migrate_progress p;
            snapshot(r, current, t0, false, &p);
            pthread_mutex_unlock(&r->lock);
            opt->progress(opt->progress_arg, &p);
            pthread_mutex_lock(&r->lock);
        }
    }
    pthread_mutex_unlock(&r->lock);
}

static int run_workers(struct run *r, long current, const struct timespec *t0)
{
    int n = r->opt->workers < 1 ? 1 : r->opt->workers;
    if (n > r->total)
        n = (int)r->total;
    pthread_t *threads = calloc((size_t)n + 1, sizeof *threads);
    if (!threads)
        return SW_EINTERNAL;
    int started = 0;
    pthread_mutex_lock(&r->lock);
    for (; started < n; started++) {
        if (pthread_create(&threads[started], NULL, worker, r) != 0)
            break;
        r->running++;
    }
    pthread_mutex_unlock(&r->lock);
    if (started > 0)
        watch(r, current, t0);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    return started > 0 ? 0 : SW_EINTERNAL;
}

int mon_migrate_all(const struct mon_migrate_options *opt, struct mon_migrate_progress *out)
{
    struct run r = {.opt = opt};
    atomic_init(&r.next, 0);
    atomic_init(&r.done, 0);
    atomic_init(&r.failed, 0);
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long current = 0;
    struct mon_schema_conn conn = {.database_url = opt->database_url};
    PGconn *db = mon_schema_conn_next(&conn);
    int rc = db ? list_behind(db, mon_migration_latest(&opt->migrations), &r, &current)
                : SW_EUNAVAIL;
    mon_schema_conn_close(&conn);
    if (rc == 0 && r.total > 0)
        rc = run_workers(&r, current, &t0);
    struct mon_migrate_progress last;
    snapshot(&r, current, &t0, true, &last);
    if (rc == 0 && last.done < last.total)
        rc = r.status ? r.status : SW_EINTERNAL;
    if (opt->progress)
        opt->progress(opt->progress_arg, &last);
    if (out)
        *out = last;
    free(r.schemas);
    pthread_cond_destroy(&r.changed);
    pthread_mutex_destroy(&r.lock);
    return rc;
}

void mon_migrate_format(const struct mon_migrate_progress *p, char *out, size_t size)
{
    double rate = p->elapsed_s > 0 ? (double)(p->done + p->failed) / p->elapsed_s : 0;
    if (p->finished && p->total == 0) {
        snprintf(out, size, "nothing to migrate, %ld tenant schemas already current", p->current);
        return;
    }
    if (p->finished) {
        snprintf(out, size,
                 "%ld/%ld tenant schemas migrated in %.1f s (%.0f/s), %ld failed,"
                 " %ld already current",
                 p->done, p->total, p->elapsed_s, rate, p->failed, p->current);
        return;
    }
    long left = p->total - p->done - p->failed;
    double pct = p->total ? 100.0 * (double)(p->done + p->failed) / (double)p->total : 100.0;
    if (rate > 0)
        snprintf(out, size, "%ld/%ld tenant schemas (%.0f%%), %.0f/s, ETA %.0f s, %ld failed",
                 p->done, p->total, pct, rate, (double)left / rate, p->failed);
    else
        snprintf(out, size, "%ld/%ld tenant schemas (%.0f%%), 0/s, ETA unknown, %ld failed",
                 p->done, p->total, pct, p->failed);
}
