#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: `start` (prints the state directory), `stop DIR`, `env DIR` (prints
# `export RECSMITH_TEST_POSTGRES_URL=…`), `ctl DIR stop|start` (take the server away and bring it back, the data
# kept), and `run -- COMMAND…` (start, run the command with the URL and RECSMITH_TEST_POSTGRES_CLUSTER — this
# script's path — exported, stop and remove the cluster whatever happens, exit with the command's status; `make test`
# uses this).
#
# The cluster lives in a fresh temporary directory owned by the `postgres` user: `initdb` with trust
# authentication on the loopback and the Unix socket in that directory, `pg_ctl` listening on 127.0.0.1 at a free
# port, a `recsmith` role allowed to create the tests' databases. Debian's `postgresql` package is installed
# when `initdb` is missing (as scripts/install-deps.sh installs the other packages).
set -euo pipefail

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

install_postgres() {
    echo "postgres-test-cluster: installing postgresql" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql libpq-dev >/dev/null
}

# Runs a command as the postgres user (we may be root, and PostgreSQL refuses to run as root).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin dir port
    bin=$(find_bin) || { install_postgres; bin=$(find_bin); }
    dir=$(mktemp -d /tmp/recsmith-postgres.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    port=$(free_port)
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$bin" >"$dir/bin"
    echo "$port" >"$dir/port"
    server_start "$dir"
    as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE recsmith LOGIN CREATEDB" -c "CREATE DATABASE recsmith OWNER recsmith" >/dev/null
    echo "$dir"
}

# Starts the server of an initialised cluster (again, after `ctl DIR stop`).
server_start() {
    local dir=$1
    # fsync stays on: the tests and the benchmark measure real commits.
    as_postgres "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -c port=$(cat "$dir/port") -c unix_socket_directories=$dir -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

url_of() {
    local dir=$1
    echo "postgresql://recsmith@127.0.0.1:$(cat "$dir/port")/recsmith"
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    if [ -f "$dir/bin" ]; then
        as_postgres "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:?usage: $0 stop DIR}" ;;
env) echo "export RECSMITH_TEST_POSTGRES_URL=$(url_of "${2:?usage: $0 env DIR}")" ;;
ctl)
    # `ctl DIR stop` (fast shutdown: clients are disconnected) or `ctl DIR start`: what the outage tests do.
    dir=${2:?usage: $0 ctl DIR stop|start}
    case "${3:-}" in
    stop) as_postgres "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
    start) server_start "$dir" ;;
    *) echo "usage: $0 ctl DIR stop|start" >&2; exit 2 ;;
    esac
    ;;
run)
    shift
    [ "${1:-}" = "--" ] && shift
    dir=$(start)
    trap 'stop "$dir"' EXIT INT TERM
    status=0
    # RECSMITH_TEST_POSTGRES_CLUSTER: this script, for the tests that take a server away — they start a cluster of
    # their own with it (`start`, `ctl DIR stop|start`, `stop DIR`), as the shared one serves tests running beside them.
    RECSMITH_TEST_POSTGRES_URL=$(url_of "$dir") RECSMITH_TEST_POSTGRES_CLUSTER="$(realpath "$0")" "$@" || status=$?
    exit $status
    ;;
*)
    echo "usage: $0 start | stop DIR | env DIR | run -- COMMAND..." >&2
    exit 2
    ;;
esac
