#include "sw_region.h"

#include <string.h>

bool sw_region_name_valid(const char *name)
{
    size_t n = strlen(name);
    return n >= 1 && n <= SW_REGION_NAME_MAX &&
           strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}
