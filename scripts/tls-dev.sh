#!/usr/bin/env bash
# Makes a development set of certificates for mutual TLS between services
# (tls+tcp:// addresses), in the layout libcommon/sw_tls.h reads:
#   ca-internal.pem  signs the services' certificates
#   ca-gateway.pem   signs the gateway's certificate
#   ca-checker.pem   signs the checkers' certificates
#   <name>.pem       certificate + private key, CN and subjectAltName = name
# Usage: scripts/tls-dev.sh <dir> [extra-name:ca ...]. Existing files are kept.
# Never use these in production: make real ones the same way, keep the CA keys
# (<dir>/ca-*.key) off the machines that run the services.
set -euo pipefail
dir=${1:?usage: tls-dev.sh <dir>}
shift
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077

make_ca() {
  local ca=$1
  [ -f "$ca.pem" ] && return 0
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$ca.key" -out "$ca.pem" -days 3650 -subj "/O=StatusWatch dev/CN=$ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
}

make_cert() {
  local name=$1 ca=$2
  [ -f "$name.pem" ] && return 0
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$name.key" -out "$name.csr" -subj "/O=StatusWatch dev/CN=$name" 2>/dev/null
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' \
    "$name" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial \
    -out "$name.crt" -days 825 -extfile "$name.ext" 2>/dev/null
  cat "$name.crt" "$name.key" >"$name.pem"
  rm -f "$name.csr" "$name.ext" "$name.crt" "$name.key"
}

for ca in ca-internal ca-gateway ca-checker; do make_ca "$ca"; done
for name in auth tenants monitors billing notify admin; do make_cert "$name" ca-internal; done
make_cert gateway ca-gateway
make_cert checker ca-checker
for extra in "$@"; do make_ca "${extra#*:}"; make_cert "${extra%%:*}" "${extra#*:}"; done
chmod 644 ca-*.pem
