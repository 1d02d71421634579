#include "sw_json_writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_time.h"

/* Most answers fit at once: a page of 20 endpoints is about 12 kB. */
#define FIRST_SIZE 16384

void sw_jw_init(struct sw_jw *j)
{
    memset(j, 0, sizeof *j);
    sw_buf_init(&j->out, SW_JW_MAX_BYTES);
    j->failed = sw_buf_reserve(&j->out, FIRST_SIZE) != 0;
    j->first[0] = true;
}

void sw_jw_free(struct sw_jw *j)
{
    sw_buf_free(&j->out);
    memset(j, 0, sizeof *j);
}

static void flush(struct sw_jw *j)
{
    if (j->n_pending && !j->failed && sw_buf_append(&j->out, j->pending, j->n_pending) != 0)
        j->failed = true;
    j->n_pending = 0;
}

static void put(struct sw_jw *j, const char *bytes, size_t n)
{
    if (j->n_pending + n > sizeof j->pending)
        flush(j);
    if (n > sizeof j->pending) {
        if (!j->failed && sw_buf_append(&j->out, bytes, n) != 0)
            j->failed = true;
        return;
    }
    memcpy(j->pending + j->n_pending, bytes, n);
    j->n_pending += n;
}

/*
 * The comma before a value or a key, unless it is the first at its level or
 * the value of the key just written (sw_jw_key marks the level "first").
 */
static void before_value(struct sw_jw *j)
{
    if (!j->first[j->depth])
        put(j, ",", 1);
    j->first[j->depth] = false;
}

static void open_level(struct sw_jw *j, char bracket)
{
    before_value(j);
    put(j, &bracket, 1);
    if (j->depth + 1 >= SW_JW_MAX_DEPTH) {
        j->failed = true;
        return;
    }
    j->first[++j->depth] = true;
}

static void close_level(struct sw_jw *j, char bracket)
{
    if (j->depth > 0)
        j->depth--;
    put(j, &bracket, 1);
}

void sw_jw_object_begin(struct sw_jw *j) { open_level(j, '{'); }
void sw_jw_object_end(struct sw_jw *j) { close_level(j, '}'); }
void sw_jw_array_begin(struct sw_jw *j) { open_level(j, '['); }
void sw_jw_array_end(struct sw_jw *j) { close_level(j, ']'); }

/* Bytes a JSON string must escape: '"', '\\' and the control characters. */
static bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* Writes text as a JSON string with the escapes jansson uses. */
static void put_escaped(struct sw_jw *j, const char *text)
{
    static const char HEX[] = "0123456789ABCDEF";
    put(j, "\"", 1);
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        /* Runs without escapes (nearly every string) are copied whole. */
        const unsigned char *run = p;
        while (*p && !needs_escape(*p))
            p++;
        put(j, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        unsigned char c = *p++;
        char escape[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
        size_t n = 6;
        if (c == '"' || c == '\\') {
            escape[1] = (char)c;
            n = 2;
        } else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
            escape[1] = (char)(c == '\n'   ? 'n'
                               : c == '\r' ? 'r'
                               : c == '\t' ? 't'
                               : c == '\b' ? 'b'
                                           : 'f');
            n = 2;
        }
        put(j, escape, n);
    }
    put(j, "\"", 1);
}

/* Decimal digits of value into the end of buf; returns where they start. */
static char *digits(unsigned long long value, char *end)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return end;
}

void sw_jw_key(struct sw_jw *j, const char *key)
{
    /* Keys are the program's own names: nothing in them needs escaping. */
    static const char OPEN[] = ",\"";
    bool comma = !j->first[j->depth];
    put(j, comma ? OPEN : OPEN + 1, comma ? 2 : 1);
    put(j, key, strlen(key));
    put(j, "\":", 2);
    /* The value that follows takes no comma. */
    j->first[j->depth] = true;
}

void sw_jw_string(struct sw_jw *j, const char *text)
{
    if (!text) {
        sw_jw_null(j);
        return;
    }
    before_value(j);
    put_escaped(j, text);
}

void sw_jw_int(struct sw_jw *j, long long value)
{
    char buf[24], *end = buf + sizeof buf;
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long)value
                                             : (unsigned long long)value;
    char *start = digits(magnitude, end);
    if (value < 0)
        *--start = '-';
    before_value(j);
    put(j, start, (size_t)(end - start));
}

/*
 * Reals: a value with at most three decimals (percentages rounded by
 * PostgreSQL) in its shortest form, which reads back as the same double
 * ("98.334" where %.17g gives "98.334000000000003"); anything else as
 * jansson writes it (%.17g, with ".0" when that reads as an integer).
 */
void sw_jw_real(struct sw_jw *j, double value)
{
    if (!isfinite(value)) {
        sw_jw_null(j);
        return;
    }
    double scaled = value * 1000.0;
    long long thousandths =
        scaled > -1e15 && scaled < 1e15 ? (long long)(scaled + (scaled < 0 ? -0.5 : 0.5)) : 0;
    if (scaled > -1e15 && scaled < 1e15 && (double)thousandths / 1000.0 == value) {
        unsigned long long magnitude = thousandths < 0 ? 0ULL - (unsigned long long)thousandths
                                                       : (unsigned long long)thousandths;
        char buf[32], *end = buf + sizeof buf;
        unsigned frac = (unsigned)(magnitude % 1000);
        int decimals = frac == 0 ? 1 : frac % 100 == 0 ? 1 : frac % 10 == 0 ? 2 : 3;
        unsigned shown = frac == 0       ? 0
                         : decimals == 1 ? frac / 100
                         : decimals == 2 ? frac / 10
                                         : frac;
        for (int i = 0; i < decimals; i++, shown /= 10)
            *--end = (char)('0' + shown % 10);
        *--end = '.';
        char *start = digits(magnitude / 1000, end);
        if (value < 0)
            *--start = '-';
        before_value(j);
        put(j, start, (size_t)(buf + sizeof buf - start));
        return;
    }
    char text[40];
    int n = snprintf(text, sizeof text, "%.17g", value);
    if (!strpbrk(text, ".eE"))
        n += snprintf(text + n, sizeof text - (size_t)n, ".0");
    before_value(j);
    put(j, text, (size_t)n);
}

void sw_jw_bool(struct sw_jw *j, bool value)
{
    before_value(j);
    put(j, value ? "true" : "false", value ? 4 : 5);
}

void sw_jw_null(struct sw_jw *j)
{
    before_value(j);
    put(j, "null", 4);
}

void sw_jw_raw(struct sw_jw *j, const char *json, size_t len)
{
    before_value(j);
    put(j, json, len);
}

const char *sw_jw_text(struct sw_jw *j, size_t *len)
{
    flush(j);
    if (j->failed || !j->out.data)
        return NULL;
    *len = j->out.len;
    return j->out.data;
}

/* ---- members of an object ---------------------------------------------- */

void sw_jw_field_real_or_null(struct sw_jw *j, const char *key, int has, double value)
{
    sw_jw_key(j, key);
    if (has)
        sw_jw_real(j, value);
    else
        sw_jw_null(j);
}

void sw_jw_field_text(struct sw_jw *j, const char *key, const char *value)
{
    sw_jw_key(j, key);
    sw_jw_string(j, value); /* NULL: null */
}

void sw_jw_field_int(struct sw_jw *j, const char *key, long long value)
{
    sw_jw_key(j, key);
    sw_jw_int(j, value);
}

void sw_jw_field_int_or_null(struct sw_jw *j, const char *key, int has, int value)
{
    if (has)
        sw_jw_field_int(j, key, value);
    else
        sw_jw_field_text(j, key, NULL);
}

void sw_jw_field_bool(struct sw_jw *j, const char *key, bool value)
{
    sw_jw_key(j, key);
    sw_jw_bool(j, value);
}

void sw_jw_field_time_or_null(struct sw_jw *j, const char *key, int has, long long unix_ms)
{
    char iso[SW_TIME_ISO_MAX];
    sw_jw_field_text(j, key, has ? sw_time_iso_ms(unix_ms, iso) : NULL);
}
