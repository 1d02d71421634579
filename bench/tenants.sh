#!/usr/bin/env bash
# Benchmark of tenant schemas at scale (issue 16): sign-up latency as the
# number of tenants grows, and the tenant-schema migration of all of them.
#
# It starts its own stack (bench/lib/stack.sh: release build, `make build`
# first; a private PostgreSQL with fsync off in a temp folder) and grows it
# to TENANTS tenants. At each mark of MARKS it signs up SAMPLES new
# organisations through the real API, one at a time (bench/tenants_sample.py):
# POST /api/auth/register/ end to end (gateway, sw-auth, sw-tenants: tenant
# row and CREATE SCHEMA) and the tenant's first GET /api/endpoints/ after a
# login (sw-monitors creates the tenant's tables), and prints p50/p99 of each
# and the CPU the stack spent per sampled tenant (every service process and
# PostgreSQL, as bench/api.sh counts it: sign-up, login and first request,
# two argon2id hashes among them), which load from other work on the machine
# does not inflate as it does latency.
# Between marks the tenants are made in bulk, BULK_JOBS psql sessions in
# parallel (bench/tenants_bulk.py): the same rows, schema and tables a
# sign-up and a first request leave (the tables from the tenant migration
# files themselves), without the HTTP, RPC and argon2 path.
#
# Then a trivial tenant migration is added in a temp copy of
# services/monitors/tenant_migrations (SW_TENANT_MIGRATIONS_DIR, read by
# sw-admin only) and `sw-admin migrate` brings every tenant schema to it,
# timed with 1 worker; a second one is added and timed with WORKERS workers.
#
#   SW_BIN_DIR [build/release/bin]  TENANTS [10000]  MARKS ["0 1000 5000 10000"]
#   SAMPLES [50]  BULK_JOBS [2]  WORKERS [4]  KEEP=1 keeps the temp folder
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
tenants=${TENANTS:-10000}
marks=${MARKS:-0 1000 5000 10000}
samples=${SAMPLES:-50}
bulk_jobs=${BULK_JOBS:-2}
workers=${WORKERS:-4}
stack_require sw-gateway sw-auth sw-tenants sw-monitors sw-billing sw-notify sw-checker sw-admin

# Sign-ups are limited per address (5 an hour); the bench is one address.
export SW_RATE_LIMIT_REGISTER_PER_HOUR=1000000
stack_start tenants

migrations=$var/tenant-migrations
mkdir -p "$migrations"
cp "$root"/services/monitors/tenant_migrations/*.sql "$migrations/"
count() { sql -c "SELECT count(*) FROM tenancy.tenants"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# bulk N: N more tenants, split over BULK_JOBS parallel psql sessions.
bulk_made=0
bulk_seconds=0
bulk() {
  local n=$1 start job per first
  [ "$n" -gt 0 ] || return 0
  local hash
  hash=$(sql -c "SELECT password_hash FROM auth.credentials LIMIT 1")
  start=$(date +%s.%N)
  per=$(( (n + bulk_jobs - 1) / bulk_jobs ))
  local pids=()
  for job in $(seq 0 $((bulk_jobs - 1))); do
    first=$((bulk_made + job * per))
    local this=$(( n - job * per < per ? n - job * per : per ))
    [ "$this" -gt 0 ] || continue
    /usr/bin/python3 "$root/bench/tenants_bulk.py" "$first" "$this" "$migrations" "$hash" |
      sql >/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  bulk_seconds=$(awk -v s="$bulk_seconds" -v e="$(elapsed "$start")" 'BEGIN { print s + e }')
  bulk_made=$((bulk_made + n))
  settle
}

# Thousands of tenants in a minute leave autovacuum a backlog on the catalogs
# that sign-ups one at a time never would: vacuumed and checkpointed before
# the timed sign-ups, so they measure the grown database, not the backlog.
settle() {
  sql -c "VACUUM ANALYZE pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_type,
    pg_catalog.pg_depend, pg_catalog.pg_namespace, pg_catalog.pg_index, pg_catalog.pg_constraint,
    pg_catalog.pg_attrdef, pg_catalog.pg_sequence, pg_catalog.pg_shdepend, tenancy.tenants,
    tenancy.domains, tenancy.audit_log, auth.users, auth.credentials, monitors.tenant_schemas" \
    -c "CHECKPOINT"
}

echo "bench/tenants.sh: $tenants tenants, $samples timed sign-ups at each of: $marks;" \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
tck=$(getconf CLK_TCK)
# sample PREFIX: SAMPLES timed sign-ups; sets s50 s99 f50 f99 and cpu (ms per tenant).
sample() {
  local before after
  before=$(stack_ticks)
  read -r s50 s99 f50 f99 < <(/usr/bin/python3 "$root/bench/tenants_sample.py" "$base" "$samples" "$1")
  after=$(stack_ticks)
  cpu=$(awk -v b="$before" -v a="$after" -v n="$samples" -v t="$tck" 'BEGIN { printf "%.1f", (a - b) * 1000 / t / n }')
}
row() { printf '%-9s %10s %10s %12s %12s %14s\n' "$@"; }
printf '%-9s %-21s %-25s %s\n' "" "sign-up (register)" "first request (tables)" "CPU per tenant"
row "tenants" "p50 ms" "p99 ms" "p50 ms" "p99 ms" "ms"
mark_no=0
for mark in $marks; do
  have=$(count)
  [ "$mark" -le "$tenants" ] || break
  bulk $((mark - have))
  sample "mark$mark_no"
  row "$(( have > mark ? have : mark ))" "$s50" "$s99" "$f50" "$f99" "$cpu"
  mark_no=$((mark_no + 1))
done
have=$(count)
[ "$have" -ge "$tenants" ] || bulk $((tenants - have))
echo "bulk: $bulk_made tenants in ${bulk_seconds} s ($bulk_jobs psql sessions, bench/tenants_bulk.py)"
echo "database: $(sql -c "SELECT pg_size_pretty(pg_database_size(current_database()))"), \
$(sql -c "SELECT count(*) FROM pg_class") relations, \
$(sql -c "SELECT count(*) FROM monitors.tenant_schemas") tenant schemas with tables"

# The migrations: a trivial one per run, over every tenant schema.
run_migrate() {
  local file=$1 n=$2 start out
  echo "ALTER TABLE endpoints ADD COLUMN $3 text;" >"$migrations/$file"
  start=$(date +%s.%N)
  out=$(SW_TENANT_MIGRATIONS_DIR=$migrations "$SW_BIN_DIR/sw-admin" migrate --workers "$n" \
    --progress-ms 5000 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out" >"$var/migrate-$n.log"
  echo "sw-admin migrate --workers $n ($file): $(elapsed "$start") s wall;" \
    "$(echo "$out" | tail -n 1 | sed 's/^sw-admin migrate: //')"
}
run_migrate 900_bench_one.sql 1 bench_one
run_migrate 901_bench_many.sql "$workers" bench_many
behind=$(sql -c "SELECT count(*) FROM monitors.tenant_schemas WHERE version < '901_bench_many.sql'")
[ "$behind" = 0 ] || { echo "$behind tenant schemas were not migrated" >&2; exit 1; }

# Sign-ups once everything is migrated, on the grown database.
have=$(count)
sample after
echo "after the migrations:"
row "$have" "$s50" "$s99" "$f50" "$f99" "$cpu"
