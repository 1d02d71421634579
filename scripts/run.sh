#!/usr/bin/env bash
# Starts the whole stack: a private PostgreSQL (unless DATABASE_URL is set) and
# every service under a small supervisor that restarts a service that exits.
# Ctrl-C or SIGTERM stops everything it started, PostgreSQL included.
#
# Settings (environment): SW_BIN_DIR [build/release/bin], SW_VAR_DIR [./var],
# SW_HTTP_ADDR / SW_HTTP_PORT [127.0.0.1:8080], DATABASE_URL [private cluster],
# SW_TLS_DIR [var/tls, made by scripts/tls-dev.sh], SW_<SVC>_METRICS_PORT [below].
#
# Every service but the gateway (whose /metrics/ and /health/ are on its HTTP
# port) serves /metrics and /health on an operations port of its own: the
# SW_<SVC>_METRICS_PORT given, else its default (auth 9101, tenants 9102,
# monitors 9103, billing 9104, notify 9105, checker 9106) when nothing listens
# there, else a free port. Each is written to var/run/<service>.metrics_port.
#
# SW_RUN_REGIONS [empty]: checker regions to try regions and quorum on one
# machine, e.g. "eu,us,ap": one checker per region (sw-checker-<region>, its
# SW_CHECKER_REGION, operations port free_port) instead of the one checker of
# SW_CHECKER_REGION [local].
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${SW_BIN_DIR:-$root/build/release/bin}
export SW_VAR_DIR=$(realpath -m "${SW_VAR_DIR:-$root/var}")
export SW_WEB_ROOT=${SW_WEB_ROOT:-$root/web/dist}
run_dir=$SW_VAR_DIR/run
mkdir -p "$run_dir" "$SW_VAR_DIR/mail" "$SW_VAR_DIR/log"
# One stack per var folder: a second one would take over its pid files.
exec 9>"$run_dir/lock"
flock -n 9 || { echo "run: a stack is already running on $SW_VAR_DIR" >&2; exit 1; }
rm -f "$run_dir"/*.pid "$run_dir/stopping"

# Certificates for tls+tcp:// service addresses: a development set under var/
# unless the operator points SW_TLS_DIR at real ones.
if [ -z "${SW_TLS_DIR:-}" ]; then
  export SW_TLS_DIR=$SW_VAR_DIR/tls
  "$root/scripts/tls-dev.sh" "$SW_TLS_DIR" || { echo "run: cannot make development certificates" >&2; exit 1; }
fi

own_pg=0
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$("$root/scripts/pg.sh" start "$SW_VAR_DIR" 9>&-) || { echo "run: PostgreSQL did not start" >&2; exit 1; }
  export DATABASE_URL
  own_pg=1
fi

log() { printf '{"level":"%s","service":"supervisor","msg":"%s"}\n' "$1" "$2" >&2; }

# Runs one service forever: restarts it when it exits, backing off when it
# keeps dying at once, until the stop marker exists.
supervise() {
  local name=$1 delay=0.2
  shift
  echo "$BASHPID" > "$run_dir/$name.supervisor.pid"
  while [ ! -e "$run_dir/stopping" ]; do
    local started=$SECONDS
    "$@" &
    local pid=$!
    echo "$pid" > "$run_dir/$name.pid"
    wait "$pid"
    local rc=$?
    [ -e "$run_dir/stopping" ] && break
    log warn "$name exited with status $rc; restarting"
    if [ $((SECONDS - started)) -lt 3 ]; then
      delay=$(awk -v d="$delay" 'BEGIN { d *= 2; if (d > 5) d = 5; print d }')
    else
      delay=0.2
    fi
    sleep "$delay"
  done
}

services=(tenants auth monitors billing notify checker gateway)

# Whether something accepts connections on 127.0.0.1:$1.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port nobody holds now, from the kernel's ephemeral range.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
declare -A default_ops_port=([auth]=9101 [tenants]=9102 [monitors]=9103 [billing]=9104 [notify]=9105 [checker]=9106)
for name in "${!default_ops_port[@]}"; do
  var=SW_${name^^}_METRICS_PORT
  if [ -z "${!var:-}" ]; then
    port=${default_ops_port[$name]}
    port_taken "$port" && port=$(free_port)
    export "$var=$port"
  fi
  addr=SW_${name^^}_METRICS_ADDR
  echo "${!var}" > "$run_dir/$name.metrics_port"
  log info "sw-$name: metrics and health on http://${!addr:-127.0.0.1}:${!var}/"
done
supervisors=()
for name in "${services[@]}"; do
  [ "$name" = checker ] && [ -n "${SW_RUN_REGIONS:-}" ] && continue
  supervise "$name" "$bin_dir/sw-$name" &
  supervisors+=($!)
done
# One checker per region of SW_RUN_REGIONS, each under its own name.
IFS=', ' read -r -a run_regions <<< "${SW_RUN_REGIONS:-}"
for region in "${run_regions[@]}"; do
  [ -n "$region" ] || continue
  name=checker-$region
  port=$(free_port)
  echo "$port" > "$run_dir/$name.metrics_port"
  log info "sw-checker in region $region: metrics and health on http://127.0.0.1:$port/"
  services+=("$name")
  supervise "$name" env SW_CHECKER_REGION="$region" SW_CHECKER_METRICS_PORT="$port" \
    "$bin_dir/sw-checker" &
  supervisors+=($!)
done

stop() {
  trap '' INT TERM
  log info "stopping"
  touch "$run_dir/stopping"
  for name in "${services[@]}"; do
    [ -f "$run_dir/$name.pid" ] && kill -TERM "$(cat "$run_dir/$name.pid")" 2>/dev/null
  done
  wait "${supervisors[@]}" 2>/dev/null
  [ "$own_pg" = 1 ] && "$root/scripts/pg.sh" stop "$SW_VAR_DIR"
  log info "stopped"
  exit 0
}
trap stop INT TERM

log info "StatusWatch at http://${SW_HTTP_ADDR:-127.0.0.1}:${SW_HTTP_PORT:-8080}"
while :; do
  sleep 1 &
  wait $!
done
