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
duration=${DURATION:-15s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
n_endpoints=${ENDPOINTS:-50}
services=(gateway auth tenants monitors billing notify checker)

stack_require "${services[@]/#/sw-}"
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

export SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32
# The per-tenant API limit (Pro: 1,200 calls a minute) would stop wrk within a
# second: it is raised, and every request still passes the gateway's tenant
# guard (the same in-memory check and the same sync to sw-tenants).
api_limit=1000000000
export SW_RATE_LIMIT_API_PER_MINUTE_FREE=$api_limit SW_RATE_LIMIT_API_PER_MINUTE_PRO=$api_limit
stack_start api

pw='Bench-password-123!'
tenant=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/register/" \
  -d "{\"organization_name\":\"Bench\",\"email\":\"bench@example.com\",\"password\":\"$pw\",\"password_confirm\":\"$pw\"}" |
  json_field '["tenant"]["id"]')
# Pro before the first endpoint: sw-monitors asks sw-tenants for the limits
# when it first meets the tenant.
sql -c "UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '$tenant'"
access=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/token/" \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$pw\"}" | json_field '["access"]')
auth="Authorization: Bearer $access"
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

# ticks and pg_ticks: bench/lib/stack.sh.
snapshot() {
  local out=""
  for name in "${services[@]}"; do out="$out $(ticks "$(pid_of "$name")")"; done
  echo "$out $(pg_ticks)"
}
tck=$(getconf CLK_TCK)

echo "bench/api.sh: $connections connections, $threads wrk threads, $duration per run, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(the per-tenant API rate limit is raised to $api_limit calls a minute for the run; the tenant guard still counts every call)"
printf '%-44s %9s %8s %8s  %s\n' "run" "req/s" "p50" "p99" \
  "CPU ms/request: ${services[*]} postgres (total)"
run() {
  local label=$1 path=$2
  shift 2
  wrk -t"$threads" -c"$connections" -d"$warmup" -H "$auth" "$@" "$base$path" >/dev/null
  local before after out
  before=$(snapshot)
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "$auth" "$@" "$base$path")
  after=$(snapshot)
  echo "$out" >"$var/wrk-$(echo "$label" | tr -c 'a-z0-9' '_').txt"
  local requests rps p50 p99 bad errors
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  errors=$(echo "$out" | awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}')
  awk -v label="$label" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v n="$requests" \
    -v tck="$tck" -v before="$before" -v after="$after" 'BEGIN {
      cols = split(before, b, " "); split(after, a, " ")
      line = ""; total = 0
      for (i = 1; i <= cols; i++) {
        ms = (a[i] - b[i]) * 1000 / tck / n
        total += ms
        line = line sprintf(" %.3f", ms)
      }
      printf "%-44s %9.0f %8s %8s %s (%.3f)\n", label, rps, p50, p99, line, total
    }'
  [ -z "$bad" ] || echo "  non-2xx responses: $bad"
  [ -z "$errors" ] || echo "  socket errors: $errors"
}
run "GET /api/endpoints/?page_size=$n_endpoints keep-alive" "/api/endpoints/?page_size=$n_endpoints"
run "GET /api/auth/me/ keep-alive" "/api/auth/me/"
run "GET /api/endpoints/?page_size=$n_endpoints close" "/api/endpoints/?page_size=$n_endpoints" -H "Connection: close"
run "GET /api/auth/me/ close" "/api/auth/me/" -H "Connection: close"
echo "(CPU from /proc/<pid>/stat, $tck ticks/s; the checker only polls: its endpoints are checked daily)"
