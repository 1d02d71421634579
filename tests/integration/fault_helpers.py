"""What test_graceful.py, test_faults.py and bench/faults.sh share: API traffic
through several gateways, checks and status changes kept going, and the
accounting that says whether anything was lost or duplicated.

- Traffic: threads calling the API through a list of gateways: reads of every
  service, and writes (endpoints, channels, API keys, sign-ups) that each
  leave one row named uniquely, so that rows can be counted against answers.
  A request that got no HTTP answer at all (the gateway's socket closed or
  refused) is sent again to the next gateway and counted as retried (a
  write only with resend_writes: a gateway that stops gracefully answers
  every request it read, one that is killed may have passed it on); any
  other failure (5xx, a timeout) is counted as failed.
- Checks: a Pro tenant's endpoints on the local target, made due again as
  soon as their result is in (forced in SQL, as endpoint_helpers.force_due,
  only while not leased), two of them flapping so that status changes,
  events and webhook notifications keep coming.
- accounting: target hits vs stored results vs what the checker said it
  stored; sw-monitors' outbox vs sw-notify's events vs deliveries vs what the
  webhook receiver got.
"""
import collections
import itertools
import json
import os
import re
import signal
import threading
import time
import uuid

import requests

import openapi_check
from conftest import PASSWORD, signed_up_client_for, wait_for
from endpoint_helpers import create
from notify_helpers import add_channel, set_settings

# Settings of a stack that restarts its services under load: a call may wait for
# the restarted process (SW_RPC_TIMEOUT_MS), quick notifications and leases.
STACK_ENV = {
    "SW_RPC_TIMEOUT_MS": "6000",
    "SW_SHUTDOWN_GRACE_MS": "5000",
    "SW_NOTIFY_HOLD_MS": "200",
    "SW_NOTIFY_POLL_MS": "300",
    "SW_NOTIFY_RETRY_MAX_MS": "1000",
    "SW_NOTIFY_TIMEOUT_MS": "2000",
    "SW_CHECKER_LEASE_SECONDS": "3",
    "SW_CHECKER_POLL_MS": "100",
}
# The second gateway's own settings (it is not started by scripts/run.sh).
GATEWAY_ENV = {k: v for k, v in STACK_ENV.items() if k in ("SW_RPC_TIMEOUT_MS",
                                                           "SW_SHUTDOWN_GRACE_MS")}
GATEWAY_ENV.update({"SW_RATE_LIMIT_API_PER_MINUTE_FREE": "1000000000",
                    "SW_RATE_LIMIT_API_PER_MINUTE_PRO": "1000000000"})
# How long a client waits for one HTTP answer (the gateway's deadline is SW_RPC_TIMEOUT_MS).
HTTP_TIMEOUT_S = 20
# How long a request keeps being sent to the next gateway while none takes it.
CONNECT_RETRY_S = 15

REP_SERVICES = ["tenants", "auth", "monitors", "billing", "notify"]


class Traffic:
    """API calls from `threads` threads through `gateways` (a list the caller may change)."""

    def __init__(self, stack, client, gateways, threads=3, resend_writes=True):
        self.stack = stack
        self.resend_writes = resend_writes
        self.client = client
        self.gateways = gateways
        self.n_threads = threads
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.failures = []          # (time, method, path, what)
        self.latencies = []         # seconds, answered requests
        self.written = collections.defaultdict(dict)  # kind -> name -> answered 201?
        self.stopping = threading.Event()
        self.threads = []
        self.turn = itertools.count()

    def _send(self, method, path, body=None, auth=True):
        """One request; sent to the next gateway while none answers at all."""
        headers = {"X-Forwarded-For": self.client.ip}
        if auth:
            headers["Authorization"] = "Bearer " + self.client.access
        started = time.time()
        retried = False
        while True:
            base = self.gateways[next(self.turn) % len(self.gateways)]
            try:
                r = requests.request(method, base + path, json=body, headers=headers,
                                     timeout=HTTP_TIMEOUT_S)
            except requests.ConnectionError as e:
                # Nothing was answered: refused, or closed before a response.
                if method != "GET" and not self.resend_writes and "refused" not in str(e).lower():
                    return self._count(method, path, started, "failed", f"no answer: {e}")
                retried = True
                if time.time() - started > CONNECT_RETRY_S:
                    return self._count(method, path, started, "failed", "no gateway answered")
                time.sleep(0.05)
                continue
            except requests.Timeout:
                return self._count(method, path, started, "failed", "timed out")
            openapi_check.check(method, base + path, r)
            if r.status_code >= 500:
                return self._count(method, path, started, "failed", f"{r.status_code} {r.text}")
            self._count(method, path, started, "retried" if retried else "ok", None)
            return r

    def _count(self, method, path, started, outcome, what):
        with self.lock:
            self.counts[outcome] += 1
            if outcome == "failed":
                self.failures.append((time.time(), method, path, what))
            else:
                self.latencies.append(time.time() - started)
        return None

    def _write(self, kind, method, path, body, auth=True):
        name = body.get("name") or body.get("organization_name")
        with self.lock:
            self.written[kind][name] = False
        r = self._send(method, path, body, auth)
        if r is not None and r.status_code == 201:
            with self.lock:
                self.written[kind][name] = True
        elif r is not None:
            with self.lock:
                self.failures.append((time.time(), method, path, f"{r.status_code} {r.text}"))
                self.counts["refused"] += 1

    def _loop(self, worker):
        reads = ["/api/endpoints/?page_size=5", "/api/auth/me/", "/api/notifications/channels/",
                 "/api/billing/subscription/", "/api/alerts/", "/api/billing/plans/"]
        for n in itertools.count():
            if self.stopping.is_set():
                return
            tag = f"load-{worker}-{n}-{uuid.uuid4().hex[:6]}"
            step = n % 6
            if step == 0:
                self._write("endpoint", "POST", "/api/endpoints/",
                            {"url": f"https://example.com/{tag}", "name": tag, "paused": True})
            elif step == 2:
                self._write("channel", "POST", "/api/notifications/channels/",
                            {"kind": "email", "name": tag, "target": f"{tag}@example.com",
                             "enabled": False})
            elif step == 4 and n % 12 == 4:
                self._write("api_key", "POST", "/api/api-keys/", {"name": tag, "scope": "read"})
            elif step == 4 and worker == 0 and n % 36 == 16:
                org = "Org " + tag
                self._write("tenant", "POST", "/api/auth/register/",
                            {"organization_name": org, "email": f"{tag}@example.com",
                             "password": PASSWORD, "password_confirm": PASSWORD}, auth=False)
            else:
                self._send("GET", reads[n % len(reads)])
            time.sleep(0.02)

    def start(self):
        for w in range(self.n_threads):
            t = threading.Thread(target=self._loop, args=(w,), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=HTTP_TIMEOUT_S + CONNECT_RETRY_S + 5)

    def rows_by_name(self):
        """kind -> name -> rows in the database, for every name written."""
        schema = self.client.schema
        lists = {k: ",".join("'" + n.replace("'", "''") + "'" for n in names)
                 for k, names in self.written.items() if names}
        queries = {
            "endpoint": f'SELECT name, count(*) FROM "{schema}".endpoints WHERE name IN (%s) GROUP BY 1',
            "channel": "SELECT name, count(*) FROM notify.channels WHERE name IN (%s) GROUP BY 1",
            "api_key": "SELECT name, count(*) FROM auth.api_keys WHERE name IN (%s) GROUP BY 1",
            "tenant": "SELECT name, count(*) FROM tenancy.tenants WHERE name IN (%s) GROUP BY 1",
        }
        out = {}
        for kind, names in lists.items():
            found = dict(self.stack.sql(queries[kind] % names))
            out[kind] = {n: int(found.get(n, 0)) for n in self.written[kind]}
        return out

    def check_writes(self, strict=True):
        """Every write answered 201 is stored exactly once; one without an answer at most
        once. strict: every write was answered 201. Returns {kind: rows}."""
        rows = self.rows_by_name()
        problems = []
        for kind, names in rows.items():
            for name, n in names.items():
                answered = self.written[kind][name]
                if answered and n != 1:
                    problems.append(f"{kind} {name}: answered 201, {n} rows")
                elif not answered and (n > 1 or strict):
                    problems.append(f"{kind} {name}: not answered 201, {n} rows")
        assert not problems, problems[:20]
        return {kind: sum(names.values()) for kind, names in rows.items()}

    def snapshot(self):
        with self.lock:
            return dict(self.counts)

    def summary(self):
        with self.lock:
            lat = sorted(self.latencies)
            p = (lambda q: round(1000 * lat[min(len(lat) - 1, int(q * len(lat)))])) if lat else \
                (lambda q: 0)
            return {**self.counts, "p50_ms": p(0.5), "p99_ms": p(0.99), "max_ms": p(1.0)}


class Checks:
    """A Pro tenant's endpoints checked back to back, two of them flapping."""

    def __init__(self, stack, targets, receiver, steady=6, flappers=2):
        self.stack = stack
        self.target = targets.ok
        self.client = signed_up_client_for(stack)
        tid = self.client.reg["tenant"]["id"]
        stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{tid}'")
        set_settings(self.client, debounce_minutes=0, storm_threshold=1000)
        self.channel = add_channel(self.client, "webhook", receiver.url,
                                   events=["endpoint_down", "endpoint_up"])
        self.receiver = receiver
        self.tags = {}  # endpoint id -> tag
        self.flappers = []
        for i in range(steady + flappers):
            tag = uuid.uuid4().hex[:12]
            flap = i >= steady
            path = "/switch" if flap else "/ok"
            ep = create(self.client, f"{self.target.base}{path}?t={tag}", interval_seconds=3600,
                        retry_interval_seconds=5, failure_threshold=1, success_threshold=1,
                        timeout_ms=2000)
            self.tags[ep["id"]] = tag
            if flap:
                self.flappers.append((ep["id"], tag))
        self.ids = ",".join(f"'{e}'" for e in self.tags)
        self.stopping = threading.Event()
        self.threads = []
        self.force_errors = 0

    def _drive(self):
        """Makes every endpoint due again as soon as its last check is stored."""
        while not self.stopping.is_set():
            try:
                self.stack.sql("UPDATE monitors.schedule SET slot_at = monitors.now_ms(),"
                               " due_at = now() WHERE endpoint_id IN (" + self.ids + ")"
                               " AND leased_by IS NULL AND due_at > now()")
            except Exception:  # PostgreSQL restarting (test_faults): try again
                self.force_errors += 1
            time.sleep(0.25)

    def _flap(self):
        up = True
        while not self.stopping.wait(self.flap_s):
            up = not up
            for _, tag in self.flappers:
                self.target.set_status(tag, 200 if up else 503)

    def start(self, flap_s=2.0):
        self.flap_s = flap_s
        for fn in (self._drive, self._flap):
            t = threading.Thread(target=fn, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        """Stops making checks due (the schedule then waits an hour) and flapping."""
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=10)

    def stored(self):
        """endpoint id -> stored results."""
        rows = self.stack.sql(f'SELECT endpoint_id, count(*) FROM "{self.client.schema}".'
                              f"check_results WHERE endpoint_id IN ({self.ids}) GROUP BY 1")
        return {e: int(n) for e, n in rows}

    def hits(self):
        """endpoint id -> checks the target saw."""
        return {e: self.target.count(f"t={t}") for e, t in self.tags.items()}

    def settle(self, timeout=20):
        """Waits until no check is leased and the stored counts stop moving; returns them."""
        last = None
        deadline = time.time() + timeout
        while time.time() < deadline:
            leased = int(self.stack.sql("SELECT count(*) FROM monitors.schedule WHERE endpoint_id"
                                        f" IN ({self.ids}) AND leased_by IS NOT NULL")[0][0])
            now = self.stored()
            if leased == 0 and now == last:
                return now
            last = now
            time.sleep(0.5)
        return last

    def transitions(self):
        """monitors.outbox status changes of these endpoints that alert (to down, or down to
        up; the first one, from pending, does not): [(seq, endpoint id)]."""
        return [(int(s), e) for s, e in self.stack.sql(
            "SELECT seq, endpoint_id FROM monitors.outbox WHERE type = 'monitor.status_changed'"
            f" AND endpoint_id IN ({self.ids}) AND (payload->>'to' = 'down'"
            " OR (payload->>'to' = 'up' AND payload->>'from' = 'down')) ORDER BY seq")]

    def events(self):
        """sw-notify's events of these endpoints: [(producer seq, event id)]."""
        return [(int(s), e) for s, e in self.stack.sql(
            "SELECT seq, id FROM notify.events WHERE producer = 'monitors'"
            f" AND endpoint_id IN ({self.ids}) ORDER BY seq")]

    def deliveries(self):
        """The webhook channel's deliveries: event id -> (status, attempts)."""
        return {e: (s, int(a)) for e, s, a in self.stack.sql(
            "SELECT event_id, status, attempts FROM notify.deliveries"
            f" WHERE channel_id = '{self.channel['id']}'")}

    def received(self):
        """Event id -> webhook requests the receiver got for it."""
        return collections.Counter(r["headers"].get("StatusWatch-Event-Id")
                                   for r in self.receiver.received())

    def account(self, exact=True):
        """The counts after settle(): asserts nothing was lost or stored twice. exact:
        every check ran once and every notification arrived once (graceful stops)."""
        stored = self.settle()
        hits = self.hits()
        problems = [f"{e}: {stored.get(e, 0)} stored, {hits[e]} checks ran" for e in self.tags
                    if stored.get(e, 0) > hits[e] or (exact and stored.get(e, 0) != hits[e])]
        dup_slots = self.stack.sql(
            f'SELECT endpoint_id, scheduled_at FROM "{self.client.schema}".check_results'
            f" WHERE endpoint_id IN ({self.ids}) GROUP BY 1, 2 HAVING count(*) > 1")
        problems += [f"slot stored twice: {d}" for d in dup_slots]
        transitions = self.transitions()
        # Every transition becomes one event, and each event one delivery, sent once.
        events = wait_for(lambda: (lambda ev: ev if len(ev) >= len(transitions) else None)(
            self.events()), timeout=20) or self.events()
        if [s for s, _ in events] != [s for s, _ in transitions]:
            problems.append(f"outbox seqs {[s for s, _ in transitions]} but events "
                            f"{[s for s, _ in events]}")
        ids = {e for _, e in events}
        sent = wait_for(lambda: (lambda d: d if set(d) >= ids and all(
            v[0] == "sent" for v in d.values()) else None)(self.deliveries()), timeout=30) \
            or self.deliveries()
        if set(sent) != ids:
            problems.append(f"{len(ids)} events but deliveries for {len(sent)}")
        problems += [f"delivery of {e}: {v}" for e, v in sent.items() if v[0] != "sent"]
        got = self.received()
        lost = [e for e in ids if got.get(e, 0) == 0]
        twice = {e: n for e, n in got.items() if n > 1}
        problems += [f"notification of event {e} never arrived" for e in lost]
        if exact:
            problems += [f"notification of event {e} arrived {n} times" for e, n in twice.items()]
        assert not problems, problems[:20]
        return {"checks_stored": sum(stored.values()), "checks_ran": sum(hits.values()),
                "transitions": len(transitions), "events": len(events),
                "notifications": sum(got.values()), "notified_twice": len(twice)}


def notify_attempts(stack, status, kind):
    """sw_notify_deliveries_total{status, kind} on sw-notify's operations port (0 if absent)."""
    try:
        page = requests.get(stack.ops_url("notify") + "/metrics", timeout=5).text
    except (requests.RequestException, OSError):
        return 0.0
    for line in page.splitlines():
        if line.startswith("sw_notify_deliveries_total{") and f'status="{status}"' in line \
                and f'kind="{kind}"' in line:
            return float(line.split()[-1])
    return 0.0


def add_to_report(key, value):
    """Adds key: value to the JSON file SW_FAULTS_REPORT names (bench/faults.sh), if any."""
    path = os.environ.get("SW_FAULTS_REPORT")
    if not path:
        return
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        report = {}
    report[key] = value
    with open(path, "w") as f:
        json.dump(report, f, indent=1)


def reported_by_checker(stack):
    """(results stored, duplicates) as the checker's log lines report them."""
    stored = dups = 0
    with open(os.path.join(stack.var_dir, "stack.log")) as f:
        for line in f:
            m = re.search(r'"msg":"reported \d+ results? \(\d+ failing\): (\d+) stored, (\d+) '
                          r"duplicates", line)
            if m and '"service":"checker"' in line:
                stored += int(m.group(1))
                dups += int(m.group(2))
    return stored, dups


def exit_statuses(stack, name):
    """The exit statuses of service `name` the supervisor logged, in order."""
    with open(os.path.join(stack.var_dir, "stack.log")) as f:
        return [int(m.group(1)) for m in re.finditer(
            rf'"msg":"{name} exited with status (\d+); restarting"', f.read())]


def pid_or_none(stack, name):
    try:
        return stack.pid(name)
    except (OSError, ValueError, RuntimeError):
        return None


def service_ready(stack, name):
    """The gateway's readiness sees the service answering (the checker: its pid exists)."""
    if name == "checker":
        return True
    try:
        r = requests.get(stack.base_url + "/health/ready/", timeout=3)
        return r.status_code == 200 or r.json()["checks"].get(name) == "ok"
    except (requests.RequestException, ValueError, KeyError):
        return False


def restart(stack, name, sig=signal.SIGTERM, timeout=30):
    """Signals the service and waits for the supervisor's new process to be ready;
    returns (seconds until the new process answered, the old one's exit status)."""
    old = stack.pid(name)
    before = len(exit_statuses(stack, name))
    started = time.time()
    os.kill(old, sig)
    assert wait_for(lambda: pid_or_none(stack, name) not in (None, old), timeout=timeout,
                    interval=0.05), f"{name} was not restarted"
    assert wait_for(lambda: service_ready(stack, name), timeout=timeout, interval=0.1), \
        f"{name} did not come back"
    took = time.time() - started
    statuses = wait_for(lambda: exit_statuses(stack, name)[before:] or None, timeout=5) or []
    return took, statuses[0] if statuses else None


def traffic_client(stack):
    """The traffic's tenant: signed up, logged in, on Pro (no endpoint limit)."""
    c = signed_up_client_for(stack)
    stack.sql(f"UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '{c.reg['tenant']['id']}'")
    return c
