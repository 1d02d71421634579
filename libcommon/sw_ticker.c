#include "sw_ticker.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "sw_pg.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_thread.h"

struct sw_ticker {
    sw_ticker_fn *fn;
    void *arg;
    struct sw_thread th;
    long long due_ms;
    bool woken;
    bool stopping;
    PGconn *db; /* owned, or NULL */
};

/* Sets *flag under the lock and wakes the thread. */
static void raise_flag(struct sw_ticker *t, bool *flag)
{
    pthread_mutex_lock(&t->th.lock);
    *flag = true;
    pthread_cond_signal(&t->th.wake);
    pthread_mutex_unlock(&t->th.lock);
}

static void *ticker_loop(void *arg)
{
    struct sw_ticker *t = arg;
    pthread_mutex_lock(&t->th.lock);
    for (;;) {
        struct timespec until = {.tv_sec = (time_t)(t->due_ms / 1000),
                                 .tv_nsec = (long)(t->due_ms % 1000) * 1000000L};
        while (!t->stopping && !t->woken && sw_now_ms() < t->due_ms &&
               pthread_cond_timedwait(&t->th.wake, &t->th.lock, &until) == 0)
            ;
        if (t->stopping)
            break;
        t->woken = false;
        pthread_mutex_unlock(&t->th.lock);
        /* A run without its database is skipped and tried again a second later. */
        long long due = t->db && sw_pg_ensure(t->db) != 0 ? sw_now_ms() + 1000 : t->fn(t, t->arg);
        pthread_mutex_lock(&t->th.lock);
        t->due_ms = due;
    }
    pthread_mutex_unlock(&t->th.lock);
    return NULL;
}

void sw_ticker_wake(struct sw_ticker *t) { raise_flag(t, &t->woken); }

bool sw_ticker_stopping(struct sw_ticker *t)
{
    pthread_mutex_lock(&t->th.lock);
    bool stopping = t->stopping;
    pthread_mutex_unlock(&t->th.lock);
    return stopping;
}

void sw_ticker_stop(struct sw_ticker *t)
{
    if (!t)
        return;
    raise_flag(t, &t->stopping);
    sw_thread_join(&t->th);
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
    if (sw_thread_start(&t->th, ticker_loop, t) != 0) {
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
