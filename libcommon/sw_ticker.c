#include "sw_ticker.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "sw_pg.h"
#include "sw_rpc.h"
#include "sw_status.h"

struct sw_ticker {
    sw_ticker_fn *fn;
    void *arg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    long long due_ms;
    bool woken;
    bool stopping;
    PGconn *db; /* owned, or NULL */
};

/* Sets *flag under the lock and wakes the thread. */
static void raise_flag(struct sw_ticker *t, bool *flag)
{
    pthread_mutex_lock(&t->lock);
    *flag = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void *ticker_loop(void *arg)
{
    struct sw_ticker *t = arg;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        struct timespec until = {.tv_sec = (time_t)(t->due_ms / 1000),
                                 .tv_nsec = (long)(t->due_ms % 1000) * 1000000L};
        while (!t->stopping && !t->woken && sw_now_ms() < t->due_ms &&
               pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
            ;
        if (t->stopping)
            break;
        t->woken = false;
        pthread_mutex_unlock(&t->lock);
        /* A run without its database is skipped and tried again a second later. */
        long long due = t->db && sw_pg_ensure(t->db) != 0 ? sw_now_ms() + 1000 : t->fn(t, t->arg);
        pthread_mutex_lock(&t->lock);
        t->due_ms = due;
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

void sw_ticker_wake(struct sw_ticker *t) { raise_flag(t, &t->woken); }

bool sw_ticker_stopping(struct sw_ticker *t)
{
    pthread_mutex_lock(&t->lock);
    bool stopping = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return stopping;
}

void sw_ticker_stop(struct sw_ticker *t)
{
    if (!t)
        return;
    raise_flag(t, &t->stopping);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    PQfinish(t->db);
    free(t);
}

PGconn *sw_ticker_db(struct sw_ticker *t) { return t->db; }

static int start(PGconn *db, long long first_ms, sw_ticker_fn *fn, void *arg,
                 struct sw_ticker **out)
{
    struct sw_ticker *t = malloc(sizeof *t);
    if (!t) {
        PQfinish(db);
        return SW_EINTERNAL;
    }
    *t = (struct sw_ticker){.fn = fn, .arg = arg, .due_ms = first_ms, .db = db};
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    if (pthread_create(&t->thread, NULL, ticker_loop, t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        PQfinish(db);
        free(t);
        return SW_EINTERNAL;
    }
    *out = t;
    return 0;
}

int sw_ticker_start(long long first_ms, sw_ticker_fn *fn, void *arg, struct sw_ticker **out)
{
    return start(NULL, first_ms, fn, arg, out);
}

int sw_ticker_start_db(const char *database_url, long long first_ms, sw_ticker_fn *fn, void *arg,
                       struct sw_ticker **out)
{
    PGconn *db = NULL;
    int rc = sw_pg_connect(database_url, 10000, &db);
    return rc ? rc : start(db, first_ms, fn, arg, out);
}
