/* The status → HTTP table and the status names. */
#include "sw_status.h"
#include "unit.h"

static void test_ok_is_http_200(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_OK), 200);
}

static void test_invalid_argument_is_http_400(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_INVALID_ARGUMENT), 400);
}

static void test_unauthenticated_is_http_401(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_UNAUTHENTICATED), 401);
}

static void test_permission_denied_is_http_403(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_PERMISSION_DENIED), 403);
}

static void test_not_found_is_http_404(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_NOT_FOUND), 404);
}

static void test_already_exists_is_http_409(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_ALREADY_EXISTS), 409);
}

static void test_resource_exhausted_is_http_429(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_RESOURCE_EXHAUSTED), 429);
}

static void test_internal_is_http_500(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_INTERNAL), 500);
}

static void test_unavailable_is_http_503(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_UNAVAILABLE), 503);
}

static void test_out_of_range_status_is_http_500(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(SW_UNAUTHENTICATED + 1), 500);
    assert_int_equal(sw_status_http(1000), 500);
    assert_int_equal(sw_status_http(-1), 500);
    assert_int_equal(sw_status_http(SW_EINVAL), 500);
}

static void test_every_status_maps_to_an_error_class(void **state)
{
    (void)state;
    for (int s = SW_CANCELLED; s <= SW_UNAUTHENTICATED; s++) {
        int http = sw_status_http(s);
        if (http < 400 || http > 599)
            fail_msg("status %d maps to HTTP %d", s, http);
    }
}

static void test_status_names_are_upper_case(void **state)
{
    (void)state;
    assert_string_equal(sw_status_name(SW_OK), "OK");
    assert_string_equal(sw_status_name(SW_NOT_FOUND), "NOT_FOUND");
    assert_string_equal(sw_status_name(SW_UNAUTHENTICATED), "UNAUTHENTICATED");
}

static void test_status_name_is_never_null(void **state)
{
    (void)state;
    for (int s = -3; s <= SW_UNAUTHENTICATED + 3; s++) {
        assert_non_null(sw_status_name(s));
        assert_non_null(sw_status_code(s));
    }
    assert_string_equal(sw_status_name(99), "UNKNOWN");
}

static void test_status_codes_are_machine_codes(void **state)
{
    (void)state;
    assert_string_equal(sw_status_code(SW_NOT_FOUND), "not_found");
    assert_string_equal(sw_status_code(SW_UNAVAILABLE), "service_unavailable");
    assert_string_equal(sw_status_code(SW_INTERNAL), "internal_error");
}

static void test_negative_codes_are_negated_statuses(void **state)
{
    (void)state;
    assert_int_equal(sw_status_http(-SW_EINVAL), 400);
    assert_int_equal(sw_status_http(-SW_ENOTFOUND), 404);
    assert_int_equal(sw_status_http(-SW_EEXISTS), 409);
    assert_int_equal(sw_status_http(-SW_EPERM), 403);
    assert_int_equal(sw_status_http(-SW_EEXHAUSTED), 429);
    assert_int_equal(sw_status_http(-SW_EUNAVAIL), 503);
    assert_int_equal(sw_status_http(-SW_EUNAUTH), 401);
    assert_int_equal(sw_status_http(-SW_EINTERNAL), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_is_http_200),
        cmocka_unit_test(test_invalid_argument_is_http_400),
        cmocka_unit_test(test_unauthenticated_is_http_401),
        cmocka_unit_test(test_permission_denied_is_http_403),
        cmocka_unit_test(test_not_found_is_http_404),
        cmocka_unit_test(test_already_exists_is_http_409),
        cmocka_unit_test(test_resource_exhausted_is_http_429),
        cmocka_unit_test(test_internal_is_http_500),
        cmocka_unit_test(test_unavailable_is_http_503),
        cmocka_unit_test(test_out_of_range_status_is_http_500),
        cmocka_unit_test(test_every_status_maps_to_an_error_class),
        cmocka_unit_test(test_status_names_are_upper_case),
        cmocka_unit_test(test_status_name_is_never_null),
        cmocka_unit_test(test_status_codes_are_machine_codes),
        cmocka_unit_test(test_negative_codes_are_negated_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
