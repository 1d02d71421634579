/*
 * A deliberately cheap HTTP target for bench/checker.sh: every request gets
 * "200 ok" with Connection: close, so that the checker, not the target, is
 * what the benchmark measures.
 *
 *   target <port> [threads] [delay_ms]
 *
 * delay_ms (default 0) holds each answer that long after the request head
 * arrived, like a distant or slow site: a checker's rate is then bounded by
 * its concurrency (checks in flight / delay), not by CPU. Waiting answers
 * sit in a per-thread FIFO (every wait is the same length, so the oldest is
 * always due first) and cost nothing while they wait.
 *
 * Each thread owns its own listening socket on 127.0.0.1:<port>
 * (SO_REUSEPORT lets the kernel spread connections across them) and its own
 * epoll set, so threads share nothing. A connection is answered once its
 * request head is complete ("\r\n\r\n", possibly split across reads) and
 * closed right away; no body is read, since the checker sends none.
 *
 * Build: gcc -O2 -Wall -Wextra -o target target.c -lpthread
 */
#define _GNU_SOURCE 1 /* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define MAX_THREADS 64

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 2\r\nConnection: close\r\n\r\nok";
static const char HEAD_END[] = "\r\n\r\n";

static int port;
static int max_fd;
static long delay_ms;

/* Answers held back by delay_ms, oldest first: a ring of max_fd slots. */
struct held {
    int *fd;
    long long *due_ms;
    int head, count;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void answer(int fd)
{
    ssize_t w = write(fd, RESPONSE, sizeof RESPONSE - 1);
    (void)w;   /* a short write to a closing checker is not worth a retry */
    close(fd); /* also removes it from the epoll set */
}

/* Answers every held connection that is due; the epoll timeout until the next. */
static int answer_due(struct held *h)
{
    long long now = now_ms();
    while (h->count > 0 && h->due_ms[h->head] <= now) {
        answer(h->fd[h->head]);
        h->head = (h->head + 1) % max_fd;
        h->count--;
    }
    return h->count > 0 ? (int)(h->due_ms[h->head] - now) : -1;
}

/* Binds this thread's listener; -1 on failure. */
static int open_listener(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 4096) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Reads what arrived: 1 once the request head is complete, 0 while more is
 * to come, -1 when the peer went away or failed. `matched`
 * counts how much of "\r\n\r\n" the bytes so far end with, so a head split
 * across reads is still recognised without buffering it.
 */
static int head_complete(int fd, unsigned char *matched)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return -1;
        if (n < 0)
            return errno == EAGAIN ? 0 : -1;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == HEAD_END[*matched])
                (*matched)++;
            else
                *matched = buf[i] == '\r' ? 1 : 0;
            if (*matched == 4)
                return 1;
        }
    }
}

static void *serve(void *arg)
{
    (void)arg;
    unsigned char *matched = calloc((size_t)max_fd, 1);
    struct held held = {.fd = calloc((size_t)max_fd, sizeof(int)),
                        .due_ms = calloc((size_t)max_fd, sizeof(long long))};
    int listener = open_listener();
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!matched || !held.fd || !held.due_ms || listener < 0 || ep < 0) {
        perror("target: cannot listen");
        exit(1);
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, answer_due(&held));
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >=
                       0) {
                    if (client >= max_fd) {
                        close(client);
                        continue;
                    }
                    matched[client] = 0;
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = client};
                    epoll_ctl(ep, EPOLL_CTL_ADD, client, &cev);
                }
                continue;
            }
            int state = head_complete(fd, &matched[fd]);
            if (state == 0)
                continue;
            if (state > 0 && delay_ms > 0) { /* every fd is below max_fd: the ring has room */
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
                int tail = (held.head + held.count++) % max_fd;
                held.fd[tail] = fd;
                held.due_ms[tail] = now_ms() + delay_ms;
            } else if (state > 0) {
                answer(fd);
            } else {
                close(fd);
            }
        }
    }
    return NULL;
}

/* The value of a command-line number, or -1 when the text is not one. */
static long whole_number(const char *text)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    return end != text && *end == '\0' ? value : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <port> [threads] [delay_ms]\n", argv[0]);
        return 2;
    }
    long port_arg = whole_number(argv[1]);
    long threads = argc > 2 ? whole_number(argv[2]) : 2;
    delay_ms = argc > 3 ? whole_number(argv[3]) : 0;
    if (threads < 1 || threads > MAX_THREADS || port_arg <= 0 || port_arg > 65535 || delay_ms < 0 ||
        delay_ms > 60000) {
        fprintf(stderr, "target: bad port, thread count or delay\n");
        return 2;
    }
    port = (int)port_arg;
    signal(SIGPIPE, SIG_IGN);
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    max_fd = limit.rlim_cur > 1 << 20 ? 1 << 20 : (int)limit.rlim_cur;
    pthread_t ids[MAX_THREADS];
    for (int i = 0; i < threads; i++)
        if (pthread_create(&ids[i], NULL, serve, NULL) != 0) {
            perror("target: pthread_create");
            return 1;
        }
    pause(); /* runs until killed */
    return 0;
}
