#!/usr/bin/env bash
# API conformance: runs schemathesis against a live `recsmith serve` on loopback and fails on any 5xx, any
# response that violates openapi.yaml (status, headers, content type, body schema), any schema-valid request
# refused and any schema-violating request accepted (`--checks all`).
#
#   scripts/api-conformance.sh [RECSMITH_BINARY]      (default .build/debug/recsmith)
#
# For each seed of CONFORMANCE_SEEDS (default "1 2 3": the fixed seed 1 and two more), two server
# configurations over the same small synthetic store, each on a fresh server: an open one (the admin token
# is sent), then one that requires an API key and rate-limits tightly enough that some answers are 429 (the
# key and the token are sent). Every run goes through every phase (examples, coverage, fuzzing, stateful)
# within CONFORMANCE_SECONDS (default 35; fuzzing and stateful testing use what the first phases leave), so
# the whole script takes about four minutes with the debug binary on two cores. Needs schemathesis in
# .build-venv (`make venv`).
#
# On a failure it prints schemathesis' report and the server's standard error, and keeps the work directory
# (CONFORMANCE_KEEP=1 keeps it in any case: each run's report, cassette and server output).
# A server that exits non-zero or on a signal when stopped (SIGTERM must drain and exit 0) is a failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
binary=${1:-$root/.build/debug/recsmith}
schemathesis="$root/.build-venv/bin/schemathesis"
seconds=${CONFORMANCE_SECONDS:-35}
seeds=${CONFORMANCE_SEEDS:-1 2 3}
token=conformance-admin-token
key=conformance-api-key
work=$(mktemp -d /tmp/recsmith-conformance.XXXXXX)
server_pid=""
server_err=""
failed=""

cleanup() {
    local status=$?
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] || [ -n "$failed" ] || [ -n "${CONFORMANCE_KEEP:-}" ]; then
        echo "api-conformance: kept $work for inspection" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Prints the server's standard error (once per failure) so that a crash or a logged error is not lost.
show_server_err() {
    [ -n "$server_err" ] && [ -s "$server_err" ] || return 0
    echo "---- server stderr ($server_err) ----" >&2
    cat "$server_err" >&2
    echo "---- end of server stderr ----" >&2
}

[ -x "$binary" ] || { echo "api-conformance: no binary at $binary (run swift build first)" >&2; exit 2; }
[ -x "$schemathesis" ] || { echo "api-conformance: no $schemathesis (run make venv)" >&2; exit 2; }

"$binary" generate --users 200 --items 100 --events 5000 --seed 1 --output "$work/events.csv" > /dev/null
"$binary" import --db "$work/seed.sqlite" "$work/events.csv" > /dev/null 2>&1
# Item records too, so `content` answers from the start like every other model (a model named in a request that is
# not trained yet is a 400, which a schema-valid request must not get).
for item in $(seq 0 99); do
    echo "{\"item\": \"i$item\", \"categories\": [\"c$((item % 5))\"], \"labels\": {\"price\": $item}, \"text\": \"item number $item\"}"
done > "$work/items.jsonl"
"$binary" import --db "$work/seed.sqlite" --items "$work/items.jsonl" > /dev/null 2>&1
# Ratings as well, so `mf` trains in the first pass and answers the rating route from the start.
{
    echo "user,item,timestamp,weight,type"
    for user in $(seq 0 49); do
        for item in $(seq $((user % 5)) 5 99); do echo "u$user,i$item,1700100000,$(((user + item) % 5 + 1)),rating"; done
    done
} > "$work/ratings.csv"
"$binary" import --db "$work/seed.sqlite" "$work/ratings.csv" > /dev/null 2>&1
# And item relations, so `pairmf` trains in the first pass too.
{
    echo "from,to,type"
    for item in $(seq 0 94); do echo "i$item,i$((item + 5)),also_bought"; done
} > "$work/relations.csv"
"$binary" import --db "$work/seed.sqlite" --relations "$work/relations.csv" > /dev/null 2>&1
# An evaluation report, which positive cases of POST /admin/evaluation send (see the hooks' map_case).
"$binary" evaluate --data "$work/events.csv" --models pop,itemknn --json "$work/report.json" > /dev/null 2>&1
export CONFORMANCE_REPORT="$work/report.json"

# Starts a server over a copy of the seed store with extra arguments and waits (bounded) until it is ready;
# sets $port. $1 names the run (for its files).
start_server() {
    local label=$1
    shift
    rm -rf "$work/$label" && mkdir -p "$work/$label"
    cp "$work/seed.sqlite" "$work/$label/store.sqlite"
    server_err="$work/$label/serve.err"
    : > "$work/$label/serve.out"
    RECSMITH_ADMIN_TOKEN=$token "$binary" serve --port 0 --db "$work/$label/store.sqlite" --retrain-interval 0 \
        --log-level warning "$@" > "$work/$label/serve.out" 2> "$server_err" &
    server_pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/$label/serve.out" | head -1 || true)
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$port" ]; then
        echo "api-conformance: $label: the server did not start" >&2
        show_server_err
        exit 1
    fi
    # Ready (200 from /readyz: live popularity answers at once), then trained: similar items need the first
    # pass's models, and until it ends they are 503 not_ready, which the server-error check would count. `content`
    # is listed from the start (fitted from the records), so the wait is for `popular`, which only a pass trains.
    for _ in $(seq 1 600); do
        curl -s "http://127.0.0.1:$port/models" -H "Authorization: Bearer $token" -H "X-API-Key: $key" \
            | grep -q '"name":"popular"' && return 0
        sleep 0.1
    done
    echo "api-conformance: $label: the server never trained its first models" >&2
    show_server_err
    exit 1
}

# SIGTERM must drain and exit 0; anything else (a non-zero status, a signal such as SIGSEGV) is reported with
# the server's standard error and fails the script.
stop_server() {
    local label=$1 status=0
    kill -TERM "$server_pid"
    wait "$server_pid" || status=$?
    server_pid=""
    if [ "$status" -ne 0 ]; then
        if [ "$status" -gt 128 ]; then
            echo "api-conformance: $label: the server died of signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null || echo '?')) at SIGTERM" >&2
        else
            echo "api-conformance: $label: the server exited with status $status at SIGTERM" >&2
        fi
        show_server_err
        failed=1
        exit 1
    fi
}

# Runs schemathesis once: every phase, every check, bounded in time; prints a summary line.
run_schemathesis() {
    local label=$1 seed=$2
    shift 2
    local out="$work/$label/schemathesis.out" started=$SECONDS
    if ! (cd "$root/scripts" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=api_conformance_hooks \
        timeout $((seconds + 90)) "$schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$root/openapi.yaml" \
            --url "http://127.0.0.1:$port" \
            --phases examples,coverage,fuzzing,stateful --checks all \
            --max-time "$seconds" --seed "$seed" --workers 1 --request-timeout 10 \
            --suppress-health-check all \
            --report vcr --report-vcr-path "$work/$label/cassette.yaml" "$@" > "$out" 2>&1); then
        cat "$out"
        echo "api-conformance: $label FAILED (seed $seed)" >&2
        show_server_err
        failed=1
        exit 1
    fi
    local cases ndjson
    cases=$(grep -Eo '[0-9]+ generated' "$out" | tail -1 || true)
    ndjson=$(grep -c 'application/x-ndjson' "$work/$label/cassette.yaml" || true)
    echo "   $label: ok in $((SECONDS - started)) s: ${cases:-? generated} test cases, $ndjson requests with NDJSON bodies"
    grep -E "^ *(✅|❌|⚠️|🚫)" "$out" | sed 's/^ */     /' || true
}

# Every model, small; mlp with the rating objective, so that GET …/rating?model=mlp (which the spec allows) answers: a
# ranking mlp's 400 there depends on the server's settings, not on the request, and would read as a valid request
# rejected.
models=(--models als,bpr,itemknn,content,trending,popular,random,softmax,ease,svd,mf,pairmf,markov,autoencoder,sequence,mlp
        --set bpr.epochs=5 --set svd.factors=16 --set mf.factors=8 --set pairmf.epochs=5 --set autoencoder.epochs=2
        --set autoencoder.hidden=16 --set sequence.epochs=2 --set sequence.hidden=16 --set mlp.epochs=2 --set mlp.hidden=16
        --set mlp.objective=rating)
# Both servers run an experiment, whose admin routes the hooks aim at (api_conformance_hooks.EXPERIMENT).
experiment=(--set 'experiments=[{name: shop, variants: [{name: control, model: popular, weight: 1}, {name: personal, model: als, weight: 1}]}]')
echo "$key" > "$work/api-key"
for seed in $seeds; do
    echo "== api-conformance: seed $seed (at most ${seconds}s per run)"
    # The open server also chooses its default model on held-out events (serving.model = auto).
    start_server "open-$seed" "${models[@]}" "${experiment[@]}" --set serving.model=auto --set auto.sample_users=100
    run_schemathesis "open-$seed" "$seed" -H "Authorization: Bearer $token"
    stop_server "open-$seed"

    start_server "keyed-$seed" "${models[@]}" "${experiment[@]}" --api-key-file "$work/api-key" --rate-limit 100 --rate-limit-burst 20
    run_schemathesis "keyed-$seed" "$seed" -H "Authorization: Bearer $token" -H "X-API-Key: $key"
    stop_server "keyed-$seed"
done
echo "api-conformance: ok (seeds $seeds)"
