#!/usr/bin/env bash
# Runs the web app's unit tests (Vitest).
set -euo pipefail
cd "$(dirname "$0")/../web" 2>/dev/null || exit 0
[ -f package.json ] || exit 0
npm test --silent
# The built app (dist/) in headless Chromium against a mocked API: every page at
# 375 and 1280 px, failing on any console error or CSP violation.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SCREENSHOT_DIR=../build/screenshots/mock PREVIEW_PORT=$port node e2e/mock-run.mjs
