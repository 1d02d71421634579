#include "drain.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sw_log.h"
#include "sw_shutdown.h"

/* No request for this long: whatever was accepted before the listener closed has arrived. */
#define QUIET_MS 100

/* The port fd listens on, or -1 when it is not a listening TCP socket. */
static int listening_port(int fd, int *family)
{
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
        return -1;
    struct sockaddr_storage addr;
    len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0)
        return -1;
    *family = addr.ss_family;
    if (addr.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&addr)->sin_port);
    if (addr.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return -1;
}

/* A non-blocking listening socket on a loopback ephemeral port that nobody dials. */
static int idle_listener(int family)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    socklen_t len;
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&addr;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&addr;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&addr, len) != 0 || listen(fd, 1) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void gw_stop_accepting(struct mg_context *http, struct gw_listeners *out)
{
    out->n = 0;
    struct mg_server_port ports[GW_MAX_LISTENERS];
    int n_ports = mg_get_server_ports(http, GW_MAX_LISTENERS, ports);
    struct rlimit limit;
    int max_fd = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536
                     ? (int)limit.rlim_cur
                     : 65536;
    for (int fd = 0; fd < max_fd && n_ports > 0 && out->n < GW_MAX_LISTENERS; fd++) {
        int family = 0;
        int port = listening_port(fd, &family);
        bool ours = false;
        for (int i = 0; port > 0 && i < n_ports; i++)
            ours = ours || ports[i].port == port;
        if (!ours)
            continue;
        int idle = idle_listener(family);
        shutdown(fd, SHUT_RDWR); /* the backlog is reset, the accept loop wakes up */
        if (idle >= 0) {
            dup2(idle, fd); /* closes the old socket: the port is free */
            close(idle);
        }
        out->fd[out->n++] = fd;
    }
    if (out->n == 0)
        sw_log_warn("found no listening socket to close; new connections are taken until the end");
}

/* Waits a moment (mg_stop raises its flag first thing), then wakes the accept loop. */
static void *wake_main(void *arg)
{
    const struct gw_listeners *listeners = arg;
    struct timespec pause = {0, 20L * 1000000L};
    nanosleep(&pause, NULL);
    for (int i = 0; i < listeners->n; i++)
        shutdown(listeners->fd[i], SHUT_RDWR);
    return NULL;
}

void gw_stop_http(struct mg_context *http, const struct gw_listeners *listeners)
{
    pthread_t waker;
    bool started = pthread_create(&waker, NULL, wake_main, (void *)listeners) == 0;
    mg_stop(http);
    if (started)
        pthread_join(waker, NULL);
}

int gw_wait_idle(struct gateway *gw, long long deadline_mono_ms)
{
    long long quiet_since = sw_mono_ms();
    for (;;) {
        long long now = sw_mono_ms();
        int in_flight = atomic_load(&gw->in_flight);
        if (in_flight > 0)
            quiet_since = now;
        if (now - quiet_since >= QUIET_MS || now >= deadline_mono_ms)
            return in_flight;
        struct timespec pause = {0, 5L * 1000000L};
        nanosleep(&pause, NULL);
    }
}
