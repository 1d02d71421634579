#!/usr/bin/env bash
# Offline checks of what ships StatusWatch (make deploy-test, part of make test):
#   1. compose/docker-compose.yml: `docker-compose config` (Debian's docker-compose)
#   2. deploy/k8s: rendered with `kubectl kustomize` (the services and the migration Job),
#      every object validated against the Kubernetes schemas, strictly
#      (tests/tools/validate-k8s.mjs), every setting the code reads present
#      (tests/tools/check_settings.py)
#   3. docs/openapi.yaml: `redocly lint` (tests/tools, recommended-strict), and exactly
#      the routes of services/gateway/router.c (tests/tools/check_openapi_routes.py)
#   4. the SQL: no statement touches two tenant schemas (tests/tools/check_tenant_sql.py)
# Needs no network: the npm validators come from tests/tools/package-lock.json (npm ci).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/tests/tools
py=/usr/bin/python3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -d "$tools/node_modules" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 1. compose
docker-compose --project-directory "$root/compose" -f "$root/compose/docker-compose.yml" config -q
echo "compose: compose/docker-compose.yml is valid ($(docker-compose -f "$root/compose/docker-compose.yml" config --services | wc -l) services)"

# 2. Kubernetes
kubectl kustomize "$root/deploy/k8s" >"$out/services.yaml" 2>"$out/kustomize.err" ||
  { cat "$out/kustomize.err" >&2; exit 1; }
kubectl kustomize "$root/deploy/k8s/migrate" >"$out/migrate.yaml" 2>"$out/kustomize.err" ||
  { cat "$out/kustomize.err" >&2; exit 1; }
node "$tools/validate-k8s.mjs" "$out/services.yaml" "$out/migrate.yaml" "$root/deploy/k8s/secrets.example.yaml"
$py "$tools/check_settings.py" "$out/services.yaml" "$out/migrate.yaml"

# 3. OpenAPI
(cd "$tools" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  node_modules/.bin/redocly lint --config redocly.yaml --format=summary "$root/docs/openapi.yaml" \
  >"$out/redocly.out" 2>&1) || { cat "$out/redocly.out" >&2; exit 1; }
echo "openapi: docs/openapi.yaml passes redocly lint (recommended-strict)"
$py "$tools/check_openapi_routes.py"

# 4. Tenant schemas and Citus
$py "$tools/check_tenant_sql.py" --self-test "$root"
