"""Helpers shared by the monitoring tests (endpoints, checks, the checker)."""
import datetime
import time
import uuid

from conftest import wait_for

ENDPOINT_KEYS = {"id", "name", "url", "method", "interval_seconds", "timeout_ms",
                 "expected_status", "keyword", "status", "last_checked_at", "last_latency_ms",
                 "last_status_code", "last_error", "uptime_24h", "created_at",
                 "retry_interval_seconds", "failure_threshold", "success_threshold", "paused",
                 "tls_expires_at", "paused_by_plan", "kind", "record_type", "expected_value",
                 "grace_seconds", "ping_url", "follow_redirects", "regions",
                 "min_failing_regions", "region_results", "quorum"}
CHECK_KEYS = {"checked_at", "ok", "status_code", "latency_ms", "dns_ms", "connect_ms", "tls_ms",
              "ttfb_ms", "error", "region"}
UPTIME_KEYS = {"uptime_24h", "uptime_7d", "uptime_30d", "latency_p50_ms", "latency_p95_ms"}
BASE = "/api/endpoints/"
# What changes as checks run; the rest of an endpoint is what the client set.
DYNAMIC = {"status", "last_checked_at", "last_latency_ms", "last_status_code", "last_error",
           "uptime_24h", "tls_expires_at", "region_results", "quorum"}


def static(ep):
    return {k: v for k, v in ep.items() if k not in DYNAMIC}


def tag():
    return uuid.uuid4().hex[:12]


def unique_url(target, path="/ok", **query):
    """A URL on the local target that no other test uses: ?t=<tag>."""
    t = query.pop("t", None) or tag()
    sep = "&" if "?" in path else "?"
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{target.base}{path}{sep}t={t}{extra}"


def parse_time(value):
    """An ISO-8601 UTC time string -> aware datetime (asserts it is UTC)."""
    assert isinstance(value, str), value
    dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert dt.tzinfo is not None and dt.utcoffset() == datetime.timedelta(0), value
    return dt


def create(client, url, **fields):
    r = client.post(BASE, {"url": url, **fields})
    assert r.status_code == 201, (url, fields, r.status_code, r.text)
    return r.json()


def get(client, eid):
    r = client.get(f"{BASE}{eid}/")
    assert r.status_code == 200, r.text
    return r.json()


def checks(client, eid, limit=None):
    path = f"{BASE}{eid}/checks/" + (f"?limit={limit}" if limit is not None else "")
    r = client.get(path)
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(client, eid, status, timeout=30):
    """Polls the endpoint until its status is `status`; returns it, or fails
    the test with the last state seen."""
    last = {}

    def poll():
        last["ep"] = get(client, eid)
        return last["ep"]["status"] == status
    if wait_for(poll, timeout=timeout, interval=0.25):
        return last["ep"]
    raise AssertionError(f"endpoint {eid} did not become {status} within {timeout}s; "
                         f"last seen: {last.get('ep')}")


def wait_checks(client, eid, n, timeout=30):
    """Polls until the endpoint has at least n check results; returns them."""
    last = {}

    def poll():
        last["c"] = checks(client, eid)
        return len(last["c"]) >= n
    if wait_for(poll, timeout=timeout, interval=0.25):
        return last["c"]
    raise AssertionError(f"endpoint {eid} has {len(last.get('c', []))} checks after "
                         f"{timeout}s, wanted {n}: {last.get('c')}")


def me(client):
    r = client.get("/api/auth/me/")
    assert r.status_code == 200, r.text
    return r.json()


def transitions_outbox(stack, eid):
    return [tuple(r) for r in stack.sql(
        "SELECT payload->>'from', payload->>'to' FROM monitors.outbox"
        f" WHERE endpoint_id = '{eid}' AND type = 'monitor.status_changed' ORDER BY seq")]


def transitions_table(stack, schema, eid):
    return [tuple(r) for r in stack.sql(
        f'SELECT from_status, to_status FROM "{schema}".status_changes'
        f" WHERE endpoint_id = '{eid}' ORDER BY id")]


def result_count(stack, schema, eid):
    return int(stack.sql(f'SELECT count(*) FROM "{schema}".check_results'
                         f" WHERE endpoint_id = '{eid}'")[0][0])


def force_due(stack, eid):
    """Makes the endpoint's next check due now, as if its interval had passed
    (and with it the time that refills its check budget, first: the check may
    run at once), in each of its regions."""
    rows = stack.sql("SELECT DISTINCT schema_name FROM monitors.schedule"
                     f" WHERE endpoint_id = '{eid}'")
    assert len(rows) == 1, f"no schedule row for {eid}"
    stack.sql(f'UPDATE "{rows[0][0]}".endpoints SET budget_at = NULL WHERE id = \'{eid}\'')
    rows = stack.sql("WITH u AS (UPDATE monitors.schedule SET slot_at = monitors.now_ms(),"
                     f" due_at = now() WHERE endpoint_id = '{eid}' RETURNING 1)"
                     " SELECT count(*) FROM u")
    assert int(rows[0][0]) >= 1, f"no schedule row for {eid}"


def sleep_until(t):
    d = t - time.time()
    if d > 0:
        time.sleep(d)
