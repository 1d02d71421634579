# syntax=docker/dockerfile:1
# StatusWatch: one image with every binary and the built web app; the command
# chooses the binary:
#   docker build -t statuswatch .
#   docker run --rm statuswatch sw-gateway
#   docker run --rm -i statuswatch sw-admin staff add ops@example.com
# docs/OPERATIONS.md says how to build it where base images cannot be pulled.

ARG DEBIAN_IMAGE=debian:bookworm-slim
# Vite 8 needs Node.js 20.19 or later; Debian 12's nodejs is 18, so the web app
# is built in the Node.js project's own bookworm-slim image.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- C services: the Debian -dev packages of scripts/install-deps.sh ----------
FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates \
      libnng-dev libprotobuf-c-dev protobuf-c-compiler libpq-dev libcurl4-openssl-dev \
      libjansson-dev libjwt-dev libcivetweb-dev libcmocka-dev libsodium-dev libssl-dev \
      liboath-dev libc-ares-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY proto proto
COPY libcommon libcommon
COPY services services
COPY tests/unit tests/unit
COPY tests/tools tests/tools
# Release build of the services, sw-admin, and sw-rpc-probe (sw-migrate asks .Health with it).
# SW_CMAKE_ARGS: extra CMake arguments (e.g. -DCMAKE_C_FLAGS=...).
ARG SW_CMAKE_ARGS=""
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_BUILD_TESTS=ON $SW_CMAKE_ARGS >/dev/null \
 && cmake --build build -j "$(nproc)" --target \
      sw-gateway sw-auth sw-tenants sw-monitors sw-checker sw-billing sw-notify sw-admin sw-rpc-probe \
 && mkdir -p /out/bin \
 && cp build/bin/sw-gateway build/bin/sw-auth build/bin/sw-tenants build/bin/sw-monitors \
       build/bin/sw-checker build/bin/sw-billing build/bin/sw-notify build/bin/sw-admin \
       build/bin/sw-rpc-probe /out/bin/ \
 && strip --strip-debug /out/bin/*

# ---- the web app ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build --silent

# ---- development secrets for compose (a one-shot init container) --------------
# `docker build --target dev-secrets`: the CAs and certificates of
# scripts/tls-dev.sh and a JWT key pair, owned by the runtime user.
FROM ${DEBIAN_IMAGE} AS dev-secrets
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/tls-dev.sh deploy/image/sw-dev-secrets /usr/local/bin/
CMD ["sw-dev-secrets"]

# ---- runtime: shared libraries only, a non-root user ---------------------------
FROM ${DEBIAN_IMAGE} AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libnng1 libprotobuf-c1 libpq5 libcurl4 libjansson4 libjwt0 \
      libcivetweb1 libsodium23 libssl3 liboath0 libc-ares2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 statuswatch \
 && useradd --system --uid 10001 --gid statuswatch --home-dir /var/lib/statuswatch \
      --shell /usr/sbin/nologin statuswatch \
 && install -d -o statuswatch -g statuswatch -m 0700 /var/lib/statuswatch
COPY --from=build /out/bin/ /usr/local/bin/
COPY --from=web /web/dist/ /usr/share/statuswatch/web/
COPY deploy/image/sw-health deploy/image/sw-migrate /usr/local/bin/
ENV SW_VAR_DIR=/var/lib/statuswatch \
    SW_WEB_ROOT=/usr/share/statuswatch/web \
    SW_TLS_DIR=/etc/statuswatch/tls \
    SW_HTTP_ADDR=0.0.0.0 \
    SW_HTTP_PORT=8080
USER 10001:10001
WORKDIR /var/lib/statuswatch
EXPOSE 8080
# No ENTRYPOINT: the command is the binary (sw-gateway, sw-auth, …, sw-admin).
CMD ["sw-gateway"]
