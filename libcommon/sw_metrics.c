#include "sw_metrics.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw_buf.h"
#include "sw_log.h"
#include "sw_status.h"

#define NAME_MAX_LEN 128
#define HELP_MAX_LEN 256
#define HASH_SLOTS 64
/* The page is small; the ceiling only guards against a runaway family. */
#define MAX_PAGE ((size_t)8 * 1024 * 1024)

enum kind { KIND_COUNTER, KIND_GAUGE, KIND_HISTOGRAM };

static const char *const KIND_NAMES[] = {"counter", "gauge", "histogram"};

/* Seconds, for request and check latencies. */
static const double LATENCY_BUCKETS[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                         0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

struct series {
    struct series *next; /* in its hash slot */
    char *values[SW_METRICS_MAX_LABELS];
    double value;              /* counter, gauge */
    double sum;                /* histogram */
    unsigned long long count;  /* histogram */
    unsigned long long *ticks; /* histogram: per bucket, not cumulative; the last is +Inf */
};

struct sw_metric {
    struct sw_metric *next; /* in the registry, in registration order */
    enum kind kind;
    char name[NAME_MAX_LEN];
    char help[HELP_MAX_LEN];
    size_t n_labels;
    char labels[SW_METRICS_MAX_LABELS][NAME_MAX_LEN];
    double buckets[SW_METRICS_MAX_BUCKETS];
    size_t n_buckets;
    pthread_mutex_t mutex;
    struct series *slots[HASH_SLOTS];
    struct series **order; /* every series, in creation order */
    size_t n_series, cap_series;
    bool dropped; /* the series limit was hit (logged once) */
};

struct collector {
    sw_metrics_collect_fn fn;
    void *arg;
};

struct sw_metrics {
    pthread_mutex_t mutex; /* the family list and the collectors */
    struct sw_metric *first, *last;
    struct collector *collectors;
    size_t n_collectors;
};

struct sw_metrics *sw_metrics_new(void)
{
    struct sw_metrics *m = calloc(1, sizeof *m);
    if (m)
        pthread_mutex_init(&m->mutex, NULL);
    return m;
}

static void series_free(struct series *s)
{
    for (size_t i = 0; i < SW_METRICS_MAX_LABELS; i++)
        free(s->values[i]);
    free(s->ticks);
    free(s);
}

void sw_metrics_free(struct sw_metrics *m)
{
    if (!m)
        return;
    for (struct sw_metric *f = m->first, *next = NULL; f; f = next) {
        next = f->next;
        for (size_t i = 0; i < f->n_series; i++)
            series_free(f->order[i]);
        free(f->order);
        pthread_mutex_destroy(&f->mutex);
        free(f);
    }
    free(m->collectors);
    pthread_mutex_destroy(&m->mutex);
    free(m);
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; no ':' in label names. */
static bool valid_name(const char *s, size_t len, bool label)
{
    if (len == 0 || len >= NAME_MAX_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                  (!label && c == ':') || (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return !label || len < 2 || s[0] != '_' || s[1] != '_'; /* __ is Prometheus's own */
}

/* Splits "a,b" into f->labels; false if a name is invalid or there are too many. */
static bool parse_labels(struct sw_metric *f, const char *labels)
{
    f->n_labels = 0;
    if (!labels || !*labels)
        return true;
    for (const char *p = labels;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (f->n_labels == SW_METRICS_MAX_LABELS || !valid_name(p, len, true))
            return false;
        if (f->kind == KIND_HISTOGRAM && len == 2 && strncmp(p, "le", 2) == 0)
            return false;
        memcpy(f->labels[f->n_labels], p, len);
        f->labels[f->n_labels++][len] = '\0';
        if (!comma)
            return true;
        p = comma + 1;
    }
}

static struct sw_metric *family_add(struct sw_metrics *m, enum kind kind, const char *name,
                                    const char *help, const char *labels, const double *buckets,
                                    size_t n_buckets)
{
    if (!m)
        return NULL;
    struct sw_metric *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->kind = kind;
    bool ok = name && valid_name(name, strlen(name), false);
    if (ok) {
        snprintf(f->name, sizeof f->name, "%s", name);
        snprintf(f->help, sizeof f->help, "%s", help ? help : "");
        ok = parse_labels(f, labels);
    }
    if (ok && kind == KIND_HISTOGRAM) {
        if (!buckets) {
            buckets = LATENCY_BUCKETS;
            n_buckets = sizeof LATENCY_BUCKETS / sizeof LATENCY_BUCKETS[0];
        }
        ok = n_buckets > 0 && n_buckets <= SW_METRICS_MAX_BUCKETS;
        for (size_t i = 0; ok && i < n_buckets; i++)
            ok = isfinite(buckets[i]) && (i == 0 || buckets[i] > buckets[i - 1]);
        if (ok) {
            memcpy(f->buckets, buckets, n_buckets * sizeof *buckets);
            f->n_buckets = n_buckets;
        }
    }
    pthread_mutex_lock(&m->mutex);
    for (const struct sw_metric *g = m->first; ok && g; g = g->next)
        ok = strcmp(g->name, f->name) != 0;
    if (ok) {
        pthread_mutex_init(&f->mutex, NULL);
        if (m->last)
            m->last->next = f;
        else
            m->first = f;
        m->last = f;
    }
    pthread_mutex_unlock(&m->mutex);
    if (!ok) {
        sw_log_error("metrics: cannot register %s (invalid or duplicate name or labels)",
                     name ? name : "(null)");
        free(f);
        return NULL;
    }
    return f;
}

struct sw_metric *sw_metrics_counter(struct sw_metrics *m, const char *name, const char *help,
                                     const char *labels)
{
    return family_add(m, KIND_COUNTER, name, help, labels, NULL, 0);
}

struct sw_metric *sw_metrics_gauge(struct sw_metrics *m, const char *name, const char *help,
                                   const char *labels)
{
    return family_add(m, KIND_GAUGE, name, help, labels, NULL, 0);
}

struct sw_metric *sw_metrics_histogram(struct sw_metrics *m, const char *name, const char *help,
                                       const char *labels, const double *buckets, size_t n_buckets)
{
    return family_add(m, KIND_HISTOGRAM, name, help, labels, buckets, n_buckets);
}

static const char *value_at(const char *const *values, size_t i)
{
    return values && values[i] ? values[i] : "";
}

static unsigned hash_values(const struct sw_metric *f, const char *const *values)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < f->n_labels; i++) {
        for (const char *p = value_at(values, i); *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        h = (h ^ 0xffu) * 16777619u;
    }
    return h % HASH_SLOTS;
}

static bool same_values(const struct sw_metric *f, const struct series *s,
                        const char *const *values)
{
    for (size_t i = 0; i < f->n_labels; i++)
        if (strcmp(s->values[i], value_at(values, i)) != 0)
            return false;
    return true;
}

static struct series *series_new(const struct sw_metric *f, const char *const *values)
{
    struct series *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < f->n_labels; i++)
        ok = (s->values[i] = strdup(value_at(values, i))) != NULL;
    if (ok && f->kind == KIND_HISTOGRAM)
        ok = (s->ticks = calloc(f->n_buckets + 1, sizeof *s->ticks)) != NULL;
    if (!ok) {
        series_free(s);
        return NULL;
    }
    return s;
}

/* The series of `values`, created if new; NULL when full or out of memory. Called locked. */
static struct series *series_of(struct sw_metric *f, const char *const *values)
{
    unsigned slot = hash_values(f, values);
    for (struct series *s = f->slots[slot]; s; s = s->next)
        if (same_values(f, s, values))
            return s;
    if (f->n_series == SW_METRICS_MAX_SERIES) {
        if (!f->dropped)
            sw_log_warn("metrics: %s has %d series; new label values are dropped", f->name,
                        SW_METRICS_MAX_SERIES);
        f->dropped = true;
        return NULL;
    }
    if (f->n_series == f->cap_series) {
        size_t cap = f->cap_series ? f->cap_series * 2 : 16;
        struct series **order = realloc(f->order, cap * sizeof *order);
        if (!order)
            return NULL;
        f->order = order;
        f->cap_series = cap;
    }
    struct series *s = series_new(f, values);
    if (!s)
        return NULL;
    s->next = f->slots[slot];
    f->slots[slot] = s;
    f->order[f->n_series++] = s;
    return s;
}

void sw_metric_add(struct sw_metric *f, const char *const *values, double delta)
{
    if (!f || f->kind == KIND_HISTOGRAM || (f->kind == KIND_COUNTER && !(delta >= 0)))
        return;
    pthread_mutex_lock(&f->mutex);
    struct series *s = series_of(f, values);
    if (s)
        s->value += delta;
    pthread_mutex_unlock(&f->mutex);
}

void sw_metric_set(struct sw_metric *f, const char *const *values, double value)
{
    if (!f || f->kind != KIND_GAUGE)
        return;
    pthread_mutex_lock(&f->mutex);
    struct series *s = series_of(f, values);
    if (s)
        s->value = value;
    pthread_mutex_unlock(&f->mutex);
}

void sw_metric_observe(struct sw_metric *f, const char *const *values, double value)
{
    if (!f || f->kind != KIND_HISTOGRAM || isnan(value))
        return;
    size_t b = 0;
    while (b < f->n_buckets && value > f->buckets[b])
        b++;
    pthread_mutex_lock(&f->mutex);
    struct series *s = series_of(f, values);
    if (s && s->ticks) {
        s->ticks[b]++;
        s->count++;
        s->sum += value;
    }
    pthread_mutex_unlock(&f->mutex);
}

double sw_metric_value(struct sw_metric *f, const char *const *values)
{
    if (!f || f->kind == KIND_HISTOGRAM)
        return 0;
    double v = 0;
    pthread_mutex_lock(&f->mutex);
    for (const struct series *s = f->slots[hash_values(f, values)]; s; s = s->next)
        if (same_values(f, s, values))
            v = s->value;
    pthread_mutex_unlock(&f->mutex);
    return v;
}

int sw_metrics_on_scrape(struct sw_metrics *m, sw_metrics_collect_fn fn, void *arg)
{
    if (!m || !fn)
        return SW_EINVAL;
    pthread_mutex_lock(&m->mutex);
    struct collector *c = realloc(m->collectors, (m->n_collectors + 1) * sizeof *c);
    if (c) {
        m->collectors = c;
        m->collectors[m->n_collectors++] = (struct collector){fn, arg};
    }
    pthread_mutex_unlock(&m->mutex);
    return c ? 0 : SW_ENOMEM;
}

void sw_metrics_collect(struct sw_metrics *m, PGconn *db)
{
    if (!m)
        return;
    /* Collectors are registered at start-up; a copy lets them run unlocked. */
    pthread_mutex_lock(&m->mutex);
    size_t n = m->n_collectors;
    struct collector *copy = n ? malloc(n * sizeof *copy) : NULL;
    if (copy)
        memcpy(copy, m->collectors, n * sizeof *copy);
    pthread_mutex_unlock(&m->mutex);
    for (size_t i = 0; copy && i < n; i++)
        copy[i].fn(copy[i].arg, db);
    free(copy);
}

/* ---- rendering ----------------------------------------------------------- */

struct page {
    struct sw_buf buf;
    int rc; /* the first error; later appends are skipped */
};

static void emit(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct page *p, const char *fmt, ...)
{
    if (p->rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    p->rc = sw_buf_vappendf(&p->buf, fmt, ap);
    va_end(ap);
}

/* Appends text escaped for a HELP line (\ and newline) or a label value (also "). */
static void emit_escaped(struct page *p, const char *text, bool quote)
{
    for (const char *s = text; *s && !p->rc; s++) {
        if (*s == '\\')
            p->rc = sw_buf_append_str(&p->buf, "\\\\");
        else if (*s == '\n')
            p->rc = sw_buf_append_str(&p->buf, "\\n");
        else if (quote && *s == '"')
            p->rc = sw_buf_append_str(&p->buf, "\\\"");
        else
            p->rc = sw_buf_append(&p->buf, s, 1);
    }
}

/* The shortest of %.15g and %.17g that reads back as v; +Inf, -Inf, NaN as Prometheus spells them.
 */
static void emit_number(struct page *p, double v)
{
    if (isnan(v)) {
        emit(p, "NaN");
        return;
    }
    if (isinf(v)) {
        emit(p, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "%.15g", v);
    if (strtod(text, NULL) != v)
        snprintf(text, sizeof text, "%.17g", v);
    emit(p, "%s", text);
}

/* `name{a="x",b="y"[,le="…"]} `: the braces only when there is a label; a space after. */
static void emit_series_name(struct page *p, const struct sw_metric *f, const char *suffix,
                             const struct series *s, const double *le)
{
    emit(p, "%s%s", f->name, suffix);
    if (f->n_labels == 0 && !le) {
        emit(p, " ");
        return;
    }
    emit(p, "{");
    for (size_t i = 0; i < f->n_labels; i++) {
        emit(p, "%s%s=\"", i ? "," : "", f->labels[i]);
        emit_escaped(p, s->values[i], true);
        emit(p, "\"");
    }
    if (le) {
        emit(p, "%sle=\"", f->n_labels ? "," : "");
        emit_number(p, *le);
        emit(p, "\"");
    }
    emit(p, "} ");
}

static void emit_family(struct page *p, struct sw_metric *f)
{
    emit(p, "# HELP %s ", f->name);
    emit_escaped(p, f->help, false);
    emit(p, "\n# TYPE %s %s\n", f->name, KIND_NAMES[f->kind]);
    static const double INF = INFINITY;
    pthread_mutex_lock(&f->mutex);
    for (size_t i = 0; i < f->n_series && !p->rc; i++) {
        const struct series *s = f->order[i];
        if (f->kind != KIND_HISTOGRAM) {
            emit_series_name(p, f, "", s, NULL);
            emit_number(p, s->value);
            emit(p, "\n");
            continue;
        }
        unsigned long long cumulative = 0;
        for (size_t b = 0; b <= f->n_buckets; b++) {
            cumulative += s->ticks[b];
            emit_series_name(p, f, "_bucket", s, b < f->n_buckets ? &f->buckets[b] : &INF);
            emit(p, "%llu\n", cumulative);
        }
        emit_series_name(p, f, "_sum", s, NULL);
        emit_number(p, s->sum);
        emit(p, "\n");
        emit_series_name(p, f, "_count", s, NULL);
        emit(p, "%llu\n", s->count);
    }
    pthread_mutex_unlock(&f->mutex);
}

int sw_metrics_render(struct sw_metrics *m, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct page p = {.rc = 0};
    sw_buf_init(&p.buf, MAX_PAGE);
    if (m) {
        pthread_mutex_lock(&m->mutex);
        for (struct sw_metric *f = m->first; f && !p.rc; f = f->next)
            emit_family(&p, f);
        pthread_mutex_unlock(&m->mutex);
    }
    if (p.rc == 0 && !(*out = sw_buf_take(&p.buf, len)))
        p.rc = SW_ENOMEM;
    sw_buf_free(&p.buf);
    return p.rc;
}
