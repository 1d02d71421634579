#include "sw_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sw_status.h"

int sw_file_read(const char *path, size_t max_len, char **out, size_t *len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return SW_ENOTFOUND;
    char *buf = malloc(max_len + 1);
    int rc = buf ? 0 : SW_EINTERNAL;
    size_t n = 0;
    if (rc == 0) {
        n = fread(buf, 1, max_len + 1, f);
        if (ferror(f) || n > max_len)
            rc = SW_EINVAL;
    }
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return 0;
}

int sw_file_write_atomic(const char *path, const char *data, size_t len, unsigned mode)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return SW_EINVAL;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, (mode_t)mode);
    if (fd < 0)
        return SW_EINTERNAL;
    ssize_t written = write(fd, data, len);
    int rc = (written == (ssize_t)len && fsync(fd) == 0) ? 0 : SW_EINTERNAL;
    int err = rc ? (written >= 0 && written < (ssize_t)len ? ENOSPC : errno) : 0;
    if (close(fd) != 0 && rc == 0) {
        err = errno;
        rc = SW_EINTERNAL;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        err = errno;
        rc = SW_EINTERNAL;
    }
    if (rc) {
        unlink(tmp);
        errno = err; /* the cause, for the caller's message (a full disk: ENOSPC) */
    }
    return rc;
}

int sw_mkdirs(const char *path, unsigned mode)
{
    char buf[4096];
    if ((size_t)snprintf(buf, sizeof buf, "%s", path) >= sizeof buf)
        return SW_EINVAL;
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
                return SW_EINTERNAL;
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
    return 0;
}

void sw_ipc_dir_make(const char *url)
{
    if (strncmp(url, "ipc://", 6) != 0)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s", url + 6);
    char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return;
    *slash = '\0';
    sw_mkdirs(path, 0700);
}
