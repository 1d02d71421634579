#!/usr/bin/env bash
# End-to-end test of the web app against the real stack: builds web/dist, starts a
# private stack (its own PostgreSQL, a free port, a temporary var folder) with billing
# pointed at a local fake Stripe (tests/integration/fake_stripe.py, which also delivers
# signed webhooks back to the stack when its checkout and portal pages are used), runs
# `npm run e2e` (playwright-core driving /usr/bin/chromium) and stops everything.
# Fails when a flow fails or when a service printed a sanitizer report.
#
# Settings (environment): SW_BIN_DIR [build/test/bin], SCREENSHOT_DIR
# [build/screenshots], SW_E2E_READY_TIMEOUT [60 s], SW_E2E_KEEP=1 keeps the var folder.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$(realpath -m "${SW_BIN_DIR:-$root/build/test/bin}")
shots=$(realpath -m "${SCREENSHOT_DIR:-$root/build/screenshots}")
ready_timeout=${SW_E2E_READY_TIMEOUT:-60}

say() { printf 'e2e: %s\n' "$*" >&2; }

[ -d "$root/web" ] || { say "no web/ folder; nothing to test"; exit 0; }
for name in tenants auth monitors billing notify checker gateway; do
  [ -x "$bin_dir/sw-$name" ] || { say "missing $bin_dir/sw-$name (run make build-test)"; exit 1; }
done

"$root/scripts/build-web.sh" || { say "the web app did not build"; exit 1; }

var_dir=$(mktemp -d /tmp/sw-e2e-XXXXXX)
chmod 755 "$var_dir"   # PostgreSQL runs as `postgres` when we are root
stack_pid=""
e2e_pid=""
stripe_pid=""
# Stops the stack: SIGTERM, and after 30 s SIGKILL to its whole process group.
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${state:0:1}" != Z ]; }
stop_stack() {
  [ -n "$stack_pid" ] || return 0
  kill -TERM "$stack_pid" 2>/dev/null
  for _ in $(seq 1 300); do running "$stack_pid" || break; sleep 0.1; done
  if running "$stack_pid"; then
    say "the stack did not stop within 30 s; killing it"
    kill -KILL -- "-$stack_pid" 2>/dev/null
  fi
  wait "$stack_pid" 2>/dev/null
  stack_pid=""
}
stop_fake_stripe() {
  [ -n "$stripe_pid" ] || return 0
  kill -TERM "$stripe_pid" 2>/dev/null
  for _ in $(seq 1 50); do running "$stripe_pid" || break; sleep 0.1; done
  running "$stripe_pid" && kill -KILL "$stripe_pid" 2>/dev/null
  wait "$stripe_pid" 2>/dev/null
  stripe_pid=""
}
cleanup() {
  local rc=$?
  trap '' INT TERM
  if [ -n "${e2e_pid:-}" ]; then
    kill -TERM -- "-$e2e_pid" 2>/dev/null
    wait "$e2e_pid" 2>/dev/null
  fi
  stop_stack
  stop_fake_stripe
  "$root/scripts/pg.sh" destroy "$var_dir" >/dev/null 2>&1
  if [ "${SW_E2E_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    say "stack log kept in $var_dir/stack.log"
  else
    rm -rf "$var_dir"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

database_url=$(SW_PG_FAST=1 "$root/scripts/pg.sh" start "$var_dir") || { say "PostgreSQL did not start"; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url="http://127.0.0.1:$port"

# The fake Stripe: its own free port, printed as "ready <port>". Its checkout and portal
# pages deliver signed events to the stack's webhook, as Stripe would.
fake_stripe=$root/tests/integration/fake_stripe.py
[ -f "$fake_stripe" ] || { say "missing $fake_stripe"; exit 1; }
PYTHONUNBUFFERED=1 python3 "$fake_stripe" --port 0 --api-key sk_test_e2e --price price_pro_e2e:1900 \
  --webhook-url "$base_url/api/billing/webhook/" --webhook-secret whsec_e2e \
  >"$var_dir/fake_stripe.out" 2>"$var_dir/fake_stripe.log" </dev/null &
stripe_pid=$!
stripe_port=""
for _ in $(seq 1 100); do
  stripe_port=$(sed -n 's/^ready \([0-9][0-9]*\)$/\1/p' "$var_dir/fake_stripe.out" | head -n 1)
  [ -n "$stripe_port" ] && break
  running "$stripe_pid" || break
  sleep 0.1
done
if [ -z "$stripe_port" ]; then
  say "the fake Stripe server did not start:"; cat "$var_dir/fake_stripe.log" >&2; exit 1
fi
stripe_base="http://127.0.0.1:$stripe_port"
say "fake Stripe at $stripe_base"

# setsid: the stack gets its own process group, so a stuck one can be killed whole.
SW_BIN_DIR=$bin_dir SW_VAR_DIR=$var_dir SW_WEB_ROOT=$root/web/dist \
SW_HTTP_ADDR=127.0.0.1 SW_HTTP_PORT=$port DATABASE_URL=$database_url \
SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32 SW_CHECKER_POLL_MS=100 \
SW_RATE_LIMIT_REGISTER_PER_HOUR=1000 SW_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR=1000 \
SW_RATE_LIMIT_API_PER_MINUTE_FREE=1000000000 SW_RATE_LIMIT_API_PER_MINUTE_PRO=1000000000 \
STRIPE_SECRET_KEY=sk_test_e2e STRIPE_WEBHOOK_SECRET=whsec_e2e STRIPE_PRICE_PRO=price_pro_e2e \
STRIPE_API_BASE=$stripe_base FRONTEND_URL=$base_url SW_BILLING_PRO_PRICE_CENTS=1900 \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=66 \
LSAN_OPTIONS=suppressions=$root/scripts/lsan-suppressions.txt \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  setsid "$root/scripts/run.sh" >"$var_dir/stack.log" 2>&1 </dev/null &
stack_pid=$!

say "waiting for $base_url/health/ready/"
deadline=$((SECONDS + ready_timeout))
until curl -fs -o /dev/null --max-time 2 "$base_url/health/ready/"; do
  if ! running "$stack_pid"; then
    say "the stack exited:"; tail -n 40 "$var_dir/stack.log" >&2; exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "the stack was not ready after ${ready_timeout}s:"; tail -n 40 "$var_dir/stack.log" >&2; exit 1
  fi
  sleep 0.2
done

# This run's own screenshots go; the mocked run's (mock/, from scripts/test-web.sh) stay.
mkdir -p "$shots"
find "$shots" -maxdepth 1 -type f -name '*.png' -delete
# In the background (in its own process group) so that a signal stops it at once: bash
# runs traps only between foreground commands. run.mjs exits on SIGTERM, killing Chromium.
(cd "$root/web" && BASE_URL=$base_url E2E_STRIPE_BASE=$stripe_base SCREENSHOT_DIR=$shots E2E_VAR_DIR=$var_dir \
  E2E_UP_TIMEOUT_MS=${E2E_UP_TIMEOUT_MS:-60000} \
  exec setsid npm run --silent e2e) </dev/null &
e2e_pid=$!
wait "$e2e_pid"
e2e_rc=$?
e2e_pid=""

# Stop the stack now, so that leak reports printed at exit are in the log.
stop_stack
stop_fake_stripe

reports=$(grep -E -c 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$var_dir/stack.log")
if [ "$reports" -gt 0 ]; then
  say "sanitizer reports in the services' output:"
  grep -E -A 30 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$var_dir/stack.log" | head -n 200 >&2
  exit 1
fi
[ "$e2e_rc" -eq 0 ] || { say "end-to-end flows failed"; exit 1; }
say "passed; screenshots in ${shots#"$root"/}"
