#include "sw_embedded.h"

#include <string.h>

const char *sw_embedded_find(const struct sw_embedded *list, const char *name)
{
    for (; list && list->name; list++)
        if (strcmp(list->name, name) == 0)
            return list->text;
    return NULL;
}
