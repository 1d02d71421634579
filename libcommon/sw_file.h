/*
 * Small file helpers: read a whole (bounded) file, write a file atomically.
 */
#ifndef SW_FILE_H
#define SW_FILE_H

#include <stddef.h>

/* Reads at most max_len bytes; *out is NUL-terminated and owned by the caller (free()). */
int sw_file_read(const char *path, size_t max_len, char **out, size_t *len);

/* Writes data to path via a temporary file and rename(2), with the given mode; on failure
 * errno says why (ENOSPC when the file system is full) and no file is left behind. */
int sw_file_write_atomic(const char *path, const char *data, size_t len, unsigned mode);

/* mkdir -p with the given mode for created folders. */
int sw_mkdirs(const char *path, unsigned mode);

/* Creates the folder of an ipc:// address (no-op for other transports). */
void sw_ipc_dir_make(const char *url);

#endif
