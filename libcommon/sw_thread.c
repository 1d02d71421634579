#include "sw_thread.h"

#include "sw_status.h"

int sw_thread_start(struct sw_thread *t, void *(*fn)(void *), void *arg)
{
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    if (pthread_create(&t->thread, NULL, fn, arg) == 0)
        return 0;
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    return SW_EINTERNAL;
}

void sw_thread_join(struct sw_thread *t)
{
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
}
