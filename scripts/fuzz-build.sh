#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build/fuzz (or
# $SW_FUZZ_BUILD_DIR) and prints the directory of the binaries. The gcc
# builds (build/dev, build/test, build/release) are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SW_FUZZ_BUILD_DIR:-build/fuzz}
command -v clang >/dev/null || { echo "fuzz-build: clang is missing (scripts/install-deps.sh)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
CC=clang cmake -S . -B "$build" -DSW_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
log=$build/fuzz-build.log
if ! cmake --build "$build" -j "${JOBS:-$(nproc)}" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "$PWD/$build/bin"
