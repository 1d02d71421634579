"""The per-tenant API rate limit (api.md: every authenticated call, by plan:
Free 120/min, Pro 1,200/min, a column of the plan), decided in the gateway's
tenant guard and shared by its replicas through sw-tenants. A stack of its own
with the binaries' default limits (the shared one raises them), and a short
sync interval so that the two-gateway bound below is tight."""
import os
import subprocess
import time

import pytest
import requests

from conftest import assert_error, extra_gateway, running_stack, signed_up_client_for

PROBE = os.path.join(os.environ.get("SW_BIN_DIR", ""), "sw-rpc-probe")
FREE_LIMIT = 120
PRO_LIMIT = 1200
SYNC_MS = 250
PACE_S = 0.01
GUARD_ENV = {"SW_GATEWAY_TENANT_SYNC_MS": str(SYNC_MS)}


@pytest.fixture(scope="module")
def limited_stack():
    with running_stack({"SW_RATE_LIMIT_API_PER_MINUTE_FREE": None,
                        "SW_RATE_LIMIT_API_PER_MINUTE_PRO": None, **GUARD_ENV}) as st:
        yield st


@pytest.fixture(scope="module")
def second_gateway(limited_stack):
    """Another sw-gateway process of the same stack (same services, same keys)."""
    with extra_gateway(limited_stack, GUARD_ENV) as base:
        yield base


def fresh_window(needed_s=25):
    """Waits for the next minute unless at least needed_s of this one are left
    (the windows are the gateway's wall-clock minutes)."""
    left = 60 - time.time() % 60
    if left < needed_s:
        time.sleep(left + 0.3)


def assert_rate_headers(r, limit):
    assert r.headers["RateLimit-Limit"] == str(limit), r.headers
    assert 0 <= int(r.headers["RateLimit-Remaining"]) <= limit
    assert 1 <= int(r.headers["RateLimit-Reset"]) <= 60


def test_the_121st_call_of_a_minute_is_429_and_another_tenant_is_unaffected(limited_stack):
    c = signed_up_client_for(limited_stack)
    other = signed_up_client_for(limited_stack)
    fresh_window()
    for i in range(FREE_LIMIT):
        r = c.get("/api/endpoints/")
        assert r.status_code == 200, (i, r.text)
        assert_rate_headers(r, FREE_LIMIT)
        assert r.headers["RateLimit-Remaining"] == str(FREE_LIMIT - 1 - i)
    r = c.get("/api/auth/me/")  # every authenticated route counts
    body = assert_error(r, 429, code="rate_limited")
    assert set(body) == {"detail", "code"}
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.headers["RateLimit-Remaining"] == "0"
    assert_rate_headers(r, FREE_LIMIT)
    assert_error(c.post("/api/endpoints/", {"url": "https://example.com/"}), 429,
                 code="rate_limited")
    r = other.get("/api/endpoints/")
    assert r.status_code == 200
    assert r.headers["RateLimit-Remaining"] == str(FREE_LIMIT - 1)
    # Routes outside the limit: the login itself, health.
    assert requests.get(limited_stack.base_url + "/health/").headers.get("RateLimit-Limit") is None


def test_the_limit_is_the_plans(limited_stack):
    c = signed_up_client_for(limited_stack)
    assert c.get("/api/endpoints/").headers["RateLimit-Limit"] == str(FREE_LIMIT)
    rows = limited_stack.sql("SELECT plan, api_requests_per_minute FROM tenancy.plan_limits"
                             " ORDER BY plan")
    assert rows == [["free", str(FREE_LIMIT)], ["pro", str(PRO_LIMIT)]]
    tid = c.reg["tenant"]["id"]
    limited_stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{tid}'")
    deadline = time.time() + 10
    while time.time() < deadline:
        r = c.get("/api/endpoints/")
        if r.headers["RateLimit-Limit"] == str(PRO_LIMIT):
            break
        time.sleep(0.1)
    assert r.headers["RateLimit-Limit"] == str(PRO_LIMIT)


def busiest(times, span):
    """The most of the sorted instants `times` inside any interval of `span` seconds."""
    best, start = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] > span:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_two_gateways_admit_at_most_the_limit_and_one_sync_interval_more(limited_stack,
                                                                          second_gateway):
    c = signed_up_client_for(limited_stack)
    bases = [limited_stack.base_url, second_gateway]
    session = requests.Session()
    headers = {"Authorization": "Bearer " + c.access, "X-Forwarded-For": c.ip}
    fresh_window()
    sent = {0: [], 1: []}
    admitted = 0
    statuses = []
    # At most PACE_S per call, so that one interval holds a known, small number of calls.
    for i in range(2 * FREE_LIMIT):
        side = i % 2
        if sent[1 - side]:
            time.sleep(max(0.0, PACE_S - (time.monotonic() - sent[1 - side][-1])))
        sent[side].append(time.monotonic())
        r = session.get(bases[side] + "/api/endpoints/", headers=headers, timeout=15)
        assert r.status_code in (200, 429), r.text
        assert_rate_headers(r, FREE_LIMIT)
        statuses.append(r.status_code)
        admitted += r.status_code == 200
    # A replica is blind to what the other admitted since the other's last sync,
    # and its own view is at most one interval old: two intervals of the other's
    # calls (with room for the sync's round trip) is all it can add.
    span = 2 * SYNC_MS / 1000 + 0.1
    overshoot = max(busiest(sent[0], span), busiest(sent[1], span))
    assert FREE_LIMIT <= admitted <= FREE_LIMIT + overshoot, (admitted, overshoot)
    assert overshoot < FREE_LIMIT / 2, "too fast to tell a shared count from two separate ones"
    # Both have learned the total by now.
    time.sleep(2 * SYNC_MS / 1000)
    for base in bases:
        assert_error(session.get(base + "/api/endpoints/", headers=headers, timeout=15), 429,
                     code="rate_limited")
    used = limited_stack.sql("SELECT sum(calls) FROM tenancy.api_usage"
                             f" WHERE tenant_id = '{c.reg['tenant']['id']}'")
    assert int(used[0][0]) == admitted


def test_only_the_gateways_listener_serves_sync_usage(limited_stack):
    """tenants.SyncUsage is the gateway's (SW_RPC_PUBLIC): other services cannot call it."""
    def probe(name):
        url = "ipc://" + os.path.join(limited_stack.var_dir, "rpc", name)
        return subprocess.run([PROBE, url, "tenants.SyncUsage"], capture_output=True, text=True,
                              timeout=20).stdout.strip()
    assert probe("tenants.ipc") == "PERMISSION_DENIED"
    assert probe("tenants-public.ipc") == "OK"  # an empty batch
