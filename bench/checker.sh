#!/usr/bin/env bash
# Benchmark of the checking path end to end: sustained checks/s (a fresh
# connection per check, results stored, rollups updated, statuses decided),
# the CPU milliseconds per check of each process (sw-checker, sw-monitors,
# PostgreSQL: every backend, exited ones included), the p50/p99 schedule lag
# (check started − slot it was scheduled for) and the database's growth in
# bytes per million checks.
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
# The endpoints start `up` (one success behind them): the run measures the
# steady state, where a result changes no status. START=pending makes every
# endpoint's first result a transition (pending → up: its status_changes and
# outbox rows), the cost of a mass outage or recovery.
#
#   SW_BIN_DIR [build/release/bin]  ENDPOINTS [20000]  INTERVAL [10]  DURATION [30]
#   WARMUP [INTERVAL + 2]  CONCURRENCY [512]  BATCH [200]  TARGET_THREADS [1]
#   START [up]: up, or pending (every first result is a transition)
#   CHECKERS [1]: checkers leasing concurrently (ids bench-1 … bench-N)
#   TARGET_DELAY_MS [0]: the target answers that long after each request, like
#     a distant site; a checker then does at most CONCURRENCY / delay checks
#     a second, so its concurrency, not the CPU, is the limit (the case where
#     more checkers should mean proportionally more checks)
#   PROFILE=1: pg_stat_statements in the private cluster; the statements'
#     share of PostgreSQL's time is printed at the end
#   EXPLAIN=1: also auto_explain (ANALYZE) of 1 % of the statements; the
#     last logged plan of the result-storing statement is printed at the end
#   KILL_AT [0]: when > 0, checker 1 is SIGKILLed that many seconds into the
#     measured window and started again at once; the run then counts, from
#     the stored results, the slots lost (a gap of more than 1.5 intervals
#     between an endpoint's consecutive stored slots) and duplicated (two
#     stored results of one endpoint less than half an interval apart, or
#     one slot stored twice), and fails unless both are 0. LEASE [10] is
#     the lease the checkers ask for, so the killed checker's checks come
#     back within one interval (set INTERVAL ≥ 20 with it).
#   KEEP=1 keeps the temp folder (logs of sw-monitors and sw-checker; the
#   checker logs one line per report with its latency) and says where.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SW_BIN_DIR:-$root/build/release/bin}
endpoints=${ENDPOINTS:-20000}
case ${START:-up} in
  up) start_status=up start_successes=1 ;;
  pending) start_status=pending start_successes=0 ;;
  *) echo "checker.sh: START is up or pending" >&2; exit 2 ;;
esac
interval=${INTERVAL:-10}
duration=${DURATION:-30}
warmup=${WARMUP:-$((interval + 2))}
concurrency=${CONCURRENCY:-512}
batch=${BATCH:-200}
target_threads=${TARGET_THREADS:-1}
target_delay_ms=${TARGET_DELAY_MS:-0}
checkers=${CHECKERS:-1}
kill_at=${KILL_AT:-0}
lease=${LEASE:-60}
[ "$kill_at" -gt 0 ] && lease=${LEASE:-10}

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
if [ "${PROFILE:-0}" = 1 ] || [ "${EXPLAIN:-0}" = 1 ]; then
  sql -c "ALTER SYSTEM SET shared_preload_libraries = pg_stat_statements, auto_explain" >/dev/null
  "$root/scripts/pg.sh" stop "$var" >/dev/null
  "$root/scripts/pg.sh" start "$var" >/dev/null
  sql -c "CREATE EXTENSION pg_stat_statements" >/dev/null
  if [ "${EXPLAIN:-0}" = 1 ]; then
    sql -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" >/dev/null
    sql -c "ALTER SYSTEM SET auto_explain.log_analyze = on" >/dev/null
    sql -c "ALTER SYSTEM SET auto_explain.sample_rate = 0.01" >/dev/null
    sql -c "SELECT pg_reload_conf()" >/dev/null
  fi
fi

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$var/target" "$port" "$target_threads" "$target_delay_ms" &
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
INSERT INTO t_bench.endpoints (name, url, interval_seconds, timeout_ms, status,
                               consecutive_successes)
  SELECT 'bench ' || i, 'http://127.0.0.1:$port/e/' || i, $interval, 5000, '$start_status',
         $start_successes
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

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat);
# 0 once it is gone.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The whole cluster: the postmaster, its live children, and the exited ones
# (the postmaster's cutime + cstime).
postmaster=$(head -n 1 "$(cat "$var/pg.location")/postmaster.pid")
pg_ticks() {
  local total pid
  total=$(awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$postmaster/stat")
  for pid in $postmaster $(pgrep -P "$postmaster"); do
    total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}
now() { date +%s.%N; }
db_bytes() { sql -c "SELECT pg_database_size(current_database())"; }

checker_pids=()
start_checker() { # start_checker N: checker bench-N, its pid in checker_pids[N-1]
  SW_LOG_LEVEL=info SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32 SW_CHECKER_CONCURRENCY=$concurrency \
    SW_CHECKER_BATCH=$batch SW_CHECKER_ID=bench-$1 SW_CHECKER_LEASE_SECONDS=$lease \
    "$bin/sw-checker" 2>>"$var/checker-$1.log" &
  checker_pids[$(($1 - 1))]=$!
  pids+=($!)
}
checkers_ticks() { # every checker process, the killed one's ticks kept in killed_ticks
  local total=$killed_ticks pid
  for pid in "${checker_pids[@]}"; do total=$((total + $(cpu_ticks "$pid"))); done
  echo "$total"
}
killed_ticks=0
for n in $(seq 1 "$checkers"); do start_checker "$n"; done
sleep "$warmup"
t0=$(now); c0=$(checkers_ticks); m0=$(cpu_ticks "$monitors"); p0=$(pg_ticks); b0=$(db_bytes)
if [ "$kill_at" -gt 0 ]; then
  sleep "$kill_at"
  killed_ticks=$(cpu_ticks "${checker_pids[0]}")
  kill -KILL "${checker_pids[0]}"
  wait "${checker_pids[0]}" 2>/dev/null || true
  echo "SIGKILLed checker bench-1 (pid ${checker_pids[0]}) $kill_at s into the window; started again"
  start_checker 1
  sleep $((duration - kill_at))
else
  sleep "$duration"
fi
t1=$(now); c1=$(checkers_ticks); m1=$(cpu_ticks "$monitors"); p1=$(pg_ticks); b1=$(db_bytes)

# A graceful stop reports every check started in the window.
checker_status=0
for pid in "${checker_pids[@]}"; do kill -TERM "$pid"; done
set +e
for pid in "${checker_pids[@]}"; do wait "$pid" || checker_status=$?; done
set -e

read -r checks failed p50 p99 < <(sql -F ' ' -c "
  SELECT count(*), count(*) FILTER (WHERE NOT ok),
         coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY lag)), 0),
         coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)), 0)
  FROM (SELECT ok, extract(epoch FROM checked_at - scheduled_at) * 1000 AS lag
        FROM t_bench.check_results
        WHERE checked_at >= to_timestamp($t0) AND checked_at < to_timestamp($t1)) AS w")
# What stays: the raw results (every partition with its index) per stored
# result, and the hourly rollups per row; per endpoint and day at a 30 s
# interval that is 2,880 results and 24 rollup rows.
read -r raw_bytes raw_rows roll_bytes roll_rows < <(sql -F ' ' -c "
  SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('t_bench.check_results')),
         (SELECT count(*) FROM t_bench.check_results),
         pg_total_relation_size('t_bench.rollups_hourly'),
         (SELECT count(*) FROM t_bench.rollups_hourly)")
errors=$(sql -c "SELECT coalesce(string_agg(DISTINCT error, '; '), '') FROM (SELECT error
  FROM t_bench.check_results WHERE NOT ok LIMIT 1000) AS e")

tck=$(getconf CLK_TCK)
awk -v n="$checks" -v f="$failed" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" \
  -v m0="$m0" -v m1="$m1" -v tck="$tck" -v p50="$p50" -v p99="$p99" \
  -v p0="$p0" -v p1="$p1" -v b0="$b0" -v b1="$b1" -v k="$checkers" \
  -v load="$(cut -d ' ' -f 1-3 /proc/loadavg)" \
  -v rb="$raw_bytes" -v rr="$raw_rows" -v ob="$roll_bytes" -v orows="$roll_rows" \
  -v offered="$(awk -v e="$endpoints" -v i="$interval" 'BEGIN { printf "%.0f", e / i }')" \
  -v e="$endpoints" -v i="$interval" -v c="$concurrency" -v cores="$(nproc)" 'BEGIN {
    wall = t1 - t0
    printf "%d endpoints every %d s (offered %d checks/s), %d checker(s) of concurrency %d, %.0f s measured, %d cores, load average %s\n",
      e, i, offered, k, c, wall, cores, load
    printf "checks/s (fresh connection each, stored): %.0f\n", n / wall
    printf "failed checks: %d of %d\n", f, n
    printf "schedule lag p50 / p99: %d / %d ms\n", p50, p99
    ms = 1000 / tck / (n > 0 ? n : 1)
    printf "CPU ms per check: checker %.3f, sw-monitors %.3f, PostgreSQL %.3f, total %.3f\n",
      (c1 - c0) * ms, (m1 - m0) * ms, (p1 - p0) * ms, (c1 - c0 + m1 - m0 + p1 - p0) * ms
    printf "CPU %% of one core: checker %.0f, sw-monitors %.0f, PostgreSQL %.0f\n",
      100 * (c1 - c0) / tck / wall, 100 * (m1 - m0) / tck / wall, 100 * (p1 - p0) / tck / wall
    printf "database growth: %.0f bytes per million checks (%+.1f MB in the window)\n",
      (n > 0 ? (b1 - b0) * 1e6 / n : 0), (b1 - b0) / 1e6
    rpc = rr > 0 ? rb / rr : 0
    opr = orows > 0 ? ob / orows : 0
    printf "stored: %.0f bytes per raw result (%d results), %.0f bytes per hourly rollup row (%d rows)\n",
      rpc, rr, opr, orows
    printf "per endpoint and day at a 30 s interval: %.0f kB raw + %.1f kB rollups\n",
      rpc * 2880 / 1000, opr * 24 / 1000
  }'
if [ -n "$errors" ]; then echo "errors seen: $errors"; fi
if [ "${EXPLAIN:-0}" = 1 ]; then
  echo "the last sampled plan of the result-storing statement:"
  python3 - "$(cat "$var/pg.location")/server.log" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
plans = [p for p in re.split(r"\n(?=\S+ \S+ UTC \[)", text) if "plan:" in p and "WITH input AS" in p]
print(plans[-1] if plans else "(no plan sampled)")
PY
fi
if [ "${PROFILE:-0}" = 1 ]; then
  echo "PostgreSQL statements by total time (ms per 1000 calls, share):"
  sql -F ' | ' -c "SELECT round(total_exec_time::numeric / greatest(calls, 1) * 1000, 1),
      round(100 * total_exec_time / sum(total_exec_time) OVER ())::text || '%', calls,
      left(regexp_replace(query, '\s+', ' ', 'g'), 90)
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12"
fi
verdict=0
if [ "$kill_at" -gt 0 ]; then
  # Every endpoint's stored slots from the warm-up on, in order: a checker
  # that loses a leased check leaves a gap; one that stores it twice, two
  # results close together (or one slot twice, which UNIQUE forbids).
  read -r lost dup twice < <(sql -F ' ' -c "
    SELECT count(*) FILTER (WHERE gap > 1.5 * $interval),
           count(*) FILTER (WHERE gap < 0.5 * $interval),
           (SELECT count(*) FROM (SELECT 1 FROM t_bench.check_results
              GROUP BY endpoint_id, scheduled_at HAVING count(*) > 1) AS d)
    FROM (SELECT extract(epoch FROM scheduled_at - lag(scheduled_at)
                   OVER (PARTITION BY endpoint_id ORDER BY scheduled_at)) AS gap
          FROM t_bench.check_results WHERE scheduled_at >= to_timestamp($t0) - interval '$interval s'
            AND scheduled_at < to_timestamp($t1)) AS g")
  rerun=$(sql -c "SELECT count(*) FROM t_bench.check_results WHERE checked_at >= to_timestamp($t0)
    AND checked_at < to_timestamp($t1) AND checked_at - scheduled_at > interval '$((lease / 2)) s'")
  echo "after SIGKILL: $rerun checks ran again after their lease expired (lag > $((lease / 2)) s)"
  echo "after SIGKILL: lost slots $lost, duplicated $dup, slots stored twice $twice (counted from stored results)"
  [ "$lost" = 0 ] && [ "$dup" = 0 ] && [ "$twice" = 0 ] || verdict=1
fi
echo "checker exit status after SIGTERM: $checker_status"
[ "$checker_status" = 0 ] && [ "$verdict" = 0 ]
