/*
 * A JSON text writer for the gateway's large answers (lists of endpoints and
 * checks): values are appended to one growing buffer as they are visited,
 * with no tree of allocated nodes in between, which is what made building a
 * 50-endpoint page with jansson the gateway's largest cost. The output is
 * what jansson's JSON_COMPACT | JSON_PRESERVE_ORDER gives for the same
 * values ("/" and non-ASCII unescaped), except that a real of at most three
 * decimals is written in its shortest form (see sw_jw_real).
 *
 * The writer owns its buffer (an sw_buf; sw_jw_free); after a failure
 * (memory, SW_JW_MAX_BYTES, nesting) it ignores further writes and
 * sw_jw_text() returns NULL.
 */
#ifndef SW_JSON_WRITER_H
#define SW_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "sw_buf.h"

#define SW_JW_MAX_DEPTH 16
/* The largest answer written (500 checks are about 150 kB). */
#define SW_JW_MAX_BYTES (8u << 20)

struct sw_jw {
    struct sw_buf out;
    char pending[1024]; /* small writes gather here and go to out in blocks */
    size_t n_pending;
    bool failed;
    int depth;
    bool first[SW_JW_MAX_DEPTH]; /* no member or element yet at this level */
};

void sw_jw_init(struct sw_jw *j);
void sw_jw_free(struct sw_jw *j);

void sw_jw_object_begin(struct sw_jw *j);
void sw_jw_object_end(struct sw_jw *j);
void sw_jw_array_begin(struct sw_jw *j);
void sw_jw_array_end(struct sw_jw *j);

/* A member's key (the program's own name, written unescaped); its value follows. */
void sw_jw_key(struct sw_jw *j, const char *key);

void sw_jw_string(struct sw_jw *j, const char *text); /* NULL writes null */
void sw_jw_int(struct sw_jw *j, long long value);
void sw_jw_real(struct sw_jw *j, double value);
void sw_jw_bool(struct sw_jw *j, bool value);
void sw_jw_null(struct sw_jw *j);

/* Splices in text that is already JSON (one value). */
void sw_jw_raw(struct sw_jw *j, const char *json, size_t len);

/* The text written so far (NUL-terminated), NULL after a failure. */
const char *sw_jw_text(struct sw_jw *j, size_t *len);

/*
 * Members of an object: the key, then the value. A NULL text, or an absent
 * (has = 0) number or instant, is written as null; instants (epoch ms) as
 * ISO-8601 UTC with milliseconds.
 */
void sw_jw_field_text(struct sw_jw *j, const char *key, const char *value);
void sw_jw_field_int(struct sw_jw *j, const char *key, long long value);
void sw_jw_field_int_or_null(struct sw_jw *j, const char *key, int has, int value);
void sw_jw_field_real_or_null(struct sw_jw *j, const char *key, int has, double value);
void sw_jw_field_bool(struct sw_jw *j, const char *key, bool value);
void sw_jw_field_time_or_null(struct sw_jw *j, const char *key, int has, long long unix_ms);

#endif
