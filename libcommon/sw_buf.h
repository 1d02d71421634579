/*
 * A growable byte buffer with a ceiling, modelled on curl's dynbuf
 * (lib/dynbuf.h): the one type for anything that grows from network input —
 * a request body, a third party's answer, a rendered page. The caller names
 * the most it will hold when it initialises the buffer, so a peer that sends
 * more gets an error code instead of the process's memory.
 *
 * Ownership: a struct sw_buf (usually on the caller's stack or inside
 * another struct) owns `data` from the first append until sw_buf_free(), or
 * until sw_buf_take() hands the bytes to the caller, who then frees them with
 * free(). The struct itself is never allocated by this module. The contents
 * are always NUL-terminated once anything has been allocated, so text can be
 * used as a C string; binary data may contain NULs, `len` is the length.
 *
 * Every function that can fail is all-or-nothing: on failure the buffer
 * holds exactly what it held before. SW_EEXHAUSTED means the contents would
 * exceed `max`; SW_ENOMEM that memory ran out. Not thread-safe: one owner
 * at a time.
 */
#ifndef SW_BUF_H
#define SW_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sw_buf {
    char *data; /* NULL until the first byte (or a reservation); read-only for callers */
    size_t len; /* bytes held, not counting the terminating NUL; read-only */
    size_t cap; /* bytes allocated (len + 1 at least, once allocated) */
    size_t max; /* the most `len` may reach */
};

/* Prepares an empty buffer that will hold at most `max` bytes. Allocates nothing. */
void sw_buf_init(struct sw_buf *b, size_t max);

/* Releases the memory; the buffer is empty again (same max) and may be reused. */
void sw_buf_free(struct sw_buf *b);

/* Forgets the contents but keeps the allocation, for a buffer used in a loop. */
void sw_buf_reset(struct sw_buf *b);

/*
 * Makes room for `extra` more bytes without changing the contents, allocating
 * exactly what is needed (no doubling): for when the final size is known, such
 * as a body's Content-Length. SW_EEXHAUSTED when len + extra > max.
 */
int sw_buf_reserve(struct sw_buf *b, size_t extra);

/* Appends `n` bytes. */
int sw_buf_append(struct sw_buf *b, const void *bytes, size_t n);

/* Appends a NUL-terminated string (without its NUL). */
int sw_buf_append_str(struct sw_buf *b, const char *text);

/* Appends printf-formatted text. SW_EINVAL when the format itself fails. */
int sw_buf_appendf(struct sw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sw_buf_vappendf(struct sw_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Hands the contents to the caller (free() them) and leaves the buffer empty.
 * An empty buffer gives an allocated "". NULL only when memory ran out.
 * *len (may be NULL) receives the length.
 */
char *sw_buf_take(struct sw_buf *b, size_t *len);

#endif
