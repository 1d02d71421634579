/*
 * Text files compiled into a binary (cmake's sw_embed_files): a service's
 * templates, looked up by file name. The array ends with {NULL, NULL}.
 */
#ifndef SW_EMBEDDED_H
#define SW_EMBEDDED_H

#include <stddef.h>

struct sw_embedded {
    const char *name; /* file name, e.g. "alert.html" */
    const char *text;
};

/* The text of `name` in list, or NULL. */
const char *sw_embedded_find(const struct sw_embedded *list, const char *name);

#endif
