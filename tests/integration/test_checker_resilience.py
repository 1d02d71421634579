"""The checker or sw-monitors killed with SIGKILL: leased checks are leased
again once the lease expires and each slot is stored exactly once; a check
that never completes is dead-lettered after three leases; the gateway answers
503 (never hangs) while sw-monitors is down, and checking resumes after."""
import os
import signal
import time

from conftest import RPC_TIMEOUT_MS, assert_error, signed_up_client_for, wait_for
from endpoint_helpers import BASE, create, tag, wait_status

SLOW_MS = 2500


def signed_up(stack):
    return signed_up_client_for(stack)


def slots(stack, eids):
    """endpoint id -> (slot in ms, leases, leased_by, due in ms) of its schedule row."""
    ids = ",".join(f"'{e}'" for e in eids)
    return {r[0]: (int(r[1]), int(r[2]), r[3], int(r[4])) for r in stack.sql(
        "SELECT endpoint_id, monitors.to_ms(slot_at), leases, coalesce(leased_by, ''),"
        " monitors.to_ms(due_at)"
        f" FROM monitors.schedule WHERE endpoint_id IN ({ids})")}


def results(stack, schema, eid):
    """[(scheduled_at in ms, rows for that slot)] of one endpoint, oldest first."""
    return [(int(a), int(b)) for a, b in stack.sql(
        f'SELECT monitors.to_ms(scheduled_at), count(*) FROM "{schema}".check_results'
        f" WHERE endpoint_id = '{eid}' GROUP BY 1 ORDER BY 1")]


def kill_checker(stack):
    """SIGKILLs the checker while its supervisor is stopped; returns the
    supervisor's pid and the dead checker's pid (call resume() after)."""
    supervisor = stack.pid("checker", ".supervisor")
    old = stack.pid("checker")
    os.kill(supervisor, signal.SIGSTOP)
    try:
        os.kill(old, signal.SIGKILL)
    except BaseException:
        os.kill(supervisor, signal.SIGCONT)
        raise
    return supervisor, old


def pid_or_none(stack, name):
    """The service's pid, or None while its supervisor is rewriting the pid file."""
    try:
        return stack.pid(name)
    except (OSError, ValueError):
        return None


def resume(stack, supervisor, old):
    os.kill(supervisor, signal.SIGCONT)
    assert wait_for(lambda: pid_or_none(stack, "checker") not in (None, old), timeout=15), \
        "checker not restarted"


def test_checker_killed_mid_batch_loses_and_duplicates_nothing(stack, targets):
    ok = targets.ok
    tenants = [signed_up(stack), signed_up(stack)]
    eps = []  # (client, endpoint, tag)
    for c in tenants:
        for _ in range(3):
            t = tag()
            eps.append((c, create(c, f"{ok.base}/slow?ms={SLOW_MS}&t={t}", timeout_ms=5000), t))
    created = time.time()
    # Every check is in flight: the target has each request, none answered yet.
    in_flight = wait_for(lambda: all(ok.count(t) >= 1 for _, _, t in eps), timeout=2, interval=0.05)
    assert in_flight, [ok.count(t) for _, _, t in eps]
    assert time.time() - min(ok.hits(t)[0][0] for _, _, t in eps) < SLOW_MS / 1000 - 0.3, \
        "checks started too far apart for the test to kill them all mid-flight"
    first_slots = slots(stack, [ep["id"] for _, ep, _ in eps])
    supervisor, old = kill_checker(stack)
    killed_at = time.time()
    try:
        for c, ep, _ in eps:
            assert results(stack, c.schema, ep["id"]) == [], "a result was stored before the kill"
        # The dead checker's work is not stored by anyone while no checker runs.
        time.sleep(SLOW_MS / 1000)
        for c, ep, _ in eps:
            assert results(stack, c.schema, ep["id"]) == []
        assert len(first_slots) == len(eps)
        assert all(row[2] for row in first_slots.values()), first_slots
    finally:
        resume(stack, supervisor, old)
    for c, ep, _ in eps:
        wait_status(c, ep["id"], "up", timeout=30)
    for c, ep, t in eps:
        got = results(stack, c.schema, ep["id"])
        # The first slot was run again and stored exactly once; nothing lost.
        assert got[0] == (first_slots[ep["id"]][0], 1), (got, first_slots[ep["id"]])
        assert all(n == 1 for _, n in got), got
        hits = ok.hits(t)
        assert len(hits) >= 2, "the slot was not run again after the kill"
        # Run again by the new checker once the dead one's lease had expired.
        lease_expiry = first_slots[ep["id"]][3] / 1000
        assert hits[1][0] > killed_at and hits[1][0] >= lease_expiry - 0.05, \
            (hits[1][0], killed_at, lease_expiry)
    ids = ",".join(f"'{ep['id']}'" for _, ep, _ in eps)
    assert stack.sql(f"SELECT count(*) FROM monitors.dead_letters WHERE endpoint_id IN ({ids})") \
        == [["0"]]
    assert time.time() - created < 40


def test_a_check_that_never_completes_is_dead_lettered_after_three_leases(stack, targets):
    ok = targets.ok
    c = signed_up(stack)
    t = tag()
    # Killed well within its 2 s timeout each time, so no attempt ever reports.
    ep = create(c, f"{ok.base}/slow?ms={SLOW_MS}&t={t}", timeout_ms=2000, interval_seconds=600)
    eid = ep["id"]
    slot = None
    for attempt in (1, 2, 3):
        assert wait_for(lambda: ok.count(t) >= attempt, timeout=20, interval=0.02), \
            f"attempt {attempt} never reached the target"
        if slot is None:
            slot = slots(stack, [eid])[eid][0]
        supervisor, old = kill_checker(stack)
        resume(stack, supervisor, old)

    def dead():
        rows = stack.sql("SELECT monitors.to_ms(slot_at), leases FROM monitors.dead_letters"
                         f" WHERE endpoint_id = '{eid}'")
        return rows or None
    rows = wait_for(dead, timeout=20)
    assert rows and int(rows[0][0]) == slot and int(rows[0][1]) == 3, rows
    assert len(rows) == 1
    # That slot is not run a fourth time, and has no result; the endpoint stays
    # on the schedule with a later slot.
    time.sleep(1)
    assert ok.count(t) == 3, [h[0] for h in ok.hits(t)]
    assert results(stack, c.schema, eid) == []
    assert slots(stack, [eid])[eid][0] > slot
    # ... and the failure is reported on the endpoint.
    err = c.get(f"{BASE}{eid}/").json()["last_error"]
    assert isinstance(err, str) and err


def test_killed_monitors_gives_503_then_recovers_and_checking_resumes(stack, targets):
    c = signed_up(stack)
    first = create(c, f"{targets.ok.base}/ok?t={tag()}")
    wait_status(c, first["id"], "up")
    supervisor = stack.pid("monitors", ".supervisor")
    old = stack.pid("monitors")
    os.kill(supervisor, signal.SIGSTOP)
    try:
        os.kill(old, signal.SIGKILL)
        for method, path, body in [("GET", BASE, None),
                                   ("POST", BASE, {"url": f"{targets.ok.base}/ok?t={tag()}"}),
                                   ("GET", f"{BASE}{first['id']}/", None)]:
            started = time.time()
            r = c.request(method, path, json=body)
            assert time.time() - started < RPC_TIMEOUT_MS / 1000 + 2
            assert_error(r, 503, code="service_unavailable")
            assert r.headers.get("Retry-After")
        ready = c.get("/health/ready/")
        assert ready.status_code == 503 and ready.json()["checks"]["monitors"] == "unavailable"
    finally:
        os.kill(supervisor, signal.SIGCONT)
    assert wait_for(lambda: pid_or_none(stack, "monitors") not in (None, old), timeout=15)
    assert wait_for(lambda: c.get(BASE).status_code == 200, timeout=20)
    assert c.get(BASE).json()["count"] == 1  # the refused POST stored nothing
    # The checker talks to the new sw-monitors: a new endpoint is checked.
    t = tag()
    second = create(c, f"{targets.ok.base}/ok?t={t}")
    assert wait_status(c, second["id"], "up", timeout=30)["last_status_code"] == 200
