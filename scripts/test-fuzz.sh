#!/usr/bin/env bash
# Short fuzz runs for `make test`: builds every libFuzzer target of
# tests/fuzz with clang and runs each for FUZZ_SECONDS_EACH seconds (8) from
# its seed corpus (tests/fuzz/corpus/<target>, read only; new inputs go to a
# temporary folder), with its dictionary when it has one. Fails on any crash,
# leak, sanitizer report, failed property or timeout, naming the input that
# caused it (kept in $SW_FUZZ_ARTIFACTS, default build/fuzz-artifacts).
# Long runs: bench/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS_EACH:-8}
bin=$(scripts/fuzz-build.sh)
artifacts=${SW_FUZZ_ARTIFACTS:-$PWD/build/fuzz-artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=()
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  target=${name#fuzz_}
  seeds=tests/fuzz/corpus/$target
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  mkdir -p "$work/$target"
  log=$work/$target.log
  if "$bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "${dict[@]}" "$work/$target" "$seeds" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    printf 'fuzz %-18s ok   %9s runs, %s\n' "$target" "$runs" "$cov"
  else
    printf 'fuzz %-18s FAILED\n' "$target"
    grep -E 'ERROR|SUMMARY|property failed|Test unit written' "$log" | head -20 >&2 || true
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-fuzz: failed: ${failed[*]} (inputs in $artifacts; reproduce with $bin/fuzz_<target> <input>)" >&2
  exit 1
fi
