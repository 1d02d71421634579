#!/usr/bin/env bash
# Benchmark of sw-checker: sustained checks/s (a fresh connection per check),
# the checker's CPU use as % of one core, and the p50/p99 schedule lag
# (check started − slot it was scheduled for).
#
# Starts a private PostgreSQL in a temp folder, sw-monitors (release build,
# `make build` first), and bench/checker/target.c (a tiny epoll HTTP server on
# 127.0.0.1 answering 200 "ok", Connection: close). Inserts ENDPOINTS endpoints
# of one tenant directly with SQL, their first slots spread evenly over one
# INTERVAL, runs sw-checker with SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32, and
# measures DURATION seconds after WARMUP. The offered load is
# ENDPOINTS / INTERVAL checks/s: when the checker sustains less than that it
# is saturated, and the lag grows with the backlog.
#
# The warm-up covers each endpoint's first check, whose pending → up
# transition costs sw-monitors more than a steady-state result.
#
#   SW_BIN_DIR [build/release/bin]  ENDPOINTS [20000]  INTERVAL [10]  DURATION [30]
#   WARMUP [INTERVAL + 2]  CONCURRENCY [512]  BATCH [200]  TARGET_THREADS [1]
#   KEEP=1 keeps the temp folder (logs of sw-monitors and sw-checker; the
#   checker logs one line per report with its latency) and says where.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SW_BIN_DIR:-$root/build/release/bin}
endpoints=${ENDPOINTS:-20000}
interval=${INTERVAL:-10}
duration=${DURATION:-30}
warmup=${WARMUP:-$((interval + 2))}
concurrency=${CONCURRENCY:-512}
batch=${BATCH:-200}
target_threads=${TARGET_THREADS:-1}

for exe in sw-monitors sw-checker; do
  [ -x "$bin/$exe" ] || { echo "missing $bin/$exe: run 'make build' first" >&2; exit 1; }
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

var=$(mktemp -d /tmp/sw-bench-checker.XXXXXX)
chmod 755 "$var" # under root the cluster runs as postgres, which must reach it
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then
    "$root/scripts/pg.sh" stop "$var" >/dev/null 2>&1 || true
    echo "kept $var"
  else
    "$root/scripts/pg.sh" destroy "$var" >/dev/null 2>&1 || true
    rm -rf "$var"
  fi
}
trap cleanup EXIT

gcc -O2 -Wall -Wextra -o "$var/target" "$root/bench/checker/target.c" -lpthread

export SW_VAR_DIR=$var SW_LOG_LEVEL=warn SW_PG_FAST=1
# No operations ports: a stack running beside the benchmark may hold their defaults.
export SW_MONITORS_METRICS_PORT=0 SW_CHECKER_METRICS_PORT=0
DATABASE_URL=$("$root/scripts/pg.sh" start "$var")
export DATABASE_URL
sql() { "$pgbin/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtAX "$@"; }

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$var/target" "$port" "$target_threads" &
pids+=($!)

SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32 "$bin/sw-monitors" 2>"$var/monitors.log" &
monitors=$!
pids+=("$monitors")
for _ in $(seq 1 150); do
  [ -S "$var/rpc/monitors-checker.ipc" ] &&
    [ "$(sql -c "SELECT to_regclass('monitors.schedule') IS NOT NULL")" = t ] && break
  kill -0 "$monitors" 2>/dev/null || { cat "$var/monitors.log" >&2; exit 1; }
  sleep 0.2
done

# One tenant with its monitor tables, as sw-monitors provisions them
# (services/monitors/tenant_cache.c): the schema, the tenant migrations
# applied with search_path on it, and its monitors.tenant_schemas row.
# Then the endpoints and their schedule rows, first slots spread over one
# interval (whole milliseconds: slots are compared as Unix ms).
tenant=$(sql -c "SELECT gen_random_uuid()")
migrations=$(ls "$root"/services/monitors/tenant_migrations/*.sql | sort)
latest=$(basename "$(echo "$migrations" | tail -n 1)")
{
  echo "CREATE SCHEMA t_bench; SET search_path TO t_bench;"
  for f in $migrations; do
    cat "$f"
    echo
  done
  echo "RESET search_path;"
} >"$var/tenant.sql"
sql -f "$var/tenant.sql" >/dev/null
sql >/dev/null <<SQL
INSERT INTO monitors.tenant_schemas (schema_name, tenant_id, version)
  VALUES ('t_bench', '$tenant', '$latest');
INSERT INTO t_bench.endpoints (name, url, interval_seconds, timeout_ms)
  SELECT 'bench ' || i, 'http://127.0.0.1:$port/e/' || i, $interval, 5000
  FROM generate_series(1, $endpoints) AS i;
INSERT INTO monitors.schedule (endpoint_id, tenant_id, schema_name, url, method, timeout_ms,
                               interval_seconds, slot_at, due_at)
  SELECT id, '$tenant', 't_bench', url, method, timeout_ms, interval_seconds, slot, slot
  FROM (SELECT e.*, date_trunc('milliseconds', now() + interval '2 seconds'
          + (row_number() OVER (ORDER BY id) - 1) * ($interval * 1000.0 / $endpoints)
            * interval '1 millisecond') AS slot
        FROM t_bench.endpoints e) AS spread;
ANALYZE monitors.schedule;
SQL

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
now() { date +%s.%N; }

SW_LOG_LEVEL=info SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32 SW_CHECKER_CONCURRENCY=$concurrency \
  SW_CHECKER_BATCH=$batch SW_CHECKER_ID=bench \
  "$bin/sw-checker" 2>"$var/checker.log" &
checker=$!
pids+=("$checker")
sleep "$warmup"
t0=$(now); c0=$(cpu_ticks "$checker"); m0=$(cpu_ticks "$monitors")
sleep "$duration"
t1=$(now); c1=$(cpu_ticks "$checker"); m1=$(cpu_ticks "$monitors")

# A graceful stop reports every check started in the window.
kill -TERM "$checker"
set +e
wait "$checker"
checker_status=$?
set -e

read -r checks failed p50 p99 < <(sql -F ' ' -c "
  SELECT count(*), count(*) FILTER (WHERE NOT ok),
         coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY lag)), 0),
         coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)), 0)
  FROM (SELECT ok, extract(epoch FROM checked_at - scheduled_at) * 1000 AS lag
        FROM t_bench.check_results
        WHERE checked_at >= to_timestamp($t0) AND checked_at < to_timestamp($t1)) AS w")
errors=$(sql -c "SELECT coalesce(string_agg(DISTINCT error, '; '), '') FROM (SELECT error
  FROM t_bench.check_results WHERE NOT ok LIMIT 1000) AS e")

tck=$(getconf CLK_TCK)
awk -v n="$checks" -v f="$failed" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" \
  -v m0="$m0" -v m1="$m1" -v tck="$tck" -v p50="$p50" -v p99="$p99" \
  -v offered="$(awk -v e="$endpoints" -v i="$interval" 'BEGIN { printf "%.0f", e / i }')" \
  -v e="$endpoints" -v i="$interval" -v c="$concurrency" -v cores="$(nproc)" 'BEGIN {
    wall = t1 - t0
    printf "sw-checker: %d endpoints every %d s (offered %d checks/s), concurrency %d, %.0f s measured, %d cores\n",
      e, i, offered, c, wall, cores
    printf "checks/s (fresh connection each): %.0f\n", n / wall
    printf "failed checks: %d of %d\n", f, n
    printf "checker CPU: %.1f%% of one core\n", 100 * (c1 - c0) / tck / wall
    printf "schedule lag p50 / p99: %d / %d ms\n", p50, p99
    printf "sw-monitors CPU (for context): %.1f%% of one core\n", 100 * (m1 - m0) / tck / wall
  }'
if [ -n "$errors" ]; then echo "errors seen: $errors"; fi
echo "checker exit status after SIGTERM: $checker_status"
[ "$checker_status" = 0 ]
