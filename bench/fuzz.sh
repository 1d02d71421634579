#!/usr/bin/env bash
# Long fuzz runs: every libFuzzer target of tests/fuzz (or those named) for
# FUZZ_SECONDS each, one target at a time, then a summary per target: runs,
# executions/s, coverage (libFuzzer's cov: edges and ft: features), the
# corpus size and the crashes found. The short runs of `make test` are
# scripts/test-fuzz.sh.
#
# Each target starts from the repository's seeds (tests/fuzz/corpus/<target>,
# only read) and from what earlier runs found, which is kept outside the
# repository in $FUZZ_WORK/corpus/<target>; crashing inputs go to
# $FUZZ_WORK/artifacts. To bring new inputs into the repository's seeds,
# minimise them first:  fuzz_<target> -merge=1 tests/fuzz/corpus/<target> $FUZZ_WORK/corpus/<target>
#
#   bench/fuzz.sh [target]...   (all of tests/fuzz/fuzz_*.c when none is named)
#   FUZZ_SECONDS [600]          per target
#   FUZZ_WORK [/var/tmp/statuswatch-fuzz]
#   FUZZ_JOBS [1]               libFuzzer -fork= workers per target (1: no fork)
# On a shared machine run it under nice (e.g. `nice -n 15 bench/fuzz.sh`).
# Exits 1 when any target crashed, leaked or broke a property.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-600}
work=${FUZZ_WORK:-/var/tmp/statuswatch-fuzz}
jobs=${FUZZ_JOBS:-1}
bin=$(scripts/fuzz-build.sh)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    targets+=("${name#fuzz_}")
  done
fi
mkdir -p "$work/artifacts" "$work/logs"

summary=()
crashed=()
for target in "${targets[@]}"; do
  [ -x "$bin/fuzz_$target" ] || { echo "fuzz: no target $target" >&2; exit 2; }
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  fork=()
  [ "$jobs" -gt 1 ] && fork=(-fork="$jobs")
  log=$work/logs/$target.log
  echo "fuzz: $target for ${seconds}s (log $log)" >&2
  start=$(date +%s)
  rc=0
  "$bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" "${fork[@]}" "${dict[@]}" \
    "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 || rc=$?
  elapsed=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  status=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$status" | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' <<<"$status" | cut -d' ' -f2)
  [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' <<<"$status" | tr -d '#')
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  outcome=ok
  if [ "$rc" -ne 0 ]; then
    outcome="CRASH ($(grep -oE 'Test unit written to .*' "$log" | tail -1 | sed 's/Test unit written to //'))"
    crashed+=("$target")
  fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$((${runs:-0} / (elapsed > 0 ? elapsed : 1)))
  summary+=("$(printf '%-18s %6ss %12s runs %8s exec/s  cov %6s  ft %7s  corpus %6s files %9s B  %s' \
    "$target" "$elapsed" "${runs:-?}" "$execs" "${cov:-?}" "${ft:-?}" "$files" "$bytes" "$outcome")")
done

echo
echo "fuzz summary (${seconds}s per target; corpus in $work/corpus)"
printf '%s\n' "${summary[@]}"
if [ ${#crashed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${crashed[*]}; inputs in $work/artifacts" >&2
  exit 1
fi
