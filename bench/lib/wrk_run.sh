# Shared by bench/api.sh and bench/status_page.sh (source after bench/lib/stack.sh):
# wrk's settings, a private stack with a Pro tenant and its token, and one
# measured wrk run per call with the CPU every process spent per request.
#
#   DURATION [15s]  WARMUP [3s]  CONNECTIONS [64]  THREADS [2]
duration=${DURATION:-15s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
services=(gateway auth tenants monitors billing notify checker)
# The per-tenant API limit (Pro: 1,200 calls a minute) would stop wrk within a
# second: it is raised, and every request still passes the gateway's tenant
# guard (the same in-memory check and the same sync to sw-tenants).
api_limit=1000000000

# Starts the stack `name` and sets $tenant (a Pro organisation) and $auth (its Authorization header).
wrk_stack_start() {
  stack_require "${services[@]/#/sw-}"
  command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
  export SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32
  export SW_RATE_LIMIT_API_PER_MINUTE_FREE=$api_limit SW_RATE_LIMIT_API_PER_MINUTE_PRO=$api_limit
  stack_start "$1"
  local pw='Bench-password-123!' access
  tenant=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/register/" \
    -d "{\"organization_name\":\"Bench\",\"email\":\"bench@example.com\",\"password\":\"$pw\",\"password_confirm\":\"$pw\"}" |
    json_field '["tenant"]["id"]')
  # Pro before the first endpoint: sw-monitors asks sw-tenants for the limits
  # when it first meets the tenant.
  sql -c "UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '$tenant'"
  access=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/token/" \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$pw\"}" | json_field '["access"]')
  auth="Authorization: Bearer $access"
}

# ticks and pg_ticks: bench/lib/stack.sh.
wrk_snapshot() {
  local out=""
  for name in "${services[@]}"; do out="$out $(ticks "$(pid_of "$name")")"; done
  echo "$out $(pg_ticks)"
}
tck=$(getconf CLK_TCK)

wrk_header() {
  printf '%-44s %9s %8s %8s  %s\n' "run" "req/s" "p50" "p99" \
    "CPU ms/request: ${services[*]} postgres (total)"
}

# wrk_run LABEL PATH [wrk options…]: a warm-up, then the measured run and its line.
wrk_run() {
  local label=$1 path=$2
  shift 2
  wrk -t"$threads" -c"$connections" -d"$warmup" "$@" "$base$path" >/dev/null
  local before after out
  before=$(wrk_snapshot)
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$base$path")
  after=$(wrk_snapshot)
  echo "$out" >"$var/wrk-$(echo "$label" | tr -c 'a-z0-9' '_').txt"
  local requests rps p50 p99 bad errors
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  errors=$(echo "$out" | awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}')
  awk -v label="$label" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v n="$requests" \
    -v tck="$tck" -v before="$before" -v after="$after" 'BEGIN {
      cols = split(before, b, " "); split(after, a, " ")
      line = ""; total = 0
      for (i = 1; i <= cols; i++) {
        ms = (a[i] - b[i]) * 1000 / tck / n
        total += ms
        line = line sprintf(" %.3f", ms)
      }
      printf "%-44s %9.0f %8s %8s %s (%.3f)\n", label, rps, p50, p99, line, total
    }'
  [ -z "$bad" ] || echo "  non-2xx responses: $bad"
  [ -z "$errors" ] || echo "  socket errors: $errors"
}
