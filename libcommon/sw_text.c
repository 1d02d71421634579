#include "sw_text.h"

#include <ctype.h>
#include <string.h>

#include "sw_status.h"

size_t sw_utf8_length(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

bool sw_text_has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
}

int sw_trim_copy(const char *text, char *out, size_t size)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    if (len >= size)
        return SW_EINVAL;
    memcpy(out, text, len);
    out[len] = '\0';
    return 0;
}
