#!/usr/bin/env bash
# Installs what building, running and testing StatusWatch needs, from Debian 12
# packages only. Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libnng-dev libprotobuf-c-dev protobuf-c-compiler libpq-dev libcurl4-openssl-dev
  libjansson-dev libjwt-dev libcivetweb-dev libcmocka-dev libsodium-dev libssl-dev openssl
  liboath-dev libc-ares-dev
  postgresql-15 postgresql-client-15
  python3 python3-pytest python3-requests python3-jwt python3-cryptography python3-aiosmtpd python3-dnslib
  curl wrk chromium
  clang-format clang-tidy cppcheck
  clang libclang-rt-14-dev
  docker-compose python3-yaml python3-jsonschema
  # promtool (tests/integration/test_metrics.py, tests/unit/test_metrics.c); the package's
  # Prometheus server is not started by anything here.
  prometheus
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
# kubectl kustomize (scripts/test-deploy.sh): Debian's kubernetes-client, unless a kubectl is there.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root or install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
