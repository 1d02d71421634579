#!/usr/bin/env bash
# Benchmark of the API request path: wrk against
#   GET /api/endpoints/?page_size=50   (a Pro tenant with 50 endpoints)
#   GET /api/auth/me/
# first with keep-alive connections, then once more each with
# "Connection: close" (a new TCP connection per request). For every run it
# prints requests/s, p50 and p99 latency (wrk --latency) and the CPU each
# process spent per request: sw-gateway, sw-auth, sw-tenants, sw-monitors,
# sw-billing, sw-notify, sw-checker and PostgreSQL (every process of the private
# cluster, backends that came and went during the run included).
#
# It starts its own stack (bench/lib/stack.sh: release build, `make build`
# first; a private PostgreSQL with fsync off in a temp folder), registers an organisation,
# makes its tenant Pro with psql (the Free plan stops at 3 endpoints) and
# creates the endpoints. They point at 127.0.0.1:9 (SW_CHECKER_ALLOW_CIDRS
# allows it; nothing listens there, so a check fails at once) and are checked
# once a day: each gets its first check right after it is created, before
# the measurement, and the checker then only polls for due work (4 leases/s)
# while wrk runs. Its CPU is in the table.
#
# CPU per process comes from utime + stime in /proc/<pid>/stat before and
# after each run. For PostgreSQL the sum is over every live process of the
# cluster plus the postmaster's cutime + cstime, which collects the CPU of
# backends that exited (Connection: close does not open backends, but a
# /health/ probe does).
#
#   SW_BIN_DIR [build/release/bin]  DURATION [15s]  WARMUP [3s]
#   CONNECTIONS [64]  THREADS [2]  ENDPOINTS [50]  KEEP=1 keeps the temp folder
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
source "$(dirname "$0")/lib/wrk_run.sh"
n_endpoints=${ENDPOINTS:-50}
wrk_stack_start api
for i in $(seq 1 "$n_endpoints"); do
  curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -H "$auth" "$base/api/endpoints/" \
    -d "{\"url\":\"http://127.0.0.1:9/bench/$i\",\"name\":\"bench $i\",\"interval_seconds\":86400}" ||
    { echo "creating endpoint $i failed" >&2; exit 1; }
done
# Wait for every first check, so the checker is idle while wrk runs.
for _ in $(seq 1 150); do
  pending=$(curl -fs -H "$auth" "$base/api/endpoints/?page_size=100" | /usr/bin/python3 -c \
    'import json,sys; print(sum(e["last_checked_at"] is None for e in json.load(sys.stdin)["results"]))')
  [ "$pending" = 0 ] && break
  sleep 0.2
done
count=$(curl -fs -H "$auth" "$base/api/endpoints/?page_size=50" | json_field '["count"]')
[ "$count" = "$n_endpoints" ] || { echo "expected $n_endpoints endpoints, the list says $count" >&2; exit 1; }

echo "bench/api.sh: $connections connections, $threads wrk threads, $duration per run, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(the per-tenant API rate limit is raised to $api_limit calls a minute for the run; the tenant guard still counts every call)"
wrk_header
wrk_run "GET /api/endpoints/?page_size=$n_endpoints keep-alive" "/api/endpoints/?page_size=$n_endpoints" -H "$auth"
wrk_run "GET /api/auth/me/ keep-alive" "/api/auth/me/" -H "$auth"
wrk_run "GET /api/endpoints/?page_size=$n_endpoints close" "/api/endpoints/?page_size=$n_endpoints" -H "$auth" -H "Connection: close"
wrk_run "GET /api/auth/me/ close" "/api/auth/me/" -H "$auth" -H "Connection: close"
echo "(CPU from /proc/<pid>/stat, $tck ticks/s; the checker only polls: its endpoints are checked daily)"
