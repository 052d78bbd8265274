#!/usr/bin/env bash
# API conformance: runs schemathesis against a live `recsmith serve` on loopback and fails on any 5xx, any
# response that violates openapi.yaml (status, headers, content type, body schema), any schema-valid request
# refused and any schema-violating request accepted.
#
#   scripts/api-conformance.sh [RECSMITH_BINARY]      (default .build/debug/recsmith)
#
# Two runs over a small synthetic store: an open server with the admin token, then one that requires an API
# key and rate-limits tightly enough that some answers are 429 (the key and the token are sent). Each run is
# bounded (CONFORMANCE_SECONDS, default 45, per run) and seeded (CONFORMANCE_SEED, default 1). Needs schemathesis in .build-venv
# (`make venv`). Exits non-zero with schemathesis' report on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
binary=${1:-$root/.build/debug/recsmith}
schemathesis="$root/.build-venv/bin/schemathesis"
seconds=${CONFORMANCE_SECONDS:-45}
token=conformance-admin-token
key=conformance-api-key
work=$(mktemp -d /tmp/recsmith-conformance.XXXXXX)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

[ -x "$binary" ] || { echo "api-conformance: no binary at $binary (run swift build first)" >&2; exit 2; }
[ -x "$schemathesis" ] || { echo "api-conformance: no $schemathesis (run make venv)" >&2; exit 2; }

"$binary" generate --users 200 --items 100 --events 5000 --seed 1 --output "$work/events.csv" > /dev/null
"$binary" import --db "$work/store.sqlite" "$work/events.csv" > /dev/null

# Starts the server with extra arguments and waits (bounded) until it is ready; sets $port.
start_server() {
    RECSMITH_ADMIN_TOKEN=$token "$binary" serve --port 0 --db "$work/store.sqlite" --retrain-interval 0 \
        --log-level error "$@" > "$work/serve.out" 2> "$work/serve.err" &
    server_pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { cat "$work/serve.err" >&2; echo "api-conformance: the server did not start" >&2; exit 1; }
    for _ in $(seq 1 300); do
        curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" | grep -q 200 && return 0
        sleep 0.1
    done
    echo "api-conformance: the server never became ready" >&2
    exit 1
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" || { echo "api-conformance: the server did not exit cleanly" >&2; exit 1; }
    server_pid=""
}

run_schemathesis() {
    local label=$1
    shift
    echo "== api-conformance: $label (at most ${seconds}s)"
    if ! (cd "$root/scripts" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=api_conformance_hooks \
        timeout $((seconds + 60)) "$schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$root/openapi.yaml" \
            --url "http://127.0.0.1:$port" \
            --max-examples 25 --max-time "$seconds" --seed "${CONFORMANCE_SEED:-1}" --workers 1 --request-timeout 10 \
            --suppress-health-check all "$@" > "$work/$label.out" 2>&1); then
        cat "$work/$label.out"
        echo "api-conformance: $label FAILED" >&2
        exit 1
    fi
    grep -E "test cases|passed|generated" "$work/$label.out" | tail -2
}

models=(--models als,bpr,itemknn,trending,popular --set bpr.epochs=5)
start_server "${models[@]}"
run_schemathesis open -H "Authorization: Bearer $token"
stop_server

echo "$key" > "$work/api-key"
start_server "${models[@]}" --api-key-file "$work/api-key" --rate-limit 100 --rate-limit-burst 20
run_schemathesis keyed -H "Authorization: Bearer $token" -H "X-API-Key: $key" --phases examples,coverage
stop_server
echo "api-conformance: ok"
