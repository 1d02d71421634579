#!/usr/bin/env bash
# Benchmark of the public status page (issue 15): wrk against
#   GET /api/public/status/{slug}/   (no login; a page of COMPONENTS endpoints)
# with keep-alive connections, then with If-None-Match (304s), then with
# "Connection: close". A crowd during an outage is what the page is for, so
# the figure asked for is >= 5,000 requests/s with 20 components on 2 cores.
# For every run it prints requests/s, p50 and p99 latency (wrk --latency) and
# the CPU each process spent per request (as bench/api.sh does: utime + stime
# from /proc/<pid>/stat; PostgreSQL summed over the cluster).
#
# It starts its own stack (bench/lib/stack.sh: release build, `make build`
# first; a private PostgreSQL with fsync off in a temp folder), registers an organisation,
# makes it Pro, creates the endpoints (paused: no checks run during the
# measurement), writes 90 days of hourly rollups for each with psql, opens an
# incident and schedules a maintenance window, so the page renders what a
# real one holds. The gateway keeps the rendered page SW_STATUS_PAGE_CACHE_MS
# (5,000 by default) and sw-monitors renders it again after that: the runs
# include those renders.
#
#   SW_BIN_DIR [build/release/bin]  DURATION [15s]  WARMUP [3s]
#   CONNECTIONS [64]  THREADS [2]  COMPONENTS [20]  KEEP=1 keeps the temp folder
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
duration=${DURATION:-15s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
n_endpoints=${COMPONENTS:-20}
services=(gateway auth tenants monitors billing notify checker)

stack_require "${services[@]/#/sw-}"
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

export SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32
# The per-tenant API limit (Pro: 1,200 calls a minute) would stop wrk within a
# second: it is raised, and every request still passes the gateway's tenant
# guard (the same in-memory check and the same sync to sw-tenants).
api_limit=1000000000
export SW_RATE_LIMIT_API_PER_MINUTE_FREE=$api_limit SW_RATE_LIMIT_API_PER_MINUTE_PRO=$api_limit
stack_start status

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
ids=""
for i in $(seq 1 "$n_endpoints"); do
  id=$(curl -fs -X POST -H 'Content-Type: application/json' -H "$auth" "$base/api/endpoints/" \
    -d "{\"url\":\"http://127.0.0.1:9/bench/$i\",\"name\":\"Component $i\",\"paused\":true}" |
    json_field '["id"]') || { echo "creating endpoint $i failed" >&2; exit 1; }
  ids="$ids${ids:+,}\"$id\""
done
schema=$(sql -c "SELECT schema_name FROM tenancy.tenants WHERE id = '$tenant'")
# 90 days of hourly rollups per component (about 99.9 % up), as the checker would leave them.
sql -c "INSERT INTO \"$schema\".rollups_hourly (endpoint_id, hour, checks, ok, latency_hist)
  SELECT e.id, h, 60, CASE WHEN random() < 0.01 THEN 50 ELSE 60 END, array_fill(0, ARRAY[42])
  FROM \"$schema\".endpoints e,
  generate_series(date_trunc('hour', now()) - interval '90 days', date_trunc('hour', now()),
  interval '1 hour') h"
slug=bench-status
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -H "$auth" "$base/api/status-pages/" \
  -d "{\"slug\":\"$slug\",\"title\":\"Bench status\",\"description\":\"All of it\",\"endpoint_ids\":[$ids]}" ||
  { echo "creating the status page failed" >&2; exit 1; }
first=${ids%%,*}
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -H "$auth" "$base/api/incidents/" \
  -d "{\"title\":\"Slow logins\",\"message\":\"We are looking into it.\",\"impact\":\"minor\",\"endpoint_ids\":[$first]}"
start=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+1 day 2 hours' +%Y-%m-%dT%H:%M:%SZ)
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -H "$auth" "$base/api/maintenances/" \
  -d "{\"title\":\"Database upgrade\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"endpoint_ids\":[$first]}"
page=$base/api/public/status/$slug/
size=$(curl -fs "$page" | wc -c)
components=$(curl -fs "$page" | json_field '["components"].__len__()')
[ "$components" = "$n_endpoints" ] || { echo "expected $n_endpoints components, the page has $components" >&2; exit 1; }
etag=$(curl -fsI "$page" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')

# ticks and pg_ticks: bench/lib/stack.sh.
snapshot() {
  local out=""
  for name in "${services[@]}"; do out="$out $(ticks "$(pid_of "$name")")"; done
  echo "$out $(pg_ticks)"
}
tck=$(getconf CLK_TCK)

echo "bench/status_page.sh: $n_endpoints components ($size bytes), $connections connections, $threads wrk threads, $duration per run, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %8s %8s  %s\n' "run" "req/s" "p50" "p99" \
  "CPU ms/request: ${services[*]} postgres (total)"
run() {
  local label=$1 path=$2
  shift 2
  wrk -t"$threads" -c"$connections" -d"$warmup" "$@" "$base$path" >/dev/null
  local before after out
  before=$(snapshot)
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$base$path")
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
run "GET /api/public/status/{slug}/ keep-alive" "/api/public/status/$slug/"
run "  with If-None-Match (304) keep-alive" "/api/public/status/$slug/" -H "If-None-Match: $etag"
run "GET /api/public/status/{slug}/ close" "/api/public/status/$slug/" -H "Connection: close"
echo "(CPU from /proc/<pid>/stat, $tck ticks/s; wrk counts 304 as a success)"
