#!/usr/bin/env bash
# Benchmark: authenticated GET /api/auth/me/ with wrk (64 connections).
# Starts its own stack (release build, private PostgreSQL in a temp folder),
# registers an organisation, logs in, runs wrk and prints requests/s and p99.
#   SW_BIN_DIR [build/release/bin]  DURATION [15s]  CONNECTIONS [64]  THREADS [2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export SW_BIN_DIR=${SW_BIN_DIR:-$root/build/release/bin}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}

var=$(mktemp -d /tmp/sw-bench-XXXXXX)
chmod 755 "$var"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SW_VAR_DIR=$var SW_HTTP_PORT=$port SW_LOG_LEVEL=warn SW_PG_FAST=1
export DATABASE_URL=$("$root/scripts/pg.sh" start "$var")
"$root/scripts/run.sh" >"$var/stack.log" 2>&1 &
stack=$!
cleanup() {
  kill -TERM "$stack" 2>/dev/null || true
  wait "$stack" 2>/dev/null || true
  "$root/scripts/pg.sh" destroy "$var" >/dev/null 2>&1 || true
  rm -rf "$var"
}
trap cleanup EXIT

base=http://127.0.0.1:$port
for _ in $(seq 1 150); do
  curl -fs "$base/health/ready/" >/dev/null 2>&1 && break
  sleep 0.2
done
pw='Bench-password-123!'
curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/register/" \
  -d "{\"organization_name\":\"Bench\",\"email\":\"bench@example.com\",\"password\":\"$pw\",\"password_confirm\":\"$pw\"}" >/dev/null
access=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/token/" \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$pw\"}" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access"])')

echo "GET /api/auth/me/ — $connections connections, $threads wrk threads, $duration, $(nproc) cores"
out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $access" "$base/api/auth/me/")
echo "$out" | sed -n '/Latency Distribution/,/99%/p'
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
echo "requests/s: $rps"
echo "p99 latency: $p99"
echo "non-2xx responses: ${non2xx:-0}"
