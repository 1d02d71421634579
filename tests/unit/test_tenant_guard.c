/*
 * The gateway's tenant guard (services/gateway/tenant_guard.c): windows,
 * decisions, syncs and the table's bounds, against a stand-in for
 * tenants.SyncUsage that keeps the counts the way sw-tenants does. The clock
 * is the tests' own: every call takes the time.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sw_status.h"
#include "tenant_guard.h"
#include "unit.h"

#define T0 (1700000040000LL) /* the start of a window (a multiple of 60 s) */
#define MAX_TENANTS 64
#define MAX_COUNTS 256

static const char *const A = "0b7e6a52-1c1d-4c3e-9f0a-2a1b3c4d5e6f";
static const char *const B = "1c8f7b63-2d2e-4d4f-8a1b-3b2c4d5e6f70";

/* What sw-tenants knows: tenants, their status and limit, counts per window. */
struct fake_tenants {
    struct {
        char id[GW_TENANT_ID_MAX];
        enum gw_account account;
        int limit;
    } tenants[MAX_TENANTS];
    size_t n_tenants;
    struct {
        char id[GW_TENANT_ID_MAX];
        long long window_ms;
        long long total;
    } counts[MAX_COUNTS];
    size_t n_counts;
    bool down;
    int calls;
};

static long long *count_of(struct fake_tenants *f, const char *id, long long window_ms)
{
    for (size_t i = 0; i < f->n_counts; i++)
        if (strcmp(f->counts[i].id, id) == 0 && f->counts[i].window_ms == window_ms)
            return &f->counts[i].total;
    assert_true(f->n_counts < MAX_COUNTS);
    snprintf(f->counts[f->n_counts].id, GW_TENANT_ID_MAX, "%s", id);
    f->counts[f->n_counts].window_ms = window_ms;
    f->counts[f->n_counts].total = 0;
    return &f->counts[f->n_counts++].total;
}

static int fake_sync(void *arg, const struct gw_usage_delta *deltas, size_t n,
                     struct gw_usage_state *states, size_t *n_states)
{
    struct fake_tenants *f = arg;
    f->calls++;
    *n_states = 0;
    if (f->down)
        return SW_EUNAVAIL;
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < f->n_tenants; t++) {
            if (strcmp(f->tenants[t].id, deltas[i].tenant_id) != 0)
                continue;
            long long *total = count_of(f, deltas[i].tenant_id, deltas[i].window_ms);
            *total += deltas[i].delta;
            struct gw_usage_state *st = &states[(*n_states)++];
            snprintf(st->tenant_id, sizeof st->tenant_id, "%s", deltas[i].tenant_id);
            st->window_ms = deltas[i].window_ms;
            st->total = *total;
            st->limit = f->tenants[t].limit;
            st->account = f->tenants[t].account;
        }
    return 0;
}

static void add_tenant(struct fake_tenants *f, const char *id, int limit)
{
    assert_true(f->n_tenants < MAX_TENANTS);
    snprintf(f->tenants[f->n_tenants].id, GW_TENANT_ID_MAX, "%.63s", id);
    f->tenants[f->n_tenants].account = GW_ACCOUNT_OK;
    f->tenants[f->n_tenants].limit = limit;
    f->n_tenants++;
}

static void set_account(struct fake_tenants *f, const char *id, enum gw_account account)
{
    for (size_t t = 0; t < f->n_tenants; t++)
        if (strcmp(f->tenants[t].id, id) == 0)
            f->tenants[t].account = account;
}

/* sw-tenants stops or starts answering. */
static void set_down(struct fake_tenants *f, bool down) { f->down = down; }

static struct gw_tenant_guard *guard_of(struct fake_tenants *f, size_t max_entries)
{
    struct gw_tenant_guard_opts opts = {
        .sync_ms = 1000,
        .max_entries = max_entries,
        .idle_ms = 120000,
        .sync = fake_sync,
        .sync_arg = f,
    };
    struct gw_tenant_guard *g = gw_tenant_guard_new(&opts);
    assert_non_null(g);
    return g;
}

static struct gw_tenant_decision check(struct gw_tenant_guard *g, const char *tenant_id,
                                       long long now_ms)
{
    struct gw_tenant_decision d;
    gw_tenant_guard_check(g, tenant_id, false, now_ms, &d);
    return d;
}

/* Calls of tenant_id at now_ms until the first refusal (at most max); returns those admitted. */
static int admit_all(struct gw_tenant_guard *g, const char *tenant_id, long long now_ms, int max)
{
    for (int i = 0; i < max; i++)
        if (check(g, tenant_id, now_ms).verdict != GW_TENANT_ADMIT)
            return i;
    return max;
}

static void test_calls_up_to_the_limit_are_admitted_and_the_next_is_429(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 5);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    for (int i = 0; i < 5; i++) {
        struct gw_tenant_decision d = check(g, A, T0 + 20000);
        assert_int_equal(d.verdict, GW_TENANT_ADMIT);
        assert_true(d.has_rate);
        assert_int_equal(d.limit, 5);
        assert_int_equal(d.remaining, 4 - i);
        assert_int_equal(d.reset_s, 40);
    }
    struct gw_tenant_decision d = check(g, A, T0 + 20500);
    assert_int_equal(d.verdict, GW_TENANT_RATE_LIMITED);
    assert_int_equal(d.remaining, 0);
    assert_int_equal(d.reset_s, 40); /* 39.5 s, rounded up */
    assert_int_equal(f.calls, 1);    /* one fetch for the new tenant, none per call */
    gw_tenant_guard_free(g);
}

static void test_the_next_window_admits_again(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 3);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(admit_all(g, A, T0 + 59000, 10), 3);
    assert_int_equal(check(g, A, T0 + 59999).reset_s, 1);
    struct gw_tenant_decision d = check(g, A, T0 + 60000);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    assert_int_equal(d.remaining, 2);
    assert_int_equal(d.reset_s, 60);
    gw_tenant_guard_free(g);
}

static void test_refused_calls_do_not_count(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 2);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(admit_all(g, A, T0, 100), 2);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 1000), 0);
    assert_int_equal(*count_of(&f, A, T0), 2);
    gw_tenant_guard_free(g);
}

static void test_suspended_and_cancelled_accounts_are_refused_outside_exempt_routes(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 100);
    add_tenant(&f, B, 100);
    set_account(&f, A, GW_ACCOUNT_SUSPENDED);
    set_account(&f, B, GW_ACCOUNT_CANCELLED);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    struct gw_tenant_decision d = check(g, A, T0);
    assert_int_equal(d.verdict, GW_TENANT_SUSPENDED);
    assert_true(d.has_rate); /* a refusal still says where the limit stands */
    assert_int_equal(d.remaining, 100);
    assert_int_equal(check(g, B, T0).verdict, GW_TENANT_CANCELLED);
    gw_tenant_guard_check(g, A, true, T0, &d);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    assert_int_equal(d.remaining, 99);
    gw_tenant_guard_check(g, B, true, T0, &d);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    gw_tenant_guard_free(g);
}

static void test_exempt_routes_are_me_logout_refresh_and_billing(void **state)
{
    (void)state;
    assert_true(gw_tenant_status_exempt("/api/auth/me/"));
    assert_true(gw_tenant_status_exempt("/api/auth/logout/"));
    assert_true(gw_tenant_status_exempt("/api/auth/token/refresh/"));
    assert_true(gw_tenant_status_exempt("/api/billing/subscription/"));
    assert_true(gw_tenant_status_exempt("/api/billing/create-checkout-session/"));
    assert_false(gw_tenant_status_exempt("/api/endpoints/"));
    assert_false(gw_tenant_status_exempt("/api/auth/token/"));
    assert_false(gw_tenant_status_exempt("/api/alerts/"));
    assert_false(gw_tenant_status_exempt("/api/billing"));
}

static void test_the_other_statuses_work_normally(void **state)
{
    (void)state;
    assert_int_equal(gw_account_of("trial"), GW_ACCOUNT_OK);
    assert_int_equal(gw_account_of("active"), GW_ACCOUNT_OK);
    assert_int_equal(gw_account_of("pending_payment"), GW_ACCOUNT_OK);
    assert_int_equal(gw_account_of("past_due"), GW_ACCOUNT_OK);
    assert_int_equal(gw_account_of("suspended"), GW_ACCOUNT_SUSPENDED);
    assert_int_equal(gw_account_of("cancelled"), GW_ACCOUNT_CANCELLED);
}

static void test_a_suspension_is_seen_at_the_next_sync(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 100);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(check(g, A, T0).verdict, GW_TENANT_ADMIT);
    set_account(&f, A, GW_ACCOUNT_SUSPENDED);
    assert_int_equal(check(g, A, T0 + 10).verdict, GW_TENANT_ADMIT); /* not yet synced */
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 1000), 0);
    assert_int_equal(check(g, A, T0 + 1001).verdict, GW_TENANT_SUSPENDED);
    set_account(&f, A, GW_ACCOUNT_OK);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 2000), 0);
    assert_int_equal(check(g, A, T0 + 2001).verdict, GW_TENANT_ADMIT);
    gw_tenant_guard_free(g);
}

static void test_two_replicas_share_one_count_through_the_syncs(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 10);
    struct gw_tenant_guard *one = guard_of(&f, 16), *two = guard_of(&f, 16);
    assert_int_equal(admit_all(one, A, T0, 6), 6);
    assert_int_equal(gw_tenant_guard_sync(one, T0 + 1000), 0);
    /* The second replica meets the tenant after the first synced: it starts from 6. */
    assert_int_equal(admit_all(two, A, T0 + 1100, 100), 4);
    assert_int_equal(gw_tenant_guard_sync(two, T0 + 2000), 0);
    assert_int_equal(gw_tenant_guard_sync(one, T0 + 2000), 0);
    assert_int_equal(check(one, A, T0 + 2100).verdict, GW_TENANT_RATE_LIMITED);
    assert_int_equal(*count_of(&f, A, T0), 10);
    gw_tenant_guard_free(two);
    gw_tenant_guard_free(one);
}

static void test_replicas_overshoot_by_at_most_what_the_others_admitted_unsynced(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 50);
    struct gw_tenant_guard *one = guard_of(&f, 16), *two = guard_of(&f, 16);
    /*
     * Ten calls per replica per sync interval, alternating: each replica is
     * blind to what the other admitted since the other's last sync, so the
     * total can pass 50 by at most the ten calls of one replica's interval.
     */
    int admitted = 0;
    for (int interval = 0; interval < 20; interval++) {
        long long now = T0 + interval * 1000LL;
        for (int i = 0; i < 10; i++) {
            admitted += check(one, A, now + i).verdict == GW_TENANT_ADMIT;
            admitted += check(two, A, now + i).verdict == GW_TENANT_ADMIT;
        }
        assert_int_equal(gw_tenant_guard_sync(one, now + 999), 0);
        assert_int_equal(gw_tenant_guard_sync(two, now + 999), 0);
    }
    assert_true(admitted >= 50);
    assert_true(admitted <= 50 + 10);
    assert_int_equal(*count_of(&f, A, T0), admitted);
    gw_tenant_guard_free(two);
    gw_tenant_guard_free(one);
}

static void test_while_sw_tenants_is_down_the_last_status_holds_and_counts_wait(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 100);
    add_tenant(&f, B, 100);
    set_account(&f, B, GW_ACCOUNT_SUSPENDED);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(check(g, A, T0).verdict, GW_TENANT_ADMIT);
    assert_int_equal(check(g, B, T0).verdict, GW_TENANT_SUSPENDED);
    set_down(&f, true);
    assert_int_equal(admit_all(g, A, T0 + 10, 5), 5);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 1000), SW_EUNAVAIL);
    struct gw_tenant_decision d = check(g, A, T0 + 1001);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT); /* counted here alone: 7 of 100 */
    assert_int_equal(d.remaining, 93);
    assert_int_equal(check(g, B, T0 + 1001).verdict, GW_TENANT_SUSPENDED);
    set_down(&f, false);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 2000), 0);
    assert_int_equal(*count_of(&f, A, T0), 7); /* the counts were sent again */
    gw_tenant_guard_free(g);
}

static void test_a_new_tenant_is_admitted_without_a_limit_while_sw_tenants_is_down(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 2);
    set_down(&f, true);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    struct gw_tenant_decision d = check(g, A, T0);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    assert_false(d.has_rate);
    assert_int_equal(check(g, A, T0 + 1).verdict, GW_TENANT_ADMIT);
    assert_int_equal(f.calls, 1); /* fetched once, not per call */
    set_down(&f, false);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 1000), 0);
    /* Both calls were counted: the limit of 2 is spent. */
    assert_int_equal(check(g, A, T0 + 1001).verdict, GW_TENANT_RATE_LIMITED);
    gw_tenant_guard_free(g);
}

static void test_a_tenant_sw_tenants_does_not_know_is_gone(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(check(g, A, T0).verdict, GW_TENANT_GONE);
    struct gw_tenant_decision d;
    gw_tenant_guard_check(g, A, true, T0, &d);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    gw_tenant_guard_free(g);
}

static void test_a_tenant_id_that_is_not_a_uuid_takes_no_entry(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(check(g, "", T0).verdict, GW_TENANT_GONE);
    assert_int_equal(check(g, "not-a-tenant", T0).verdict, GW_TENANT_GONE);
    assert_int_equal(gw_tenant_guard_size(g), 0);
    assert_int_equal(f.calls, 0);
    gw_tenant_guard_free(g);
}

static void test_one_tenant_at_its_limit_leaves_another_alone(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    add_tenant(&f, A, 3);
    add_tenant(&f, B, 3);
    struct gw_tenant_guard *g = guard_of(&f, 16);
    assert_int_equal(admit_all(g, A, T0, 10), 3);
    struct gw_tenant_decision d = check(g, B, T0);
    assert_int_equal(d.verdict, GW_TENANT_ADMIT);
    assert_int_equal(d.remaining, 2);
    gw_tenant_guard_free(g);
}

static void test_the_table_is_bounded_and_idle_tenants_leave_it(void **state)
{
    (void)state;
    struct fake_tenants f = {0};
    char ids[40][GW_TENANT_ID_MAX];
    for (int i = 0; i < 40; i++) {
        snprintf(ids[i], sizeof ids[i], "00000000-0000-4000-8000-%012d", i);
        add_tenant(&f, ids[i], 100);
    }
    struct gw_tenant_guard *g = guard_of(&f, 16);
    for (int i = 0; i < 40; i++)
        assert_int_equal(check(g, ids[i], T0 + i).verdict, GW_TENANT_ADMIT);
    assert_int_equal(gw_tenant_guard_size(g), 16);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 1000), 0); /* sends all 16 */
    assert_int_equal(gw_tenant_guard_size(g), 16);
    check(g, ids[39], T0 + 100000);
    assert_int_equal(gw_tenant_guard_sync(g, T0 + 120100), 0); /* 15 unused for 120 s */
    assert_int_equal(gw_tenant_guard_size(g), 1);
    gw_tenant_guard_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls_up_to_the_limit_are_admitted_and_the_next_is_429),
        cmocka_unit_test(test_the_next_window_admits_again),
        cmocka_unit_test(test_refused_calls_do_not_count),
        cmocka_unit_test(test_suspended_and_cancelled_accounts_are_refused_outside_exempt_routes),
        cmocka_unit_test(test_exempt_routes_are_me_logout_refresh_and_billing),
        cmocka_unit_test(test_the_other_statuses_work_normally),
        cmocka_unit_test(test_a_suspension_is_seen_at_the_next_sync),
        cmocka_unit_test(test_two_replicas_share_one_count_through_the_syncs),
        cmocka_unit_test(test_replicas_overshoot_by_at_most_what_the_others_admitted_unsynced),
        cmocka_unit_test(test_while_sw_tenants_is_down_the_last_status_holds_and_counts_wait),
        cmocka_unit_test(test_a_new_tenant_is_admitted_without_a_limit_while_sw_tenants_is_down),
        cmocka_unit_test(test_a_tenant_sw_tenants_does_not_know_is_gone),
        cmocka_unit_test(test_a_tenant_id_that_is_not_a_uuid_takes_no_entry),
        cmocka_unit_test(test_one_tenant_at_its_limit_leaves_another_alone),
        cmocka_unit_test(test_the_table_is_bounded_and_idle_tenants_leave_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
