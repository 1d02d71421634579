/*
 * sw-rpc-probe: calls one method on one RPC address, as a chosen identity,
 * and prints the reply's status name (OK, PERMISSION_DENIED, …) or
 * UNAVAILABLE. Integration tests use it to knock on listeners the way a
 * misbehaving peer would.
 *
 *   sw-rpc-probe <url> <method> [<tls dir> <certificate name> <server name>]
 *
 * The request body is empty (every field absent). The call is marked
 * idempotent (an empty request changes nothing, a refused one runs nothing):
 * like the gateway's reads, it is sent again when its connection closes
 * under it, e.g. when the server replaces a listener that stopped accepting
 * (sw_listener_watch.h).
 */
#include <stdio.h>

#include "envelope.pb-c.h"
#include "sw_log.h"
#include "sw_rpc.h"
#include "sw_status.h"
#include "sw_tls.h"

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 6) {
        fprintf(stderr, "usage: %s <url> <method> [<tls dir> <name> <server name>]\n", argv[0]);
        return 2;
    }
    sw_log_init("rpc-probe", SW_LOG_ERROR);
    struct sw_tls tls = {{0}, {0}};
    if (argc == 6) {
        snprintf(tls.dir, sizeof tls.dir, "%s", argv[3]);
        snprintf(tls.name, sizeof tls.name, "%s", argv[4]);
    }
    struct sw_rpc_client *client = NULL;
    if (sw_rpc_client_open(argv[1], argc == 6 ? &tls : NULL, argc == 6 ? argv[5] : NULL, &client) !=
        0) {
        puts("UNAVAILABLE");
        return 1;
    }
    Sw__HealthRequest empty = SW__HEALTH_REQUEST__INIT;
    struct sw_rpc_result res;
    struct sw_rpc_meta meta = {.idempotent = true};
    int rc = sw_rpc_call(client, &meta, argv[2], &empty.base, NULL, 2000, &res);
    printf("%s\n",
           res.reply ? sw_status_name(res.reply->status) : sw_status_name(rc ? -rc : SW_OK));
    sw_rpc_result_free(&res);
    sw_rpc_client_close(client);
    return 0;
}
