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
source "$(dirname "$0")/lib/wrk_run.sh"
n_endpoints=${COMPONENTS:-20}
wrk_stack_start status
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

echo "bench/status_page.sh: $n_endpoints components ($size bytes), $connections connections, $threads wrk threads, $duration per run, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk_header
wrk_run "GET /api/public/status/{slug}/ keep-alive" "/api/public/status/$slug/"
wrk_run "  with If-None-Match (304) keep-alive" "/api/public/status/$slug/" -H "If-None-Match: $etag"
wrk_run "GET /api/public/status/{slug}/ close" "/api/public/status/$slug/" -H "Connection: close"
echo "(CPU from /proc/<pid>/stat, $tck ticks/s; wrk counts 304 as a success)"
