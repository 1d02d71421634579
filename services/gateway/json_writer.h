/*
 * A JSON text writer for the gateway's large answers (lists of endpoints and
 * checks): values are appended to one growing buffer as they are visited,
 * with no tree of allocated nodes in between, which is what made building a
 * 50-endpoint page with jansson the gateway's largest cost. The output is
 * what jansson's JSON_COMPACT | JSON_PRESERVE_ORDER gives for the same
 * values ("/" and non-ASCII unescaped), except that a real of at most three
 * decimals is written in its shortest form (see gw_jw_real).
 *
 * The writer owns its buffer (an sw_buf; gw_jw_free); after a failure
 * (memory, GW_JW_MAX_BYTES, nesting) it ignores further writes and
 * gw_jw_text() returns NULL.
 */
#ifndef GW_JSON_WRITER_H
#define GW_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_buf.h"

#define GW_JW_MAX_DEPTH 16
/* The largest answer written (500 checks are about 150 kB). */
#define GW_JW_MAX_BYTES (8u << 20)

struct gw_jw {
    struct sw_buf out;
    char pending[1024]; /* small writes gather here and go to out in blocks */
    size_t n_pending;
    bool failed;
    int depth;
    bool first[GW_JW_MAX_DEPTH]; /* no member or element yet at this level */
};

void gw_jw_init(struct gw_jw *j);
void gw_jw_free(struct gw_jw *j);

void gw_jw_object_begin(struct gw_jw *j);
void gw_jw_object_end(struct gw_jw *j);
void gw_jw_array_begin(struct gw_jw *j);
void gw_jw_array_end(struct gw_jw *j);

/* A member's key (the program's own name, written unescaped); its value follows. */
void gw_jw_key(struct gw_jw *j, const char *key);

void gw_jw_string(struct gw_jw *j, const char *text); /* NULL writes null */
void gw_jw_int(struct gw_jw *j, long long value);
void gw_jw_real(struct gw_jw *j, double value);
void gw_jw_bool(struct gw_jw *j, bool value);
void gw_jw_null(struct gw_jw *j);

/* Splices in text that is already JSON (one value). */
void gw_jw_raw(struct gw_jw *j, const char *json, size_t len);

/* The text written so far (NUL-terminated), NULL after a failure. */
const char *gw_jw_text(struct gw_jw *j, size_t *len);

#endif
