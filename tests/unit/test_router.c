/* The gateway's route table and matching (services/gateway/router.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gateway.h"
#include "unit.h"

/*
 * The handlers live in sw-gateway's route files, which need a running server;
 * the table only needs their addresses, so the test gives stand-ins. A route
 * added to the table without one here fails to link.
 */
#define STAND_IN(name)                                                                             \
    void name(struct gw_request *req) { (void)req; }
STAND_IN(gw_auth_register)
STAND_IN(gw_ping)
STAND_IN(gw_ping_fail)
STAND_IN(gw_auth_token)
STAND_IN(gw_auth_refresh)
STAND_IN(gw_auth_logout)
STAND_IN(gw_auth_me)
STAND_IN(gw_auth_token_2fa)
STAND_IN(gw_auth_verify_email)
STAND_IN(gw_auth_verify_resend)
STAND_IN(gw_auth_password_reset)
STAND_IN(gw_auth_reset_confirm)
STAND_IN(gw_auth_2fa_setup)
STAND_IN(gw_auth_2fa_confirm)
STAND_IN(gw_auth_2fa_disable)
STAND_IN(gw_members_list)
STAND_IN(gw_members_update)
STAND_IN(gw_members_remove)
STAND_IN(gw_invitations_list)
STAND_IN(gw_invitations_create)
STAND_IN(gw_invitations_revoke)
STAND_IN(gw_invitations_accept)
STAND_IN(gw_api_keys_list)
STAND_IN(gw_api_keys_create)
STAND_IN(gw_api_keys_revoke)
STAND_IN(gw_audit_log)
STAND_IN(gw_endpoints_list)
STAND_IN(gw_endpoints_create)
STAND_IN(gw_endpoints_get)
STAND_IN(gw_endpoints_replace)
STAND_IN(gw_endpoints_patch)
STAND_IN(gw_endpoints_delete)
STAND_IN(gw_endpoints_checks)
STAND_IN(gw_endpoints_uptime)
STAND_IN(gw_regions_list)
STAND_IN(gw_billing_plans)
STAND_IN(gw_billing_subscription)
STAND_IN(gw_billing_checkout)
STAND_IN(gw_billing_portal)
STAND_IN(gw_billing_webhook)
STAND_IN(gw_billing_invoices)
STAND_IN(gw_alerts_list)
STAND_IN(gw_alerts_read)
STAND_IN(gw_alerts_read_all)
STAND_IN(gw_alerts_resolve)
STAND_IN(gw_channels_list)
STAND_IN(gw_channels_create)
STAND_IN(gw_channels_update)
STAND_IN(gw_channels_delete)
STAND_IN(gw_channels_test)
STAND_IN(gw_notify_settings_get)
STAND_IN(gw_notify_settings_put)
STAND_IN(gw_notify_log)
STAND_IN(gw_health)
STAND_IN(gw_health_ready)
STAND_IN(gw_metrics_page)
STAND_IN(gw_staff_token)
STAND_IN(gw_staff_tenants)
STAND_IN(gw_staff_suspend)
STAND_IN(gw_staff_reactivate)
STAND_IN(gw_staff_bank_transfer)
STAND_IN(gw_staff_revenue)
STAND_IN(gw_staff_usage)
STAND_IN(gw_staff_churn)
STAND_IN(gw_status_pages_list)
STAND_IN(gw_status_pages_create)
STAND_IN(gw_status_pages_get)
STAND_IN(gw_status_pages_update)
STAND_IN(gw_status_pages_delete)
STAND_IN(gw_status_page_subscribers)
STAND_IN(gw_incidents_list)
STAND_IN(gw_incidents_create)
STAND_IN(gw_incidents_get)
STAND_IN(gw_incidents_update)
STAND_IN(gw_incidents_add_update)
STAND_IN(gw_maintenances_list)
STAND_IN(gw_maintenances_create)
STAND_IN(gw_maintenances_get)
STAND_IN(gw_maintenances_update)
STAND_IN(gw_maintenances_delete)
STAND_IN(gw_public_status)
STAND_IN(gw_public_subscribe)
STAND_IN(gw_public_confirm)
STAND_IN(gw_public_unsubscribe)

static char path_id[64];
static bool path_known;

static const struct gw_route *find(const char *method, const char *path)
{
    memset(path_id, 0, sizeof path_id);
    path_known = false;
    return gw_route_find(method, path, path_id, sizeof path_id, &path_known);
}

static const char *allowed(const char *path)
{
    static char allow[128];
    gw_route_allowed(path, allow, sizeof allow);
    return allow;
}

static void test_a_route_is_found_by_method_and_path(void **state)
{
    (void)state;
    const struct gw_route *r = find("GET", "/api/auth/me/");
    assert_non_null(r);
    assert_ptr_equal(r->fn, gw_auth_me);
    assert_true(r->needs_auth);
    assert_ptr_equal(find("POST", "/api/endpoints/")->fn, gw_endpoints_create);
    assert_ptr_equal(find("GET", "/api/endpoints/")->fn, gw_endpoints_list);
}

static void test_a_longer_path_is_not_taken_for_its_prefix(void **state)
{
    (void)state;
    assert_ptr_equal(find("POST", "/api/auth/token/")->fn, gw_auth_token);
    assert_ptr_equal(find("POST", "/api/auth/token/refresh/")->fn, gw_auth_refresh);
    assert_ptr_equal(find("GET", "/health/ready/")->fn, gw_health_ready);
}

static void test_the_id_segment_is_captured(void **state)
{
    (void)state;
    const struct gw_route *r = find("GET", "/api/endpoints/0b7e6a52-1c1d-4c3e-9f0a-2a1b3c4d5e6f/");
    assert_non_null(r);
    assert_ptr_equal(r->fn, gw_endpoints_get);
    assert_string_equal(path_id, "0b7e6a52-1c1d-4c3e-9f0a-2a1b3c4d5e6f");
    r = find("GET", "/api/endpoints/abc/checks/");
    assert_non_null(r);
    assert_ptr_equal(r->fn, gw_endpoints_checks);
    assert_string_equal(path_id, "abc");
    assert_ptr_equal(find("DELETE", "/api/endpoints/abc/")->fn, gw_endpoints_delete);
}

static void test_a_missing_trailing_slash_is_accepted(void **state)
{
    (void)state;
    assert_ptr_equal(find("GET", "/api/auth/me")->fn, gw_auth_me);
    assert_ptr_equal(find("PATCH", "/api/endpoints/abc")->fn, gw_endpoints_patch);
    assert_string_equal(path_id, "abc");
    assert_ptr_equal(find("GET", "/api/endpoints/abc/uptime")->fn, gw_endpoints_uptime);
    assert_ptr_equal(find("GET", "/api/regions/")->fn, gw_regions_list);
}

static void test_an_extra_slash_is_not_a_route(void **state)
{
    (void)state;
    assert_null(find("GET", "/api/auth/me//"));
    assert_false(path_known);
    assert_null(find("GET", "/api/endpoints//"));
    assert_false(path_known);
}

static void test_head_is_served_by_the_get_route(void **state)
{
    (void)state;
    assert_ptr_equal(find("HEAD", "/health/")->fn, gw_health);
    assert_null(find("HEAD", "/api/auth/token/"));
    assert_true(path_known);
}

static void test_a_known_path_with_another_method_is_405_with_its_allow_list(void **state)
{
    (void)state;
    assert_null(find("DELETE", "/api/auth/me/"));
    assert_true(path_known);
    assert_string_equal(allowed("/api/auth/me/"), "GET");
    assert_null(find("POST", "/api/endpoints/abc/"));
    assert_true(path_known);
    assert_string_equal(allowed("/api/endpoints/abc/"), "GET, PUT, PATCH, DELETE");
    assert_string_equal(allowed("/api/endpoints/"), "GET, POST");
    assert_string_equal(allowed("/api/endpoints"), "GET, POST");
}

static void test_an_unknown_path_is_no_route_and_not_known(void **state)
{
    (void)state;
    assert_null(find("GET", "/api/nothing-here/"));
    assert_false(path_known);
    assert_null(find("GET", "/api/endpoints/abc/def/"));
    assert_false(path_known);
    assert_null(find("GET", "/"));
    assert_false(path_known);
    assert_string_equal(allowed("/api/nothing-here/"), "");
}

static void test_an_id_too_long_for_the_buffer_is_no_match(void **state)
{
    (void)state;
    char path[200];
    char id[100];
    memset(id, 'a', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    snprintf(path, sizeof path, "/api/endpoints/%s/", id);
    assert_null(find("GET", path));
    assert_false(path_known);
}

static void test_the_allow_list_is_cut_cleanly_when_short_of_room(void **state)
{
    (void)state;
    char allow[12];
    gw_route_allowed("/api/endpoints/abc/", allow, sizeof allow);
    assert_string_equal(allow, "GET, PUT");
}

static void test_every_route_in_the_table_is_reachable(void **state)
{
    (void)state;
    assert_true(gw_route_count() > 0);
    assert_null(gw_route_at(gw_route_count()));
    for (size_t i = 0; i < gw_route_count(); i++) {
        const struct gw_route *route = gw_route_at(i);
        char path[128];
        const char *brace = strstr(route->pattern, "{id}");
        if (brace)
            snprintf(path, sizeof path, "%.*sx1%s", (int)(brace - route->pattern), route->pattern,
                     brace + 4);
        else
            snprintf(path, sizeof path, "%s", route->pattern);
        assert_ptr_equal(find(route->method, path), route);
    }
}

/* api.md "Staff": staff tokens only under /api/staff/ (the login needs none), nowhere else. */
static void test_staff_routes_and_only_they_take_staff_tokens(void **state)
{
    (void)state;
    size_t staff_routes = 0;
    for (size_t i = 0; i < gw_route_count(); i++) {
        const struct gw_route *route = gw_route_at(i);
        bool staff_path = strncmp(route->pattern, "/api/staff/", 11) == 0;
        bool login = strcmp(route->pattern, "/api/staff/token/") == 0;
        bool staff_only = (route->access & GW_STAFF) != 0;
        assert_int_equal(staff_only, staff_path && !login);
        if (staff_only) {
            assert_true(route->needs_auth);
            staff_routes++;
        }
    }
    assert_int_equal(staff_routes, 7);
    assert_false(find("POST", "/api/staff/token/")->needs_auth);
    assert_ptr_equal(find("POST", "/api/staff/tenants/x1/suspend/")->fn, gw_staff_suspend);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_route_is_found_by_method_and_path),
        cmocka_unit_test(test_a_longer_path_is_not_taken_for_its_prefix),
        cmocka_unit_test(test_the_id_segment_is_captured),
        cmocka_unit_test(test_a_missing_trailing_slash_is_accepted),
        cmocka_unit_test(test_an_extra_slash_is_not_a_route),
        cmocka_unit_test(test_head_is_served_by_the_get_route),
        cmocka_unit_test(test_a_known_path_with_another_method_is_405_with_its_allow_list),
        cmocka_unit_test(test_an_unknown_path_is_no_route_and_not_known),
        cmocka_unit_test(test_an_id_too_long_for_the_buffer_is_no_match),
        cmocka_unit_test(test_the_allow_list_is_cut_cleanly_when_short_of_room),
        cmocka_unit_test(test_every_route_in_the_table_is_reachable),
        cmocka_unit_test(test_staff_routes_and_only_they_take_staff_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
