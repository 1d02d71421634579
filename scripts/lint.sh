#!/usr/bin/env bash
# Static checks, run by `make lint` (and so by `make test`):
#   C    clang-tidy (.clang-tidy) and cppcheck on the project's own sources —
#        libcommon, services, tests, bench — never the generated *.pb-c.c or
#        embedded migrations; flags come from the build's compile_commands.json.
#   web  tsc -b and ESLint (web/eslint.config.js) on the web app.
# Prints every finding as `file:line: check: message` and exits 1 if there is any.
#
#   scripts/lint.sh [c|web]...   (both when none is named)
#   SW_BUILD_DIR [build/test]  a configured CMake build directory
#   JOBS [nproc]               parallel clang-tidy / cppcheck processes
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SW_BUILD_DIR:-$root/build/test}
jobs=${JOBS:-$(nproc)}
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(c web)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# Sources that are built outside this build, with the flags their build uses:
# bench/checker's target (its script) and the fuzz targets (only in the clang
# fuzz build, tests/fuzz/CMakeLists.txt; their headers are the services').
mapfile -t FUZZ_SOURCES < <(cd "$root" && ls tests/fuzz/fuzz_*.c 2>/dev/null)
STANDALONE=(bench/checker/target.c "${FUZZ_SOURCES[@]}")
STANDALONE_FLAGS=(-D_GNU_SOURCE -I"$root/tests/fuzz" -I"$root/libcommon" -I"$root/services/gateway"
  -I"$root/services/billing" -I"$build/proto")
read -ra PKG_INCLUDES < <(pkg-config --cflags-only-I libpq jansson libprotobuf-c 2>/dev/null)
STANDALONE_FLAGS+=("${PKG_INCLUDES[@]}")

note() { printf 'lint: %s\n' "$*" >&2; }

# clang-tidy's "path:line:col: warning: message [check]" as "file:line: check: message".
tidy_findings() {
  sed -nE "s#^$root/##; s#^([^ :]+):([0-9]+):[0-9]+: (warning|error): (.*) \[([^]]+)\]\$#\1:\2: \5: \4#p" "$@" |
    sort -u
}

lint_c() {
  if [ ! -f "$build/CMakeCache.txt" ]; then
    note "configuring $build"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSW_SANITIZE=ON >/dev/null || return 1
  fi
  # The generated protobuf headers must exist for the sources to parse.
  cmake --build "$build" --target sw_proto -j "$jobs" >/dev/null || return 1
  local db="$build/compile_commands.json"
  # The project's own sources, and a database of just those for cppcheck
  # (generated files may not exist yet in a configured, unbuilt tree).
  python3 - "$db" "$root" "$build" "$work/compile_commands.json" >"$work/sources" <<'EOF' || return 1
import json, os, sys
db, root, build, out = sys.argv[1:]
build = os.path.realpath(build) + os.sep
own, seen = [], set()
for entry in json.load(open(db)):
    path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    if path.startswith(root + os.sep) and not path.startswith(build) and "/build/" not in path[len(root):]:
        own.append(entry)
        seen.add(path)
json.dump(own, open(out, "w"))
print("\n".join(sorted(seen)))
EOF
  note "clang-tidy on $(wc -l <"$work/sources") files"
  xargs -P "$jobs" -n 4 clang-tidy --quiet -p "$build" <"$work/sources" >"$work/tidy.out" 2>"$work/tidy.err"
  for f in "${STANDALONE[@]}"; do
    clang-tidy --quiet "$root/$f" -- -std=gnu11 "${STANDALONE_FLAGS[@]}" >>"$work/tidy.out" 2>>"$work/tidy.err"
  done
  tidy_findings "$work/tidy.out" >"$work/tidy.findings"
  if grep -q 'error: unable to\|Error while' "$work/tidy.err"; then
    grep 'error: unable to\|Error while' "$work/tidy.err" >&2
    failed=1
  fi

  note "cppcheck"
  local cpp_args=(--enable=warning,style,performance,portability --std=c11 --inline-suppr
    --suppressions-list="$root/scripts/cppcheck-suppressions.txt" --error-exitcode=1 --quiet
    --template='{file}:{line}: cppcheck-{id}: {message}')
  cppcheck "${cpp_args[@]}" --project="$work/compile_commands.json" -j "$jobs" 2>"$work/cppcheck.out"
  local cpp_rc=$?
  cppcheck "${cpp_args[@]}" "${STANDALONE_FLAGS[@]}" "${STANDALONE[@]/#/$root/}" \
    2>>"$work/cppcheck.out" || cpp_rc=1
  sed "s|^$root/||" "$work/cppcheck.out" | sort -u >"$work/cppcheck.findings"

  cat "$work/tidy.findings" "$work/cppcheck.findings"
  local n_tidy n_cpp
  n_tidy=$(wc -l <"$work/tidy.findings")
  n_cpp=$(wc -l <"$work/cppcheck.findings")
  note "C: $n_tidy clang-tidy, $n_cpp cppcheck findings"
  if [ "$n_tidy" -gt 0 ] || [ "$n_cpp" -gt 0 ] || [ "$cpp_rc" -ne 0 ]; then
    failed=1
  fi
}

lint_web() {
  cd "$root/web" || return 1
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error || return 1
  fi
  note "tsc -b"
  npx --no-install tsc -b || failed=1
  note "eslint"
  npx --no-install eslint --max-warnings=0 . || failed=1
  cd "$root" || return 1
}

for part in "${parts[@]}"; do
  case $part in
  c) lint_c || failed=1 ;;
  web) lint_web || failed=1 ;;
  *) note "unknown part '$part' (c or web)"; exit 2 ;;
  esac
done
[ $failed -eq 0 ] && note "clean"
exit $failed
