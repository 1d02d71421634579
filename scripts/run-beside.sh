#!/usr/bin/env bash
# run-beside.sh "<waiting command>" "<busy command>": runs both at once and fails when
# either fails. The first is one that mostly waits (the real-stack browser flows wait on
# checks and on the plan's check budget); its output is kept and shown when it ends, so
# the two do not interleave. The second runs at the lowest CPU priority (nice 19), so it
# only takes the time the first leaves idle and cannot slow it down.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 <waiting command> <busy command>" >&2; exit 2; }
log=$(mktemp /tmp/sw-beside-XXXXXX.log)
bash -c "$1" >"$log" 2>&1 &
waiting=$!
trap 'kill -TERM "$waiting" 2>/dev/null; rm -f "$log"' INT TERM
nice -n 19 bash -c "$2"
busy_rc=$?
wait "$waiting"
waiting_rc=$?
cat "$log"
rm -f "$log"
[ "$waiting_rc" -eq 0 ] || echo "run-beside: '$1' failed (exit $waiting_rc)" >&2
[ "$busy_rc" -eq 0 ] || echo "run-beside: '$2' failed (exit $busy_rc)" >&2
[ "$waiting_rc" -eq 0 ] && [ "$busy_rc" -eq 0 ]
