/*
 * Timestamps as they cross the system: services send instants as int64
 * milliseconds since the Unix epoch (SQL: sw_time_sql_ms), and whoever shows
 * one to a client formats it here, in C, as ISO-8601 UTC — cheaper than a
 * formatting function per row in PostgreSQL, and one format everywhere.
 */
#ifndef SW_TIME_H
#define SW_TIME_H

#include <stddef.h>

/* "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define SW_TIME_ISO_MAX 32

/*
 * SQL expression turning timestamptz column `col` into epoch milliseconds,
 * truncated (as to_char's MS and SS truncate), so that a value shows the
 * same digits it did when PostgreSQL formatted it.
 */
#define SW_TIME_SQL_MS(col) "floor(extract(epoch from " col ") * 1000)::int8"

/* Formats unix_ms (seconds precision) into out; returns out. */
char *sw_time_iso(long long unix_ms, char out[SW_TIME_ISO_MAX]);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ": the same with milliseconds; returns out. */
char *sw_time_iso_ms(long long unix_ms, char out[SW_TIME_ISO_MAX]);

#endif
