#include "tenant_catchup.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "sw_log.h"
#include "sw_status.h"
#include "tenant_migrate_all.h"

#define CATCHUP_WORKERS 1
#define CATCHUP_PROGRESS_MS 10000

struct mon_catchup {
    pthread_t thread;
    atomic_bool stop;
    struct mon_migrate_options opt;
};

static void log_progress(void *arg, const struct mon_migrate_progress *p)
{
    (void)arg;
    if (p->total == 0)
        return;
    char line[256];
    mon_migrate_format(p, line, sizeof line);
    if (p->finished && p->failed)
        sw_log_error("tenant schema catch-up: %s", line);
    else
        sw_log_info("tenant schema catch-up: %s", line);
}

static void *run(void *arg)
{
    struct mon_catchup *c = arg;
    mon_migrate_all(&c->opt, NULL);
    return NULL;
}

int mon_catchup_start(const char *database_url, struct mon_catchup **out)
{
    *out = NULL;
    struct mon_catchup *c = calloc(1, sizeof *c);
    if (!c)
        return SW_EINTERNAL;
    atomic_init(&c->stop, false);
    c->opt = (struct mon_migrate_options){
        .database_url = database_url,
        .migrations = mon_tenant_migration_list(),
        .workers = CATCHUP_WORKERS,
        .progress_ms = CATCHUP_PROGRESS_MS,
        .progress = log_progress,
        .stop = &c->stop,
    };
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        free(c);
        return SW_EINTERNAL;
    }
    *out = c;
    return 0;
}

void mon_catchup_stop(struct mon_catchup *c)
{
    if (!c)
        return;
    atomic_store(&c->stop, true);
    pthread_join(c->thread, NULL);
    free(c);
}
