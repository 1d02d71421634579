#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests, on a Unix socket only.
#   scripts/pg.sh start <var_dir>   → prints the DATABASE_URL on stdout
#   scripts/pg.sh stop  <var_dir>
# PostgreSQL refuses to run as root, so under root the cluster runs as the
# Debian package's `postgres` account; its data folder then lives where that
# account can reach it (under <var_dir> if possible, else under /var/tmp).
set -euo pipefail

cmd=$1
var_dir=$(realpath -m "$2")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
key=$(printf '%s' "$var_dir" | sha1sum | cut -c1-10)
sock_dir=/tmp/sw-pg-$key            # short: socket paths are limited to 107 bytes
state_file=$var_dir/pg.location     # remembers where the data folder is

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data_dir() {
  if [ -f "$state_file" ]; then cat "$state_file"; return; fi
  local dir=$var_dir/pgdata
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$dir"
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      rmdir "$dir" 2>/dev/null || true
      dir=/var/tmp/statuswatch-$key/pgdata
      mkdir -p "$dir"
      chown postgres: "$(dirname "$dir")" "$dir"
    fi
  fi
  mkdir -p "$var_dir"
  echo "$dir" > "$state_file"
  echo "$dir"
}

case "$cmd" in
start)
  data=$(data_dir)
  mkdir -p "$data" "$sock_dir"
  chmod 700 "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$data" "$sock_dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$pgbin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  extra=""
  [ "${SW_PG_FAST:-0}" = 1 ] && extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! as_pg "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$pgbin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
      -o "-c listen_addresses='' -k $sock_dir -c max_connections=300 $extra" start >/dev/null
  fi
  "$pgbin/psql" -h "$sock_dir" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'statuswatch'" | grep -q 1 ||
    "$pgbin/createdb" -h "$sock_dir" -U postgres statuswatch
  echo "postgresql:///statuswatch?host=$sock_dir&user=postgres"
  ;;
stop)
  [ -f "$state_file" ] || exit 0
  data=$(cat "$state_file")
  as_pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
destroy)
  "$0" stop "$2"
  [ -f "$state_file" ] && rm -rf "$(cat "$state_file")" "$state_file"
  rm -rf "$sock_dir"
  ;;
*)
  echo "usage: $0 start|stop|destroy <var_dir>" >&2
  exit 2
  ;;
esac
