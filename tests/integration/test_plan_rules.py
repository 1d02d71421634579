"""Plan rules that hold (issue 14): the loopholes that let a tenant check more
often than its plan allows, or make a check do what its endpoint did not ask.

- Retries and thresholds: a target that keeps flapping would be re-checked at
  the retry interval forever; the check budget keeps a Free endpoint at its
  plan's rate on average (retries still confirm one change quickly).
- A downgrade raises every interval to the new plan's minimum.
- A new URL (or a pause and resume) does not start a check sooner than the
  retry interval after the last one started.
- Redirects: POST/PUT/PATCH/DELETE/OPTIONS monitors do not follow them unless
  the endpoint says so, and a method other than GET or HEAD is never replayed
  on a redirect to another host.
"""
import time
import urllib.parse

from billing_helpers import (cus_id, deliver, sub_event, sub_id, tid, wait_tenant_plan)
from conftest import wait_for
from endpoint_helpers import BASE, create, get, tag, unique_url

FREE_MIN_INTERVAL = 60


def patch(client, eid, **fields):
    r = client.patch(f"{BASE}{eid}/", fields)
    assert r.status_code == 200, r.text
    return r.json()


def test_retries_and_thresholds_cannot_outrun_the_plan(stack, signed_up_client, targets):
    c = signed_up_client()
    flap_tag, fail_tag = tag(), tag()
    # Flapping: every result is a change to confirm, so each would be retried in 5 s.
    create(c, unique_url(targets.ok, "/flap", t=flap_tag), interval_seconds=FREE_MIN_INTERVAL,
           retry_interval_seconds=5, failure_threshold=2, success_threshold=2)
    # A plain outage is still confirmed at the retry interval: 3 failures within seconds.
    down = create(c, unique_url(targets.ok, "/fail", t=fail_tag),
                  interval_seconds=FREE_MIN_INTERVAL, retry_interval_seconds=5,
                  failure_threshold=3)
    assert wait_for(lambda: targets.ok.count(flap_tag) >= 1, timeout=10)
    first = targets.ok.hits(flap_tag)[0][0]
    time.sleep(max(0.0, first + 32 - time.time()))
    flaps = targets.ok.hits(flap_tag)
    times = [round(h[0] - first, 1) for h in flaps]
    # The budget allows the longer threshold (2) at once, then one per 60 s: without it,
    # a check every 5 s (7 in 32 s).
    assert len(flaps) == 2, times
    assert times[1] < 10, times
    assert get(c, down["id"])["status"] == "down"
    assert targets.ok.count(fail_tag) == 3


def test_a_downgrade_raises_intervals_to_the_plan_minimum(stack, signed_up_client, targets):
    c = signed_up_client()
    t = tid(c)
    now = int(time.time())
    sid, customer = sub_id(), cus_id()
    deliver(stack, sub_event("customer.subscription.created", t, sid, customer, "active", now))
    # Polled in sw-tenants' table, not through /api/auth/me/: sw-monitors first meets the
    # tenant below, with its new plan (a /me in flight across the change could leave it
    # cached as Free for the cache's lifetime).
    assert wait_for(lambda: stack.sql(f"SELECT plan FROM tenancy.tenants WHERE id = '{t}'")
                    == [["pro"]], timeout=5)
    fast = create(c, unique_url(targets.ok), interval_seconds=30)
    slow = create(c, unique_url(targets.ok), interval_seconds=300)
    assert fast["interval_seconds"] == 30

    deliver(stack, sub_event("customer.subscription.deleted", t, sid, customer, "canceled",
                             now + 60))
    wait_tenant_plan(c, "free", "canceled", timeout=5)
    assert wait_for(lambda: get(c, fast["id"])["interval_seconds"] == FREE_MIN_INTERVAL,
                    timeout=10), get(c, fast["id"])
    assert get(c, slow["id"])["interval_seconds"] == 300
    rows = stack.sql(f"SELECT interval_seconds, min_interval_seconds FROM monitors.schedule"
                     f" WHERE endpoint_id = '{fast['id']}'")
    assert rows == [[str(FREE_MIN_INTERVAL), str(FREE_MIN_INTERVAL)]], rows


def test_a_new_url_does_not_check_sooner_than_the_retry_interval(stack, signed_up_client,
                                                                 targets):
    c = signed_up_client()
    t = tag()
    ep = create(c, unique_url(targets.ok, t=t + "-0"), interval_seconds=3600,
                retry_interval_seconds=6)
    assert wait_for(lambda: targets.ok.count(t) >= 1, timeout=10)
    first = targets.ok.hits(t)[0][0]
    # Each new URL would be checked at once: four checks in a second.
    for i in range(1, 4):
        patch(c, ep["id"], url=unique_url(targets.ok, t=f"{t}-{i}"))
    patch(c, ep["id"], paused=True)
    patch(c, ep["id"], paused=False)
    time.sleep(max(0.0, first + 4 - time.time()))
    assert targets.ok.count(t) == 1, [h[2] for h in targets.ok.hits(t)]
    # The latest URL is checked once the retry interval has passed.
    assert wait_for(lambda: targets.ok.count(f"{t}-3") == 1, timeout=8)
    hits = targets.ok.hits(t)
    assert len(hits) == 2 and hits[1][0] - first >= 5.9, [(h[0] - first, h[2]) for h in hits]


def redirect_url(target, to, code):
    return f"{target.base}/redirect?code={code}&to={urllib.parse.quote(to, safe='')}&t={tag()}"


def test_redirects_never_replay_a_method_to_another_host(stack, signed_up_client, targets):
    c = signed_up_client()
    # "localhost" is another host than 127.0.0.1, on the same (allowed) address.
    other = f"http://localhost:{targets.ok.port}"
    t_default, t_follow, t_same = tag(), tag(), tag()
    default = create(c, redirect_url(targets.ok, f"{other}/ok?t={t_default}", 307),
                     method="POST", interval_seconds=3600)
    follow = create(c, redirect_url(targets.ok, f"{other}/ok?t={t_follow}", 307),
                    method="POST", follow_redirects=True, interval_seconds=3600)
    same = create(c, redirect_url(targets.ok, f"{targets.ok.base}/ok?t={t_same}", 307),
                  method="PUT", follow_redirects=True, interval_seconds=3600)

    for ep in (default, follow, same):
        assert wait_for(lambda: get(c, ep["id"])["last_checked_at"], timeout=15), get(c, ep["id"])
    # Not followed: the 307 itself is the answer (any 3xx passes without expected_status).
    assert targets.ok.count(t_default, path="/ok") == 0
    assert get(c, default["id"])["last_status_code"] == 307
    # Followed to another host: as GET, never POST.
    assert [h[1] for h in targets.ok.hits(t_follow, path="/ok")] == ["GET"]
    assert get(c, follow["id"])["last_status_code"] == 200
    # Followed on the same host: a 307 keeps the method.
    assert [h[1] for h in targets.ok.hits(t_same, path="/ok")] == ["PUT"]
    assert default["follow_redirects"] is False and follow["follow_redirects"] is True


def test_follow_redirects_defaults_to_the_method(stack, signed_up_client, targets):
    c = signed_up_client()
    ep = create(c, unique_url(targets.ok), interval_seconds=3600)
    assert ep["follow_redirects"] is True
    assert patch(c, ep["id"], method="DELETE")["follow_redirects"] is False
    assert patch(c, ep["id"], follow_redirects=True)["follow_redirects"] is True
    assert patch(c, ep["id"], name="renamed")["follow_redirects"] is True
    assert patch(c, ep["id"], method="HEAD")["follow_redirects"] is True
    r = c.patch(f"{BASE}{ep['id']}/", {"follow_redirects": "yes"})
    assert r.status_code == 400 and "follow_redirects" in r.json()["errors"], r.text
