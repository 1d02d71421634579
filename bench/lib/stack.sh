# Sourced by the benchmarks: a private stack (release binaries, a private
# PostgreSQL with fsync off in a temp folder, every service under
# scripts/run.sh) and small helpers. After `stack_start NAME`:
#   $root $var $port $base $DATABASE_URL $pgbin, and the functions
#   sql ARGS...        psql on the stack's database (-qtAX, stop on error)
#   json_field EXPR    reads JSON on stdin, prints EXPR of it (e.g. '["id"]')
#   pid_of SERVICE     the pid of sw-SERVICE
#   ticks PID          utime + stime of a process in clock ticks (0 once gone)
#   pg_ticks           the same summed over the PostgreSQL cluster, exited
#                      backends included (the postmaster's cutime + cstime)
#   stack_ticks        pg_ticks plus every service process
# The stack stops when the script exits (KEEP=1 keeps the temp folder).
# Settings the caller exports before stack_start reach every service.
#   SW_BIN_DIR [build/release/bin]
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export SW_BIN_DIR=${SW_BIN_DIR:-$root/build/release/bin}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

stack_require() {
  local name
  for name in "$@"; do
    [ -x "$SW_BIN_DIR/$name" ] || { echo "missing $SW_BIN_DIR/$name: run 'make build' first" >&2; exit 1; }
  done
}

sql() { "$pgbin/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtAX "$@"; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
pid_of() { cat "$var/run/$1.pid"; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local postmaster total pid
  postmaster=$(head -n 1 "$(cat "$var/pg.location")/postmaster.pid")
  total=$(awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$postmaster/stat")
  for pid in $postmaster $(pgrep -P "$postmaster"); do
    total=$((total + $(ticks "$pid")))
  done
  echo "$total"
}
stack_services=(gateway auth tenants monitors billing notify checker)
stack_ticks() {
  local total name
  total=$(pg_ticks)
  for name in "${stack_services[@]}"; do total=$((total + $(ticks "$(pid_of "$name")"))); done
  echo "$total"
}

stack_stop() {
  kill -TERM "$stack" 2>/dev/null || true
  wait "$stack" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then
    "$root/scripts/pg.sh" stop "$var" >/dev/null 2>&1 || true
    echo "kept $var"
  else
    "$root/scripts/pg.sh" destroy "$var" >/dev/null 2>&1 || true
    rm -rf "$var"
  fi
}

# stack_start NAME: PostgreSQL and every service, waits for /health/ready/.
stack_start() {
  var=$(mktemp -d "/tmp/sw-bench-$1.XXXXXX")
  chmod 755 "$var" # under root the cluster runs as postgres, which must reach it
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export SW_VAR_DIR=$var SW_HTTP_PORT=$port SW_LOG_LEVEL=${SW_LOG_LEVEL:-warn} SW_PG_FAST=1
  DATABASE_URL=$("$root/scripts/pg.sh" start "$var")
  export DATABASE_URL
  "$root/scripts/run.sh" >"$var/stack.log" 2>&1 &
  stack=$!
  trap stack_stop EXIT
  base=http://127.0.0.1:$port
  stack_wait_ready
}

stack_wait_ready() {
  for _ in $(seq 1 300); do
    curl -fs "$base/health/ready/" >/dev/null 2>&1 && return 0
    kill -0 "$stack" 2>/dev/null || { cat "$var/stack.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "the stack did not become ready" >&2
  exit 1
}
