/*
 * Status codes shared by every service, and the one table that maps them to
 * HTTP. Functions across the project return 0 on success or a negative SW_E…
 * code; a negative code is the negated gRPC-style status, so a failure can be
 * put into a Reply with `-rc` and into an HTTP answer with sw_status_http().
 */
#ifndef SW_STATUS_H
#define SW_STATUS_H

enum sw_status {
    SW_OK = 0,
    SW_CANCELLED = 1,
    SW_UNKNOWN = 2,
    SW_INVALID_ARGUMENT = 3,
    SW_DEADLINE_EXCEEDED = 4,
    SW_NOT_FOUND = 5,
    SW_ALREADY_EXISTS = 6,
    SW_PERMISSION_DENIED = 7,
    SW_RESOURCE_EXHAUSTED = 8,
    SW_FAILED_PRECONDITION = 9,
    SW_ABORTED = 10,
    SW_OUT_OF_RANGE = 11,
    SW_UNIMPLEMENTED = 12,
    SW_INTERNAL = 13,
    SW_UNAVAILABLE = 14,
    SW_DATA_LOSS = 15,
    SW_UNAUTHENTICATED = 16,
};

#define SW_EINVAL (-SW_INVALID_ARGUMENT)
#define SW_ENOTFOUND (-SW_NOT_FOUND)
#define SW_EEXISTS (-SW_ALREADY_EXISTS)
#define SW_EPERM (-SW_PERMISSION_DENIED)
#define SW_EEXHAUSTED (-SW_RESOURCE_EXHAUSTED)
#define SW_EPRECOND (-SW_FAILED_PRECONDITION)
#define SW_EINTERNAL (-SW_INTERNAL)
#define SW_EUNAVAIL (-SW_UNAVAILABLE)
#define SW_EUNAUTH (-SW_UNAUTHENTICATED)
#define SW_ENOMEM (-SW_INTERNAL)

/* HTTP status for a status code (OK → 200, INVALID_ARGUMENT → 400, …). */
int sw_status_http(int status);

/* Upper-case name ("NOT_FOUND"), for logs. Never NULL. */
const char *sw_status_name(int status);

/* Default machine code for the error shape ("not_found", "unavailable", …). */
const char *sw_status_code(int status);

#endif
