#!/usr/bin/env bash
# Builds the web app into web/dist when its sources changed (npm ci + Vite).
set -euo pipefail
cd "$(dirname "$0")/../web" 2>/dev/null || exit 0
[ -f package.json ] || exit 0
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/.build-stamp
if [ -f "$stamp" ] && [ -z "$(find src index.html package.json vite.config.* -newer "$stamp" 2>/dev/null | head -n 1)" ]; then
  exit 0
fi
npm run build --silent
touch "$stamp"
