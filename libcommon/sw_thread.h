/*
 * A background thread that sleeps on a condition: its lock and condition are
 * initialised with it and destroyed with it (sw_ticker, sw_sentry's sender).
 */
#ifndef SW_THREAD_H
#define SW_THREAD_H

#include <pthread.h>

struct sw_thread {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/* Initialises the lock and condition and starts fn(arg); on failure nothing is left. */
int sw_thread_start(struct sw_thread *t, void *(*fn)(void *), void *arg);

/* Waits for the thread to end (the caller has told it to), then destroys the lock and condition. */
void sw_thread_join(struct sw_thread *t);

#endif
