#include "sw_status.h"

struct status_row {
    int http;
    const char *name;
    const char *code;
};

/* The single mapping from RPC status to HTTP used by the gateway. */
static const struct status_row STATUS_TABLE[] = {
    [SW_OK] = {200, "OK", "ok"},
    [SW_CANCELLED] = {499, "CANCELLED", "cancelled"},
    [SW_UNKNOWN] = {500, "UNKNOWN", "internal_error"},
    [SW_INVALID_ARGUMENT] = {400, "INVALID_ARGUMENT", "invalid"},
    [SW_DEADLINE_EXCEEDED] = {503, "DEADLINE_EXCEEDED", "service_unavailable"},
    [SW_NOT_FOUND] = {404, "NOT_FOUND", "not_found"},
    [SW_ALREADY_EXISTS] = {409, "ALREADY_EXISTS", "conflict"},
    [SW_PERMISSION_DENIED] = {403, "PERMISSION_DENIED", "permission_denied"},
    [SW_RESOURCE_EXHAUSTED] = {429, "RESOURCE_EXHAUSTED", "throttled"},
    [SW_FAILED_PRECONDITION] = {409, "FAILED_PRECONDITION", "conflict"},
    [SW_ABORTED] = {409, "ABORTED", "conflict"},
    [SW_OUT_OF_RANGE] = {400, "OUT_OF_RANGE", "invalid"},
    [SW_UNIMPLEMENTED] = {501, "UNIMPLEMENTED", "not_implemented"},
    [SW_INTERNAL] = {500, "INTERNAL", "internal_error"},
    [SW_UNAVAILABLE] = {503, "UNAVAILABLE", "service_unavailable"},
    [SW_DATA_LOSS] = {500, "DATA_LOSS", "internal_error"},
    [SW_UNAUTHENTICATED] = {401, "UNAUTHENTICATED", "not_authenticated"},
};

static const struct status_row *row_of(int status)
{
    if (status < 0 || status > SW_UNAUTHENTICATED)
        status = SW_UNKNOWN;
    return &STATUS_TABLE[status];
}

int sw_status_http(int status) { return row_of(status)->http; }
const char *sw_status_name(int status) { return row_of(status)->name; }
const char *sw_status_code(int status) { return row_of(status)->code; }
