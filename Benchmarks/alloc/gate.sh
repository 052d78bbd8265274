#!/usr/bin/env bash
# The allocation gate (`make test-alloc`): allocations and instructions per request on the request path of the
# real release binary, checked against Benchmarks/thresholds/requests.json.
#
#   Benchmarks/alloc/gate.sh [--update]      (ALLOC_GATE_BINARY, default .build/release/recsmith)
#
# Scenarios (Benchmarks/alloc/drive.py): a cached recommendation over HTTP/1.1 keep-alive and over h2c, a
# one-event POST /events and a 1,000-event NDJSON POST /events, each sent one request at a time on one loopback
# connection after a warm-up. Two runs of `recsmith serve --io-threads 1 --retrain-interval 0 --models
# als,popular`, each over a fresh store of 20,000 synthetic events trained beforehand (so it starts no pass):
#   allocations    LD_PRELOAD=counters.so (Benchmarks/alloc/counters.c) counts malloc and its kin;
#   instructions   under valgrind --tool=callgrind, on a debug-stripped copy of the binary (valgrind 3.19 cannot
#                  read Swift 6.3's DWARF 5), with marks.so: callgrind dumps its counts at each mark.
# Per request = the difference between a mark before and a mark after the measured requests, over their
# number. SWIFT_DETERMINISTIC_HASHING=1 makes Set and Dictionary probe the same way in every run.
# --update rewrites the thresholds from this run's figures (keeping the tolerance); commit the file.
# ALLOC_GATE_RESULTS=DIR keeps the two runs' raw counts (allocations.json, instructions.json) in DIR.
# Loopback only; every loop is bounded in count and every wait in time; the server is stopped on any exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
mode=check
case "${1:-}" in
    "") ;;
    --update) mode=update ;;
    *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac
binary=${ALLOC_GATE_BINARY:-$root/.build/release/recsmith}
python=$root/.build-venv/bin/python
thresholds=$root/Benchmarks/thresholds/requests.json
build=$root/.build-alloc
[ -x "$binary" ] || { echo "alloc-gate: no binary at $binary (swift build -c release --product recsmith)" >&2; exit 2; }
[ -x "$python" ] || { echo "alloc-gate: no $python (make venv)" >&2; exit 2; }
scripts/install-deps.sh gcc valgrind binutils

work=$(mktemp -d /tmp/recsmith-alloc.XXXXXX)
server_pid=""
driver_pid=""
# Stops the server (TERM, then KILL after 20 s: a server under valgrind exits slowly) and waits for it.
stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
cleanup() {
    [ -z "$driver_pid" ] || kill "$driver_pid" 2>/dev/null || true
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$build"
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$build/counters.so" Benchmarks/alloc/counters.c
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -DRECSMITH_MARKS_ONLY -o "$build/marks.so" Benchmarks/alloc/counters.c
cp "$binary" "$build/recsmith-stripped"
strip --strip-debug "$build/recsmith-stripped"
"$binary" generate --users 2000 --items 1000 --events 20000 --seed 1 --output "$work/events.csv" > /dev/null

# Measures metric $1 (allocations or instructions) into $work/$1.json with a server of its own.
measure() {
    local metric=$1
    local dir="$work/$metric"
    mkdir -p "$dir"
    "$binary" import --db "$dir/store.sqlite" "$work/events.csv" > "$dir/import.log" 2>&1 \
        || { cat "$dir/import.log" >&2; exit 1; }
    "$binary" train --db "$dir/store.sqlite" --models als,popular > "$dir/train.log" 2>&1 \
        || { cat "$dir/train.log" >&2; exit 1; }
    local server=("$binary") preload=$build/counters.so settle=0.1 callgrind=()
    if [ "$metric" = instructions ]; then
        server=(valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" --dump-instr=no
                "$build/recsmith-stripped")
        preload=$build/marks.so
        settle=0.3
        callgrind=(--callgrind-out "$dir/callgrind.out")
    fi
    # One connection carries every request of a scenario: it must not be closed after the default 10,000.
    # Served lists are remembered at most about once a second (online.remember_per_second=1): what the request path
    # does for them is measured, while their writes to the store — background work whose share per request depends
    # on the request rate, which callgrind slows tenfold — are left to the benchmark's online section.
    ALLOC_GATE_COUNTERS_FILE="$dir/counters" LD_PRELOAD="$preload" SWIFT_DETERMINISTIC_HASHING=1 \
        RECSMITH_HTTP_MAX_REQUESTS_PER_CONNECTION=1000000 RECSMITH_ONLINE_REMEMBER_PER_SECOND=1 \
        "${server[@]}" serve --port 0 --db "$dir/store.sqlite" --retrain-interval 0 --models als,popular \
        --io-threads 1 --log-level warning > "$dir/serve.out" 2> "$dir/serve.err" &
    server_pid=$!
    local port=""
    for _ in $(seq 1 600); do
        # The server's shell opens serve.out after the fork: it may not exist yet.
        port=$(sed -n 's/^recsmith listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/serve.out" 2>/dev/null || true)
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        cat "$dir/serve.err" >&2
        echo "alloc-gate: the $metric server did not start" >&2
        exit 1
    fi
    # In the background and waited for, so a signal to this script runs its trap at once. Its sockets and marks
    # time out on their own (20 s natively, 120 s under callgrind); 600 s bounds the whole run.
    timeout 600 "$python" Benchmarks/alloc/drive.py --port "$port" --pid "$server_pid" --counters "$dir/counters" \
        --metric "$metric" "${callgrind[@]}" --settle "$settle" --out "$work/$metric.json" &
    driver_pid=$!
    if ! wait "$driver_pid"; then
        driver_pid=""
        tail -n 20 "$dir/serve.err" >&2
        echo "alloc-gate: the $metric run failed" >&2
        exit 1
    fi
    driver_pid=""
    stop_server
}

started=$(date +%s)
echo "== alloc-gate: allocations per request (LD_PRELOAD counters.so)"
measure allocations
echo "== alloc-gate: instructions per request (callgrind)"
measure instructions
echo "== alloc-gate: per request, against $(basename "$thresholds") ($(( $(date +%s) - started )) s)"
if [ -n "${ALLOC_GATE_RESULTS:-}" ]; then
    mkdir -p "$ALLOC_GATE_RESULTS"
    cp "$work/allocations.json" "$work/instructions.json" "$ALLOC_GATE_RESULTS/"
fi
"$python" Benchmarks/alloc/thresholds.py "$mode" "$thresholds" "$work/allocations.json" "$work/instructions.json"
