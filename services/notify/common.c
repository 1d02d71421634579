/* What every handler asks of its caller. */
#include <string.h>

#include "notify.h"
#include "sw_reply.h"
#include "sw_status.h"

int notify_caller_manages(const struct sw_rpc_ctx *ctx, struct sw_reply *reply)
{
    const char *role = ctx->env->role;
    if (role && (strcmp(role, "owner") == 0 || strcmp(role, "admin") == 0))
        return 0;
    sw_reply_fail(reply, SW_PERMISSION_DENIED, "permission_denied",
                  "Only an owner or admin can change notification settings.");
    return SW_EPERM;
}
