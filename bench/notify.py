"""Benchmark of sw-notify's delivery path (bench/notify.sh runs it).

One tenant, N endpoints (fake: they exist only in the events), two webhook
channels (a signed webhook and a Slack-shaped receiver, both local HTTP
servers), storm threshold at its maximum and no debounce, so each change is
its own message on each channel. N status changes are committed to
sw-monitors' outbox at once; the benchmark measures, per delivery, the time
from the change being stored (outbox created_at) to the receiver holding
the message, and the CPU sw-notify and PostgreSQL spent per delivery.
"""
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from conftest import Client, running_stack  # noqa: E402
from receivers import Receiver  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except OSError:
            pass
    return total * 1000 / CLK


def postgres_pids(var_dir):
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
                if b"postgres" in cmd and (var_dir.encode() in cmd or b"postgres:" in cmd):
                    pids.append(int(pid))
            except OSError:
                pass
    return pids


def main():
    n = int(os.environ.get("CHANGES", "1000"))
    env = {"SW_LOG_LEVEL": "warn", "SW_PG_FAST": "1", "SW_CHECKER_ALLOW_CIDRS": "127.0.0.1/32"}
    hook, slack = Receiver(), Receiver()
    with running_stack(env) as st:
        c = Client(st.base_url)
        c.reg = c.signed_up()
        assert c.put("/api/notifications/settings/",
                     {"debounce_minutes": 0, "storm_threshold": 1000}).status_code == 200
        for kind, r in (("webhook", hook), ("slack", slack)):
            assert c.post("/api/notifications/channels/",
                          {"kind": kind, "name": kind, "target": r.url}).status_code == 201
        tenant = c.reg["tenant"]["id"]
        notify_pid = st.pid("notify")
        pg = postgres_pids(st.var_dir)
        before = (cpu_ms([notify_pid]), cpu_ms(pg))
        started = time.time()
        st.sql("BEGIN; SELECT pg_advisory_xact_lock(727100004); INSERT INTO monitors.outbox"
               " (type, tenant_id, endpoint_id, payload) SELECT 'monitor.status_changed',"
               f" '{tenant}', id, jsonb_build_object('endpoint_id', id, 'name', 'ep-' || i,"
               " 'url', 'https://example.com/', 'from', 'up', 'to', 'down', 'reason', 'HTTP 503')"
               f" FROM (SELECT gen_random_uuid() AS id, i FROM generate_series(1, {n}) i) g;"
               " COMMIT")
        rows = st.sql("SELECT endpoint_id, payload->>'name', extract(epoch FROM created_at)"
                      f" FROM monitors.outbox WHERE tenant_id = '{tenant}'")
        stored = {row[0]: float(row[2]) for row in rows}
        by_name = {row[1]: float(row[2]) for row in rows}
        deadline = time.time() + 600
        while time.time() < deadline and (len(hook.received()) < n or
                                          len(slack.received()) < n):
            time.sleep(0.1)
        ended = time.time()
        after = (cpu_ms([notify_pid]), cpu_ms(postgres_pids(st.var_dir)))
        latencies = []
        for r in hook.received():
            body = json.loads(r["body"])
            latencies.append(r["time"] - stored[body["alert"]["endpoint_id"]])
        for r in slack.received():
            latencies.append(r["time"] - by_name[json.loads(r["body"])["text"].split(" ")[0]])
        delivered = len(hook.received()) + len(slack.received())
        latencies.sort()
        q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]  # noqa: E731
        hold = int(os.environ.get("SW_NOTIFY_HOLD_MS", "3000"))
        print(f"changes: {n}, channels: 2, deliveries: {delivered} of {2 * n}")
        print(f"wall: {ended - started:.2f} s, deliveries/s: {delivered / (ended - started):.0f}")
        print(f"latency (stored → received): p50 {q(0.5) * 1000:.0f} ms, "
              f"p99 {q(0.99) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
              f"(includes the storm hold of {hold} ms)")
        print(f"CPU per delivery: sw-notify {(after[0] - before[0]) / delivered:.3f} ms, "
              f"PostgreSQL {(after[1] - before[1]) / delivered:.3f} ms")
        print(f"mean latency {statistics.mean(latencies) * 1000:.0f} ms")
    hook.close()
    slack.close()


if __name__ == "__main__":
    main()
