#!/usr/bin/env bash
# Faults on purpose, the long run (issue 16): tests/integration/test_faults.py
# with SW_FAULTS_LONG=1 — every service SIGKILLed in turn under API traffic,
# checks and notifications (10 s of load after each), PostgreSQL stopped for
# 5 s, every checker stopped for SW_FAULTS_CHECKERS_DOWN_S [60] seconds, the
# mail spool's file system full for 10 s (a tmpfs on var/mail: needs root) —
# then the rolling SIGTERM restart of test_graceful.py. Prints, per fault, the
# recovery time (until the service answers and every endpoint was checked
# after it) and the counts of requests, writes, checks, events and
# notifications, which must all reconcile (the run fails otherwise).
# Sanitizer build by default (what `make test` builds); SW_BIN_DIR to change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export SW_BIN_DIR=${SW_BIN_DIR:-$root/build/test/bin}
[ -x "$SW_BIN_DIR/sw-gateway" ] || { echo "missing $SW_BIN_DIR/sw-gateway: run 'make build-test' first" >&2; exit 1; }
report=$(mktemp /tmp/sw-faults-XXXXXX.json)
trap 'rm -f "$report"' EXIT
cd "$root"
SW_FAULTS_LONG=1 SW_FAULTS_REPORT=$report /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  tests/integration/test_faults.py tests/integration/test_graceful.py
/usr/bin/python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("\nfault                      recovery s  other")
for f in r["faults"]:
    other = {k: v for k, v in f.items() if k not in ("fault", "recovery_s")}
    print(f"{f['fault']:<26} {f.get('recovery_s', '-')!s:>10}  {other}")
t = r["traffic"]
print(f"\nrequests: {t.get('ok', 0)} ok, {t.get('retried', 0)} sent again to the other gateway,"
      f" {t.get('failed', 0)} failed (p50 {t['p50_ms']} ms, p99 {t['p99_ms']} ms, max {t['max_ms']} ms)")
print("writes stored once each:", r["writes_stored"])
c = r["checks_and_notifications"]
print(f"checks: {c['checks_ran']} ran, {c['checks_stored']} stored; checker reported"
      f" {r['checker_reported']['stored']} stored, {r['checker_reported']['duplicates']} duplicates")
print(f"status changes: {c['transitions']} in the outbox, {c['events']} events,"
      f" {c['notifications']} webhook requests ({c['notified_twice']} events notified twice)")
g = r.get("rolling_restart")
if g:
    print("\nrolling SIGTERM restart (seconds until answering again):",
          ", ".join(f"{k} {v['answering_s']}" for k, v in g["restarts"].items()))
    t = g["traffic"]
    print(f"requests: {t.get('ok', 0)} ok, {t.get('retried', 0)} sent again, {t.get('failed', 0)}"
          f" failed; checks {g['checks_and_notifications']['checks_ran']} ran ="
          f" {g['checks_and_notifications']['checks_stored']} stored; notifications"
          f" {g['checks_and_notifications']['notifications']} for"
          f" {g['checks_and_notifications']['events']} events")
PY
