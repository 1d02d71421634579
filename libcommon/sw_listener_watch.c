#include "sw_listener_watch.h"

#include <assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The kernel's state codes in /proc/net/unix and /proc/net/tcp. */
#define UNIX_CONNECTING 2 /* in the listen backlog, not accepted yet */
#define UNIX_CONNECTED 3
#define TCP_ESTABLISHED 0x01
#define TCP_CLOSE_WAIT 0x08 /* the peer closed; nng has not closed its side */

/* At most this many connections of one listener are looked at. */
#define MAX_CONNS 1024

/* Splits line at blanks into at most max fields (in place); returns how many. */
static int fields_of(char *line, char **fields, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, " \t\n", &save); tok && n < max;
         tok = strtok_r(NULL, " \t\n", &save))
        fields[n++] = tok;
    return n;
}

/* An unsigned number in `base` filling all of text (up to `stop`, if given); false if not. */
static bool number_of(const char *text, int base, char stop, unsigned long *out)
{
    char *end = NULL;
    *out = strtoul(text, &end, base);
    return end != text && *end == stop;
}

/* Inodes of the server-side sockets bound to `path`: accepted or in the backlog; -1: unknown. */
static int unix_conns(const char *path, unsigned long *inodes, int max)
{
    FILE *f = fopen("/proc/net/unix", "r");
    if (!f)
        return -1;
    char line[1200];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        /* Num: RefCount Protocol Flags Type St Inode Path */
        char *field[8];
        unsigned long state = 0, inode = 0;
        if (fields_of(line, field, 8) == 8 && strcmp(field[7], path) == 0 &&
            number_of(field[5], 16, '\0', &state) && number_of(field[6], 10, '\0', &inode) &&
            (state == UNIX_CONNECTING || state == UNIX_CONNECTED))
            inodes[n++] = inode;
    }
    fclose(f);
    return n;
}

/* Inodes of open connections whose local port is `port`, from /proc/net/tcp or tcp6. */
static int tcp_conns_in(const char *table, unsigned long port, unsigned long *inodes, int max)
{
    FILE *f = fopen(table, "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        /* sl local_address:port rem_address:port st tx:rx tr:when retransmits uid timeout inode */
        char *field[10];
        unsigned long local_port = 0, state = 0, inode = 0;
        const char *colon = NULL;
        if (fields_of(line, field, 10) == 10 && (colon = strchr(field[1], ':')) != NULL &&
            number_of(colon + 1, 16, '\0', &local_port) && number_of(field[3], 16, '\0', &state) &&
            number_of(field[9], 10, '\0', &inode) && local_port == port &&
            (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT))
            inodes[n++] = inode;
    }
    fclose(f);
    return n;
}

/* The inodes of the kernel's server-side connections to url's address; -1 if unknown. */
static int kernel_conns(const char *url, unsigned long *inodes, int max)
{
    if (strncmp(url, "ipc://", 6) == 0)
        return unix_conns(url + 6, inodes, max);
    const char *scheme_end = strstr(url, "://");
    const char *tcp = strstr(url, "tcp");
    if (!scheme_end || !tcp || tcp > scheme_end)
        return -1; /* inproc:// and others: nothing the kernel shows */
    const char *colon = strrchr(scheme_end + 3, ':');
    char *end = NULL;
    unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
    if (!colon || end == colon + 1 || port == 0 || port > 65535)
        return -1;
    int v4 = tcp_conns_in("/proc/net/tcp", port, inodes, max);
    int v6 =
        tcp_conns_in("/proc/net/tcp6", port, inodes + (v4 > 0 ? v4 : 0), max - (v4 > 0 ? v4 : 0));
    if (v4 < 0 && v6 < 0)
        return -1;
    return (v4 > 0 ? v4 : 0) + (v6 > 0 ? v6 : 0);
}

int sw_listener_kernel_conns(const char *url)
{
    static_assert(MAX_CONNS > 0, "MAX_CONNS");
    unsigned long *inodes = malloc(MAX_CONNS * sizeof *inodes);
    if (!inodes)
        return -1;
    int n = kernel_conns(url, inodes, MAX_CONNS);
    free(inodes);
    return n;
}

int sw_listener_drop_parked(const char *url)
{
    unsigned long *inodes = malloc(MAX_CONNS * sizeof *inodes);
    int n = inodes ? kernel_conns(url, inodes, MAX_CONNS) : -1;
    DIR *fds = n > 0 ? opendir("/proc/self/fd") : NULL;
    int devnull = fds ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
    int dropped = 0;
    for (struct dirent *e; devnull >= 0 && (e = readdir(fds)) != NULL;) {
        char link[300], target[64];
        unsigned long fd = 0, inode = 0;
        if (!number_of(e->d_name, 10, '\0', &fd))
            continue; /* "." and ".." */
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = '\0';
        if (strncmp(target, "socket:[", 8) != 0 || !number_of(target + 8, 10, ']', &inode))
            continue;
        for (int i = 0; i < n; i++)
            if (inodes[i] == inode && dup2(devnull, (int)fd) == (int)fd) {
                dropped++;
                break;
            }
    }
    if (devnull >= 0)
        close(devnull);
    if (fds)
        closedir(fds);
    free(inodes);
    return dropped;
}

bool sw_listener_stuck(struct sw_listener_watch *watch, const char *url, uint64_t pipes,
                       uint64_t accepted, long long now_ms)
{
    int conns = sw_listener_kernel_conns(url);
    if (conns < 0 || (uint64_t)conns <= pipes) {
        watch->waiting_since_ms = 0;
        return false;
    }
    /* Someone waits. Stuck only if nothing was accepted since the wait began. */
    if (watch->waiting_since_ms == 0 || accepted != watch->accepted) {
        watch->waiting_since_ms = now_ms;
        watch->accepted = accepted;
        return false;
    }
    if (now_ms - watch->waiting_since_ms < SW_LISTENER_STUCK_MS)
        return false;
    watch->waiting_since_ms = 0;
    return true;
}
