#!/usr/bin/env bash
# Runs a test binary against a private, throw-away PostgreSQL cluster:
#   tests/unit/with-pg.sh <test binary> [args...]
# The cluster lives in a fresh folder under /tmp and is destroyed on exit
# whatever happens; the test's exit status is passed on.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=$(mktemp -d /tmp/sw-unit-pg.XXXXXX)
# Under root the cluster runs as `postgres`, which must be able to reach it.
chmod 755 "$dir"

cleanup() {
  "$root/scripts/pg.sh" destroy "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

export SW_PG_FAST=1 # a throw-away cluster needs no durability
DATABASE_URL=$("$root/scripts/pg.sh" start "$dir")
export DATABASE_URL

set +e
"$@"
status=$?
set -e
exit "$status"
