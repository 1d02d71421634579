#include "sw_shutdown.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sw_log.h"

long long sw_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watchdog_main(void *arg)
{
    long long wait_ms = (long long)(intptr_t)arg;
    struct timespec ts = {.tv_sec = (time_t)(wait_ms / 1000),
                          .tv_nsec = (long)(wait_ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
    sw_log_error("still stopping %lld ms after the signal (SW_SHUTDOWN_GRACE_MS plus %d ms): "
                 "exiting now",
                 wait_ms, SW_SHUTDOWN_MARGIN_MS);
    _exit(EXIT_FAILURE);
    return NULL;
}

void sw_shutdown_watchdog(int grace_ms)
{
    pthread_t thread;
    long long wait_ms = (long long)grace_ms + SW_SHUTDOWN_MARGIN_MS;
    if (pthread_create(&thread, NULL, watchdog_main, (void *)(intptr_t)wait_ms) == 0)
        pthread_detach(thread);
    else
        sw_log_warn("cannot start the shutdown watchdog; the stop is not bounded");
}
