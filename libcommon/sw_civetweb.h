/*
 * Starting a CivetWeb server the way every listener of StatusWatch does (the
 * gateway, each process's operations port): name/value options, one
 * begin_request callback that answers every request, a logged refusal.
 */
#ifndef SW_CIVETWEB_H
#define SW_CIVETWEB_H

#include <civetweb.h>

/*
 * mg_start with begin_request as the only callback; options is the
 * NULL-terminated name, value list and its "listening_ports" names the
 * address in the log. NULL (logged, with what) when it cannot listen.
 */
struct mg_context *sw_civetweb_start(const char *const *options,
                                     int (*begin_request)(struct mg_connection *), void *arg,
                                     const char *what);

#endif
