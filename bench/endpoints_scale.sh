#!/usr/bin/env bash
# Benchmark: does a request grow with the tenant's size? Creates ENDPOINTS
# (100,000) endpoints in one Pro tenant through POST /api/endpoints/ (one
# kept-alive connection, bench/endpoints_scale.py) and prints the create
# latency p50/p99 of the first 1,000 and of the last 1,000, then the time of
# GET /api/endpoints/?page_size=50 (page 1, a middle page, the last page),
# GET /api/endpoints/{id}/ and GET /api/auth/me/ at the end.
#
# Only the create path is measured: the checker is stopped (SIGSTOP) once the
# stack is ready, so no check runs (the endpoints point at 127.0.0.1:9 and
# would be checked daily anyway); it is continued before the stack stops.
#
#   SW_BIN_DIR [build/release/bin]  ENDPOINTS [100000]  KEEP=1 keeps the temp folder
set -euo pipefail
source "$(dirname "$0")/lib/stack.sh"
n_endpoints=${ENDPOINTS:-100000}
stack_require sw-gateway sw-auth sw-tenants sw-monitors sw-billing sw-notify sw-checker

export SW_CHECKER_ALLOW_CIDRS=127.0.0.1/32
# The per-tenant API limit would stop the run within a second: it is raised,
# and every request still passes the gateway's tenant guard.
export SW_RATE_LIMIT_API_PER_MINUTE_FREE=1000000000 SW_RATE_LIMIT_API_PER_MINUTE_PRO=1000000000
stack_start endpoints-scale
checker=$(pid_of checker)
kill -STOP "$checker"
finish() { kill -CONT "$checker" 2>/dev/null || true; stack_stop; }
trap finish EXIT

email=bench@example.com
pw='Bench-password-123!'
tenant=$(curl -fs -X POST -H 'Content-Type: application/json' "$base/api/auth/register/" \
  -d "{\"organization_name\":\"Bench\",\"email\":\"$email\",\"password\":\"$pw\",\"password_confirm\":\"$pw\"}" |
  json_field '["tenant"]["id"]')
# Pro (no endpoint limit) before the first endpoint: sw-monitors asks
# sw-tenants for the limits when it first meets the tenant.
sql -c "UPDATE tenancy.tenants SET plan = 'pro' WHERE id = '$tenant'"

echo "bench/endpoints_scale.sh: $n_endpoints endpoints in one tenant, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (checker stopped)"
/usr/bin/python3 "$root/bench/endpoints_scale.py" "$base" "$email" "$pw" "$n_endpoints"
