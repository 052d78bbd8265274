# syntax=docker/dockerfile:1
#
# Recsmith in a container: build with the Swift toolchain, run on a slim Debian with only the
# shared libraries the binary links: SQLite, OpenBLAS, OpenSSL (and nghttp2, for HTTP/2).
#
#   docker build -t recsmith .
#   docker run --rm -p 127.0.0.1:8080:8080 -v recsmith-data:/var/lib/recsmith recsmith
#
# Everything the server writes (store, model snapshots, generated admin token) goes to the
# volume /var/lib/recsmith, so the container runs with a read-only root file system
# (`docker run --read-only --tmpfs /tmp ...`).

# ---- build -------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build

# Debian's versions are not pinned: bookworm only takes security fixes, and pinned versions
# vanish from the mirrors when those land.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        pkg-config libsqlite3-dev libopenblas-dev libssl-dev libnghttp2-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Resolve dependencies in their own layer so that a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve

# Everything SwiftPM's manifest names (Sources, Tests, Benchmarks); .dockerignore keeps out the rest.
COPY . .
# --static-swift-stdlib links the Swift runtime and Foundation into the binary: the run stage
# needs no Swift toolchain, only the C libraries below.
RUN swift build -c release --static-swift-stdlib --product recsmith \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/recsmith" /out/recsmith

# ---- run ---------------------------------------------------------------------------------
FROM debian:bookworm-slim AS run

# curl is here only for HEALTHCHECK (and for a person debugging with `docker exec`): the slim
# image has no HTTP client and `recsmith` has no client mode. `curl --fail --max-time` is an
# exact status check with a time limit in one well-known command; the alternative, a bash
# /dev/tcp probe, means hand-written HTTP in a shell string. It costs a few MB of libraries.
# Debian's versions are not pinned (see above).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libsqlite3-0 libopenblas0-pthread libssl3 libnghttp2-14 libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 recsmith \
 && useradd --system --uid 10001 --gid recsmith --home-dir /var/lib/recsmith --shell /usr/sbin/nologin recsmith \
 && install -d -m 0700 -o recsmith -g recsmith /var/lib/recsmith

COPY --from=build /out/recsmith /usr/local/bin/recsmith
# Fail the build, not the first start, if a shared library is missing.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ldd /usr/local/bin/recsmith | { ! grep 'not found'; }

USER 10001:10001
WORKDIR /var/lib/recsmith
VOLUME /var/lib/recsmith
EXPOSE 8080
# The server drains in-flight requests on SIGTERM and exits 0 (give it `--stop-timeout` >= 15 s).
STOPSIGNAL SIGTERM

HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/bin/sh", "-c", "curl --fail --silent --show-error --max-time 2 --output /dev/null http://127.0.0.1:${RECSMITH_PORT:-8080}/healthz || exit 1"]

ENTRYPOINT ["/usr/local/bin/recsmith"]
# Flags beat RECSMITH_* variables: to change the store path or the address, replace this command.
CMD ["serve", "--db", "/var/lib/recsmith/recsmith.sqlite", "--host", "0.0.0.0"]
