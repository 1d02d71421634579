/*
 * Small checks of user-supplied text, one definition each: its length in
 * characters (UTF-8 code points), whether it holds control characters, and
 * a copy without surrounding white space.
 */
#ifndef SW_TEXT_H
#define SW_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Characters (UTF-8 code points) of text; continuation bytes are not counted. */
size_t sw_utf8_length(const char *text);

/* True when text has an ASCII control character. */
bool sw_text_has_control(const char *text);

/* text without surrounding white space into out; SW_EINVAL when it does not fit. */
int sw_trim_copy(const char *text, char *out, size_t size);

#endif
