"""Checks over real HTTP against local targets: status, assertions, timeouts,
the address guard on redirects, retries and thresholds, pause and delete, the
transition events (outbox and status_changes), uptime (and the 24 h uptime kept
in the endpoint row) and the timing split.

Every endpoint of the module is created up front by one fixture, so the
waits for the first checks run side by side; each test then polls for the
state its endpoint must reach."""
import time
import urllib.parse

import pytest

from conftest import assert_error, signed_up_client_for, wait_for
from endpoint_helpers import (BASE, CHECK_KEYS, UPTIME_KEYS, checks, create, force_due, get,
                              parse_time, result_count, tag, transitions_outbox,
                              transitions_table, wait_checks, wait_status)
from targets import KEYWORD

REFUSED_WORDS = ("refused",)


class Scenario:
    """name -> (client, endpoint, tag) for every endpoint of the module."""

    def __init__(self):
        self.eps = {}

    def add(self, client, name, url, t, **fields):
        r = client.post(BASE, {"url": url, "name": name, **fields})
        assert r.status_code == 201, (name, r.text)
        self.eps[name] = (client, r.json(), t)

    def __getitem__(self, name):
        return self.eps[name]


@pytest.fixture(scope="module")
def scenario(stack, targets):
    ok, bad = targets.ok, targets.forbidden
    tenants = []
    for _ in range(5):
        tenants.append(signed_up_client_for(stack))
    t1, t2, t3, t4, t5 = tenants
    s = Scenario()
    T = {name: tag() for name in ("pause", "delete", "fail2", "flap", "timeout", "redirect_bad",
                                  "redirect_ok", "redirect_ok_dest", "ok", "expect404",
                                  "expect_mismatch", "kw_present", "kw_absent", "status503",
                                  "head", "post")}
    ok.set_status(T["flap"], 200)
    # Retried every 5 s without ever reaching the threshold: stays pending.
    s.add(t4, "pause", f"{ok.base}/fail?t={T['pause']}", T["pause"],
          retry_interval_seconds=5, failure_threshold=10)
    s.add(t4, "delete", f"{ok.base}/fail?t={T['delete']}", T["delete"],
          retry_interval_seconds=5, failure_threshold=10)
    s.add(t1, "fail2", f"{ok.base}/fail?t={T['fail2']}", T["fail2"], retry_interval_seconds=5)
    s.add(t5, "flap", f"{ok.base}/switch?t={T['flap']}", T["flap"], retry_interval_seconds=5,
          failure_threshold=2)
    s.add(t3, "timeout", f"{ok.base}/slow?ms=3000&t={T['timeout']}", T["timeout"],
          timeout_ms=1000, failure_threshold=1)
    forbidden = f"{bad.base}/ok?t={T['redirect_bad']}"
    s.add(t3, "redirect_bad",
          f"{ok.base}/redirect?t={T['redirect_bad']}&to={urllib.parse.quote(forbidden, safe='')}",
          T["redirect_bad"], failure_threshold=1)
    dest = f"{ok.base}/ok?t={T['redirect_ok_dest']}"
    s.add(t3, "redirect_ok",
          f"{ok.base}/redirect?t={T['redirect_ok']}&to={urllib.parse.quote(dest, safe='')}",
          T["redirect_ok"])
    s.add(t1, "ok", f"{ok.base}/ok?t={T['ok']}", T["ok"])
    s.add(t1, "expect404", f"{ok.base}/status/404?t={T['expect404']}", T["expect404"],
          expected_status=404)
    s.add(t2, "expect_mismatch", f"{ok.base}/ok?t={T['expect_mismatch']}", T["expect_mismatch"],
          expected_status=201, failure_threshold=1)
    s.add(t2, "kw_present", f"{ok.base}/keyword?t={T['kw_present']}", T["kw_present"],
          keyword=KEYWORD)
    s.add(t2, "kw_absent", f"{ok.base}/ok?t={T['kw_absent']}", T["kw_absent"], keyword=KEYWORD,
          failure_threshold=1)
    s.add(t4, "status503", f"{ok.base}/status/503?t={T['status503']}", T["status503"],
          failure_threshold=1)
    s.add(t5, "head", f"{ok.base}/ok?t={T['head']}", T["head"], method="HEAD")
    s.add(t5, "post", f"{ok.base}/ok?t={T['post']}", T["post"], method="POST")
    s.tenants = tenants
    s.dest_tag = T["redirect_ok_dest"]
    yield s
    # Whatever happened, nothing ever connected to the forbidden target.
    assert targets.forbidden.connections == 0


def assert_transitions(stack, client, ep, expected):
    """Each transition appears exactly once, in order, in the outbox and in
    the tenant's status_changes."""
    got = {"outbox": transitions_outbox(stack, ep["id"]),
           "status_changes": transitions_table(stack, client.schema, ep["id"])}
    assert got == {"outbox": expected, "status_changes": expected}
    rows = stack.sql("SELECT tenant_id FROM monitors.outbox WHERE endpoint_id = "
                     f"'{ep['id']}'")
    assert all(r == [client.reg["tenant"]["id"]] for r in rows)


def assert_failed_with(client, ep, words):
    """The endpoint is down and its last error (and its newest check's) says why."""
    got = wait_status(client, ep["id"], "down")
    err = got["last_error"]
    assert isinstance(err, str) and err, got
    assert any(w in err.lower() for w in words), err
    newest = checks(client, ep["id"])[0]
    assert newest["ok"] is False and newest["error"] == err
    return got


# --- up -----------------------------------------------------------------------

def test_healthy_target_goes_up_right_away(stack, scenario, targets):
    c, ep, t = scenario["ok"]
    got = wait_status(c, ep["id"], "up")
    assert got["last_status_code"] == 200
    assert got["last_error"] is None
    assert isinstance(got["last_latency_ms"], int) and 0 <= got["last_latency_ms"] < 5000
    checked = parse_time(got["last_checked_at"])
    # The first check ran as soon as the endpoint was created, not an interval later.
    assert (checked - parse_time(ep["created_at"])).total_seconds() < 5

    items = checks(c, ep["id"])
    assert len(items) >= 1
    first = items[-1]
    assert set(first) == CHECK_KEYS
    assert first["ok"] is True and first["status_code"] == 200 and first["error"] is None
    parse_time(first["checked_at"])
    for k in ("latency_ms", "dns_ms", "connect_ms", "ttfb_ms"):
        assert isinstance(first[k], int) and 0 <= first[k] < 5000, (k, first)
    assert first["tls_ms"] is None, first  # plain http: no TLS phase
    assert first["ttfb_ms"] <= first["latency_ms"] + 1, first
    # One request per check: no check ran twice.
    assert len(items) <= targets.ok.count(t) <= len(items) + 1
    assert targets.ok.hits(t)[0][1] == "GET"
    assert got["tls_expires_at"] is None
    assert_transitions(stack, c, ep, [("pending", "up")])


def test_uptime_of_an_always_up_endpoint_is_100(scenario):
    c, ep, _ = scenario["ok"]
    wait_status(c, ep["id"], "up")

    def uptime():
        r = c.get(f"{BASE}{ep['id']}/uptime/")
        assert r.status_code == 200, r.text
        return r.json() if r.json()["uptime_24h"] is not None else None
    u = wait_for(uptime, timeout=15)
    assert u, "uptime_24h stayed null after a successful check"
    assert set(u) == UPTIME_KEYS
    assert u["uptime_24h"] == 100 and u["uptime_7d"] == 100 and u["uptime_30d"] == 100
    assert isinstance(u["latency_p50_ms"], int) and isinstance(u["latency_p95_ms"], int)
    assert 0 <= u["latency_p50_ms"] <= u["latency_p95_ms"] < 5000
    assert get(c, ep["id"])["uptime_24h"] == 100


def test_expected_status_is_the_assertion(scenario):
    c, ep, _ = scenario["expect404"]
    got = wait_status(c, ep["id"], "up")
    assert got["last_status_code"] == 404
    c, ep, _ = scenario["expect_mismatch"]
    got = assert_failed_with(c, ep, ("status", "200", "201"))
    assert got["last_status_code"] == 200


def test_status_outside_2xx_3xx_fails_by_default(stack, scenario):
    c, ep, _ = scenario["status503"]
    got = assert_failed_with(c, ep, ("503", "status"))
    assert got["last_status_code"] == 503
    assert_transitions(stack, c, ep, [("pending", "down")])


def test_keyword_present_is_up_and_absent_is_down(scenario):
    c, ep, _ = scenario["kw_present"]
    assert wait_status(c, ep["id"], "up")["last_status_code"] == 200
    c, ep, _ = scenario["kw_absent"]
    got = assert_failed_with(c, ep, ("keyword",))
    assert got["last_status_code"] == 200
    u = c.get(f"{BASE}{ep['id']}/uptime/").json()
    assert u["uptime_24h"] in (0, None)


def test_method_is_the_one_configured(scenario, targets):
    for name, method in (("head", "HEAD"), ("post", "POST")):
        c, ep, t = scenario[name]
        wait_status(c, ep["id"], "up")
        assert {h[1] for h in targets.ok.hits(t)} == {method}


def test_slow_target_times_out(scenario, targets):
    c, ep, t = scenario["timeout"]
    got = assert_failed_with(c, ep, ("timeout", "timed out"))
    assert got["last_status_code"] is None
    newest = checks(c, ep["id"])[0]
    assert newest["status_code"] is None
    # Given up at about the timeout, not when the target finally answered.
    assert newest["latency_ms"] is None or 900 <= newest["latency_ms"] < 2500, newest
    assert targets.ok.count(t) >= 1


def test_redirect_is_followed(scenario, targets):
    c, ep, t = scenario["redirect_ok"]
    got = wait_status(c, ep["id"], "up")
    assert got["last_status_code"] == 200
    assert targets.ok.count(t, path="/redirect") >= 1
    assert targets.ok.count(scenario.dest_tag, path="/ok") >= 1


def test_redirect_to_a_forbidden_address_is_refused_without_connecting(scenario, targets):
    c, ep, t = scenario["redirect_bad"]
    assert_failed_with(c, ep, REFUSED_WORDS)
    assert targets.ok.count(t) >= 1  # the first hop was made
    assert targets.forbidden.connections == 0 and targets.forbidden.count() == 0


# --- retries, thresholds and transitions --------------------------------------

def test_failing_target_goes_down_after_the_threshold_with_a_quick_retry(stack, scenario, targets):
    c, ep, t = scenario["fail2"]
    got = wait_status(c, ep["id"], "down")
    assert got["last_status_code"] == 500 and got["last_error"]
    items = checks(c, ep["id"])
    assert len(items) >= 2
    assert all(i["ok"] is False and i["status_code"] == 500 and i["error"] for i in items)
    times = [parse_time(i["checked_at"]) for i in items]
    assert times == sorted(times, reverse=True), "checks are not newest first"
    # The second check came after the retry interval (5 s), not the interval (60 s).
    gap = (times[-2] - times[-1]).total_seconds()
    assert 4 <= gap <= 10, gap
    # One failure was not enough: DOWN came with the second one, once.
    assert_transitions(stack, c, ep, [("pending", "down")])
    changed = stack.sql(f'SELECT changed_at >= (SELECT max(checked_at) - interval \'1 second\''
                        f' FROM "{c.schema}".check_results WHERE endpoint_id = \'{ep["id"]}\')'
                        f' FROM "{c.schema}".status_changes WHERE endpoint_id = \'{ep["id"]}\'')
    assert changed == [["t"]] or len(items) > 2
    assert len(checks(c, ep["id"], limit=1)) == 1
    assert checks(c, ep["id"], limit=1)[0] == checks(c, ep["id"])[0]
    assert c.get(f"{BASE}{ep['id']}/uptime/").json()["uptime_24h"] == 0


def test_each_transition_raises_exactly_one_event(stack, scenario, targets):
    """up -> one failure below the threshold (no event) -> up -> two failures
    -> down -> up: pending->up, up->down and down->up, each exactly once."""
    c, ep, t = scenario["flap"]
    eid = ep["id"]
    wait_status(c, eid, "up")
    assert_transitions(stack, c, ep, [("pending", "up")])

    def results_reach(n):
        assert wait_for(lambda: result_count(stack, c.schema, eid) >= n, timeout=20), \
            f"only {result_count(stack, c.schema, eid)} results, wanted {n}"

    n = result_count(stack, c.schema, eid)
    targets.ok.set_status(t, 500)
    force_due(stack, eid)
    results_reach(n + 1)
    targets.ok.set_status(t, 200)  # recovers before the retry (5 s later)
    assert get(c, eid)["status"] == "up"
    results_reach(n + 2)
    got = get(c, eid)
    assert got["status"] == "up" and got["last_status_code"] == 200
    assert_transitions(stack, c, ep, [("pending", "up")])

    targets.ok.set_status(t, 500)
    force_due(stack, eid)
    got = wait_status(c, eid, "down", timeout=25)
    assert got["last_status_code"] == 500
    assert_transitions(stack, c, ep, [("pending", "up"), ("up", "down")])

    targets.ok.set_status(t, 200)
    force_due(stack, eid)
    wait_status(c, eid, "up", timeout=25)
    assert_transitions(stack, c, ep, [("pending", "up"), ("up", "down"), ("down", "up")])
    payload = stack.sql("SELECT payload FROM monitors.outbox WHERE endpoint_id = "
                        f"'{eid}' ORDER BY seq DESC LIMIT 1")[0][0]
    assert '"down"' in payload and '"up"' in payload
    u = c.get(f"{BASE}{eid}/uptime/").json()
    assert u["uptime_24h"] is not None and 0 < u["uptime_24h"] < 100


# --- pause and delete ----------------------------------------------------------

def test_pause_and_delete_take_endpoints_off_the_schedule(stack, scenario, targets):
    cp, paused, tp = scenario["pause"]
    cd, deleted, td = scenario["delete"]
    wait_checks(cp, paused["id"], 1)
    wait_checks(cd, deleted["id"], 1)
    # Both are retried every 5 s; take them off right after a check.
    r = cp.patch(f"{BASE}{paused['id']}/", {"paused": True})
    assert r.status_code == 200 and r.json()["status"] == "paused", r.text
    assert cd.delete(f"{BASE}{deleted['id']}/").status_code == 204
    time.sleep(1)  # let a check that was already in flight land
    for eid in (paused["id"], deleted["id"]):
        assert stack.sql(f"SELECT count(*) FROM monitors.schedule WHERE endpoint_id = '{eid}'") \
            == [["0"]]
    seen_p, seen_d = targets.ok.count(tp), targets.ok.count(td)
    stored_p = result_count(stack, cp.schema, paused["id"])
    time.sleep(7)
    assert targets.ok.count(tp) == seen_p, "a paused endpoint was checked"
    assert targets.ok.count(td) == seen_d, "a deleted endpoint was checked"
    assert result_count(stack, cp.schema, paused["id"]) == stored_p
    assert len(checks(cp, paused["id"])) == stored_p
    assert get(cp, paused["id"])["status"] == "paused"
    assert result_count(stack, cd.schema, deleted["id"]) == 0  # results went with it
    assert_error(cd.get(f"{BASE}{deleted['id']}/checks/"), 404)

    # Resuming puts it back on the schedule and it is checked again soon.
    r = cp.patch(f"{BASE}{paused['id']}/", {"paused": False})
    assert r.status_code == 200 and r.json()["status"] != "paused", r.text
    assert stack.sql("SELECT count(*) FROM monitors.schedule WHERE endpoint_id = "
                     f"'{paused['id']}'") == [["1"]]
    assert wait_for(lambda: targets.ok.count(tp) > seen_p, timeout=15), "not checked after resume"
    assert wait_for(lambda: result_count(stack, cp.schema, paused["id"]) > stored_p, timeout=10)


def test_nothing_was_dead_lettered(stack, scenario):
    ids = ",".join(f"'{ep['id']}'" for _, ep, _ in scenario.eps.values())
    assert stack.sql(f"SELECT count(*) FROM monitors.dead_letters WHERE endpoint_id IN ({ids})") \
        == [["0"]]
    # One result per slot, always.
    for c in scenario.tenants:
        assert stack.sql(f'SELECT endpoint_id, scheduled_at FROM "{c.schema}".check_results'
                         " GROUP BY 1, 2 HAVING count(*) > 1") == []


def test_me_counts_the_endpoints(scenario):
    c = scenario.tenants[0]
    r = c.get("/api/auth/me/")
    assert r.status_code == 200 and r.json()["tenant"]["endpoint_count"] == 3


# --- uptime kept as data ---------------------------------------------------------

def test_uptime_24h_is_the_current_windows_however_it_was_stored(stack, signed_up_client,
                                                                 targets):
    """The endpoint row keeps its 24 h uptime with the hour bucket it was
    computed in: a value from an earlier hour is never shown (the current
    window's rollups are), and storing a result recomputes it for this hour."""
    # Far enough from the hour's turn that the window stays put for the test.
    now = time.time()
    if 3600 - now % 3600 < 45:
        time.sleep(3600 - now % 3600 + 3)
    c = signed_up_client()
    ep = create(c, f"{targets.ok.base}/ok?t={tag()}", interval_seconds=3600)
    eid = ep["id"]
    wait_checks(c, eid, 1)
    assert wait_for(lambda: get(c, eid)["uptime_24h"] == 100, timeout=10)

    # 30 more hours of rollups: in the 24 h window, half of the hours all up and
    # half all down (120 of 240 checks up); the six hours before it do not count.
    stack.sql(f'INSERT INTO "{c.schema}".rollups_hourly (endpoint_id, hour, checks, ok,'
              f" latency_hist) SELECT '{eid}', date_trunc('hour', now()) - h * interval '1 hour',"
              " 10, CASE WHEN h % 2 = 0 THEN 10 ELSE 0 END, array_fill(0, ARRAY[42])"
              " FROM generate_series(1, 30) h")
    # A value stored in an earlier hour (as if the hour had turned since).
    stack.sql(f'UPDATE "{c.schema}".endpoints SET uptime_24h = 1,'
              f" uptime_hour = uptime_hour - interval '1 hour' WHERE id = '{eid}'")
    window = round(100 * 121 / 241, 3)  # with this hour's one successful check
    assert get(c, eid)["uptime_24h"] == window
    listed = {e["id"]: e for e in c.get(BASE).json()["results"]}
    assert listed[eid]["uptime_24h"] == window
    assert c.get(f"{BASE}{eid}/uptime/").json()["uptime_24h"] == window

    # The next result is stored with the window's value for this hour.
    n = result_count(stack, c.schema, eid)
    force_due(stack, eid)
    assert wait_for(lambda: result_count(stack, c.schema, eid) > n, timeout=15)
    after = round(100 * 122 / 242, 3)
    assert get(c, eid)["uptime_24h"] == after
    assert stack.sql(f'SELECT uptime_24h, uptime_hour = date_trunc(\'hour\', now())'
                     f' FROM "{c.schema}".endpoints WHERE id = \'{eid}\'') == [[f"{after:.3f}", "t"]]
