/*
 * Common includes for the cmocka unit tests: cmocka.h needs these headers
 * before it, in this order.
 */
#ifndef SW_UNIT_H
#define SW_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
