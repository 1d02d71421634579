"""Acceptance: the tenant's plan follows its Stripe subscription end to end.
Free allows 3 endpoints; a signed subscription webhook makes the tenant Pro at
once (more endpoints allowed); deleting the subscription makes it Free again and
pauses the endpoints over the limit, newest first, deleting none; a new
subscription resumes them."""
import time

from billing_helpers import (SUBSCRIPTION, cus_id, deliver, iso, me_tenant, sub_event, sub_id,
                             subscription_state, tid, wait_tenant_plan)
from conftest import assert_error, wait_for
from endpoint_helpers import BASE, create, unique_url


def endpoints(client):
    r = client.get(BASE + "?page_size=100")
    assert r.status_code == 200, r.text
    return {e["id"]: e for e in r.json()["results"]}


def wait_paused(client, expected, timeout=10):
    """Polls until each endpoint's `paused` is as in expected {id: bool}."""
    last = {}

    def poll():
        last["eps"] = endpoints(client)
        return {i: last["eps"][i]["paused"] for i in expected} == expected
    if not wait_for(poll, timeout=timeout, interval=0.2):
        got = {i: last["eps"][i]["paused"] for i in expected}
        raise AssertionError(f"paused flags after {timeout}s: {got}, wanted {expected}")
    return last["eps"]


def test_plan_follows_the_subscription_and_downgrades_pause_instead_of_delete(
        stack, signed_up_client, targets):
    c = signed_up_client()
    t = tid(c)
    slow = {"interval_seconds": 86400}
    ids = [create(c, unique_url(targets.ok), **slow)["id"] for _ in range(3)]
    assert_error(c.post(BASE, {"url": unique_url(targets.ok), **slow}), 403,
                 code="plan_limit_reached")

    # Upgrade: a signed customer.subscription.created, status active.
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    end = now + 30 * 86400
    deliver(stack, sub_event("customer.subscription.created", t, sid, customer, "active", now,
                             period_end=end))
    tenant = wait_tenant_plan(c, "pro", "active", timeout=5)
    assert tenant["endpoint_limit"] != 3, tenant
    assert subscription_state(c) == {"plan": "pro", "status": "active",
                                     "current_period_end": iso(end),
                                     "cancel_at_period_end": False,
                                     "stripe_configured": True, "test_mode": True}
    ids.append(create(c, unique_url(targets.ok), **slow)["id"])
    ids.append(create(c, unique_url(targets.ok), **slow)["id"])
    assert me_tenant(c)["endpoint_count"] == 5
    assert all(e["paused"] is False for e in endpoints(c).values())

    # Downgrade: the subscription is deleted (status canceled, a later `created`).
    deliver(stack, sub_event("customer.subscription.deleted", t, sid, customer, "canceled",
                             now + 60, period_end=end))
    wait_tenant_plan(c, "free", "canceled", timeout=5)
    eps = wait_paused(c, {ids[0]: False, ids[1]: False, ids[2]: False, ids[3]: True,
                          ids[4]: True})
    assert len(eps) == 5
    assert eps[ids[3]]["status"] == "paused" and eps[ids[4]]["status"] == "paused"
    assert [eps[i]["paused_by_plan"] for i in ids] == [False, False, False, True, True]
    assert stack.sql(f'SELECT count(*) FROM "{c.schema}".endpoints') == [["5"]]
    state = subscription_state(c)
    assert (state["plan"], state["status"]) == ("free", "canceled"), state
    # Still at the limit: no new endpoint, and a plan-paused one cannot be resumed by hand.
    assert_error(c.post(BASE, {"url": unique_url(targets.ok), **slow}), 403,
                 code="plan_limit_reached")
    assert_error(c.patch(f"{BASE}{ids[4]}/", {"paused": False}), 403, code="plan_limit_reached")
    assert endpoints(c)[ids[4]]["paused"] is True

    # A new subscription: the plan-paused endpoints resume.
    sid2 = sub_id()
    deliver(stack, sub_event("customer.subscription.created", t, sid2, customer, "active",
                             now + 120))
    wait_tenant_plan(c, "pro", "active", timeout=5)
    eps = wait_paused(c, {i: False for i in ids})
    assert len(eps) == 5
    assert not any(e["paused_by_plan"] for e in eps.values())
    assert stack.sql(f'SELECT count(*) FROM "{c.schema}".endpoints') == [["5"]]
    r = c.get(SUBSCRIPTION)
    assert r.json()["plan"] == "pro" and r.json()["status"] == "active"


def test_the_plan_change_reaches_the_tenant_within_a_few_seconds(stack, signed_up_client):
    """The push after the webhook is immediate; /api/auth/me/ shows it quickly."""
    c = signed_up_client()
    now = int(time.time())
    started = time.time()
    deliver(stack, sub_event("customer.subscription.created", tid(c), sub_id(), cus_id(),
                             "active", now))
    wait_tenant_plan(c, "pro", "active", timeout=5)
    assert time.time() - started < 5


def test_a_push_that_fails_is_retried_until_the_tenant_has_its_plan(stack, signed_up_client,
                                                                     targets):
    """sw-tenants does not answer while the webhook arrives: the event is still
    recorded (200), the push fails, and the retry thread delivers the plan once
    sw-tenants is back. A user-paused endpoint is not resumed by the upgrade."""
    import os
    import signal
    c = signed_up_client()
    t = tid(c)
    mine = create(c, unique_url(targets.ok), interval_seconds=86400)["id"]
    assert c.patch(f"{BASE}{mine}/", {"paused": True}).status_code == 200
    tenants = stack.pid("tenants")
    os.kill(tenants, signal.SIGSTOP)
    try:
        r = deliver(stack, sub_event("customer.subscription.created", t, sub_id(), cus_id(),
                                     "active", int(time.time())))
        assert r.status_code == 200, r.text
        # The webhook answered without waiting for the push; the push fails (deadline).
        failed = f"SELECT plan, version > synced_version, attempts >= 1" \
                 f" FROM billing.tenant_sync WHERE tenant_id = '{t}'"
        assert wait_for(lambda: stack.sql(failed) == [["pro", "t", "t"]], timeout=10), \
            stack.sql(failed)
    finally:
        os.kill(tenants, signal.SIGCONT)
    wait_tenant_plan(c, "pro", "active", timeout=15)
    assert wait_for(lambda: stack.sql(f"SELECT version = synced_version FROM billing.tenant_sync"
                                      f" WHERE tenant_id = '{t}'") == [["t"]], timeout=10)
    assert endpoints(c)[mine]["paused"] is True
    assert endpoints(c)[mine]["paused_by_plan"] is False
