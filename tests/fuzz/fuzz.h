/*
 * What the fuzz targets share: the libFuzzer entry point's prototype, a
 * check that aborts (a crash libFuzzer keeps) when a property does not hold,
 * and the cutting of an input into NUL-terminated lines.
 */
#ifndef SW_FUZZ_H
#define SW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/*
 * Copies data into a new NUL-terminated buffer (the caller frees it) and
 * points lines[0..max) at its first lines ('\n' becomes NUL; a NUL byte in
 * the input ends its line early, as it would in a C string). Lines past the
 * input are "". Returns the number of lines the input had, at most max;
 * the last one holds the rest of the input, newlines included.
 */
static inline char *fuzz_lines(const uint8_t *data, size_t size, const char **lines, size_t max,
                               size_t *n)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *p = copy;
    *n = 0;
    for (size_t i = 0; i < max; i++) {
        lines[i] = p;
        if (p < copy + size)
            *n = i + 1;
        char *nl = i + 1 < max ? memchr(p, '\n', (size_t)(copy + size - p)) : NULL;
        if (nl) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p = copy + size; /* the remaining lines are "" */
        }
    }
    return copy;
}

#endif
