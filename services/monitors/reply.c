/* Reply helpers shared by sw-monitors' handlers. */
#include <string.h>

#include "monitors.h"
#include "sw_rows.h"
#include "sw_status.h"

void mon_reply_not_found(struct sw_reply *reply)
{
    sw_reply_fail(reply, SW_NOT_FOUND, NULL, "Not found.");
}
