#!/usr/bin/env bash
# Benchmark of sw-notify (bench/notify.py): CHANGES [1000] status changes
# across as many endpoints, two channels each; prints deliveries/s, p50/p99
# latency from the change being stored to the receiver holding the message,
# and CPU ms per delivery of sw-notify and PostgreSQL. Release build: `make
# build` first. SW_NOTIFY_HOLD_MS [3000] is the storm hold every delivery waits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export SW_BIN_DIR=${SW_BIN_DIR:-$root/build/release/bin}
[ -x "$SW_BIN_DIR/sw-notify" ] || { echo "missing $SW_BIN_DIR/sw-notify: run 'make build' first" >&2; exit 1; }
exec /usr/bin/python3 "$root/bench/notify.py"
