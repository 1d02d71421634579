#include "sw_civetweb.h"

#include <string.h>

#include "sw_log.h"

static const char *option(const char *const *options, const char *name)
{
    for (size_t i = 0; options[i] && options[i + 1]; i += 2)
        if (strcmp(options[i], name) == 0)
            return options[i + 1];
    return "?";
}

struct mg_context *sw_civetweb_start(const char *const *options,
                                     int (*begin_request)(struct mg_connection *), void *arg,
                                     const char *what)
{
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.begin_request = begin_request;
    struct mg_context *ctx = mg_start(&callbacks, arg, (const char **)options);
    if (!ctx)
        sw_log_error("cannot listen on %s for %s", option(options, "listening_ports"), what);
    else
        sw_log_info("%s on http://%s", what, option(options, "listening_ports"));
    return ctx;
}
