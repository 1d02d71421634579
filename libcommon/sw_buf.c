#include "sw_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_status.h"

/* The first allocation of a buffer that grows by appends. */
#define MIN_CAP 64

void sw_buf_init(struct sw_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    /* Room for the NUL must stay representable. */
    b->max = max < SIZE_MAX - 1 ? max : SIZE_MAX - 2;
}

void sw_buf_free(struct sw_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void sw_buf_reset(struct sw_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Reallocates to exactly `cap` bytes (cap > len). */
static int resize(struct sw_buf *b, size_t cap)
{
    char *grown = realloc(b->data, cap);
    if (!grown)
        return SW_ENOMEM;
    if (!b->data)
        grown[0] = '\0';
    b->data = grown;
    b->cap = cap;
    return 0;
}

/* Ensures room for n more bytes and the NUL, doubling so appends stay amortised O(1). */
static int grow(struct sw_buf *b, size_t n)
{
    if (n > b->max - b->len)
        return SW_EEXHAUSTED;
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    size_t limit = b->max + 1;
    size_t cap = b->cap ? b->cap : MIN_CAP;
    while (cap < need)
        cap = cap > limit / 2 ? limit : cap * 2;
    if (cap > limit)
        cap = limit;
    return resize(b, cap);
}

int sw_buf_reserve(struct sw_buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return SW_EEXHAUSTED;
    size_t need = b->len + extra + 1;
    return need <= b->cap ? 0 : resize(b, need);
}

int sw_buf_append(struct sw_buf *b, const void *bytes, size_t n)
{
    int rc = grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int sw_buf_append_str(struct sw_buf *b, const char *text)
{
    return sw_buf_append(b, text, strlen(text));
}

int sw_buf_vappendf(struct sw_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    int rc = 0;
    if (n < 0) {
        rc = SW_EINVAL;
    } else if ((size_t)n < room) {
        b->len += (size_t)n; /* it fitted; vsnprintf wrote the NUL */
    } else {
        /* Restore the terminator the truncated attempt overwrote, then grow. */
        if (room)
            b->data[b->len] = '\0';
        rc = grow(b, (size_t)n);
        if (rc == 0) {
            vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
            b->len += (size_t)n;
        }
    }
    va_end(again);
    return rc;
}

int sw_buf_appendf(struct sw_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sw_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *sw_buf_take(struct sw_buf *b, size_t *len)
{
    if (!b->data && resize(b, 1) != 0)
        return NULL;
    char *data = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return data;
}
