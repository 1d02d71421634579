/*
 * Timestamps as the API shows them (libcommon/sw_time.c): ISO-8601 UTC with
 * and without milliseconds, the same as gmtime_r and strftime give, for
 * instants before and after the epoch and across leap days.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sw_time.h"
#include "unit.h"

/* What gmtime_r and strftime give for unix_ms (seconds floored), with milliseconds. */
static void reference(long long unix_ms, char *out, size_t size, bool with_ms)
{
    long long secs = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    char text[40];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    if (with_ms)
        snprintf(out, size, "%s.%03lldZ", text, ((unix_ms % 1000) + 1000) % 1000);
    else
        snprintf(out, size, "%sZ", text);
}

static void test_known_instants(void **state)
{
    (void)state;
    char out[SW_TIME_ISO_MAX];
    assert_string_equal(sw_time_iso_ms(0, out), "1970-01-01T00:00:00.000Z");
    assert_string_equal(sw_time_iso_ms(-1, out), "1969-12-31T23:59:59.999Z");
    assert_string_equal(sw_time_iso_ms(951868799999LL, out), "2000-02-29T23:59:59.999Z");
    assert_string_equal(sw_time_iso_ms(1700000000123LL, out), "2023-11-14T22:13:20.123Z");
    assert_string_equal(sw_time_iso(1700000000999LL, out), "2023-11-14T22:13:20Z");
    assert_string_equal(sw_time_iso(253402300799999LL, out), "9999-12-31T23:59:59Z");
}

static void test_every_day_from_1900_to_2100_matches_gmtime(void **state)
{
    (void)state;
    /* A step that is not a whole day walks through every time of day too. */
    for (long long t = -2208988800000LL; t < 4102444800000LL; t += 86400000LL + 37037) {
        char got[SW_TIME_ISO_MAX], want[64];
        reference(t, want, sizeof want, true);
        assert_string_equal(sw_time_iso_ms(t, got), want);
        reference(t, want, sizeof want, false);
        assert_string_equal(sw_time_iso(t, got), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_instants),
        cmocka_unit_test(test_every_day_from_1900_to_2100_matches_gmtime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
