#!/usr/bin/env bash
# PostgreSQL as the shared store (issue 22), on one private cluster (scripts/postgres-test-cluster.sh):
#   1. ingest: `recsmith serve --store postgresql://…` over HTTP (4 clients × 1,000-event NDJSON batches with unique
#      ids, as run.sh's ingest section measures SQLite) against bare psycopg COPY loops (4 clients × 1,000-row
#      transactions, Benchmarks/postgres_raw_copy.py);
#   2. replicas: a 1M-event synthetic store, one `--role trainer` and `--role api` replicas: requests/s of one
#      replica against two (wrk -c64 on one; -c32 on each of two, at once);
#   3. snapshot propagation (end of a pass → both replicas serve it) and change-feed lag (an event accepted by
#      replica A → excluded by replica B), Benchmarks/postgres_replicas.py.
# Prints a Markdown table.
#   Benchmarks/postgres.sh [BINARY] [SECONDS]
# PYTHON is a python with psycopg (Benchmarks/peer/requirements.txt); default .build-venv/bin/python.
set -euo pipefail
binary=${1:-.build/release/recsmith}
seconds=${2:-10}
python=${PYTHON:-.build-venv/bin/python}
token=bench-token
cluster=$(scripts/postgres-test-cluster.sh start)
work=$(mktemp -d /tmp/recsmith-pg-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    scripts/postgres-test-cluster.sh stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
url=$(scripts/postgres-test-cluster.sh env "$cluster" | cut -d= -f2-)

# Starts `recsmith serve` named $1 on database URL $2 with the remaining arguments; sets `port`.
start_server() {
    local name=$1 store=$2
    shift 2
    RECSMITH_ADMIN_TOKEN=$token "$binary" serve --port 0 --db "$work/$name/unused.sqlite" --store "$store" \
        --retrain-interval 0 --log-level warning "$@" > "$work/$name.out" 2> "$work/$name.err" &
    pids+=($!)
    for _ in $(seq 1 300); do grep -q listening "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/$name.out" | head -1)
    [ -n "$port" ] || { echo "$name did not start:" >&2; cat "$work/$name.err" >&2; exit 1; }
}
# Requests/s of a wrk run.
rps() { awk '/Requests\/sec/ {print $2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# "p50 / p90 / max" of a comma list.
percentiles() {
    python3 -c 'import sys; v=sorted(float(x) for x in sys.argv[1].split(",")); q=lambda p: v[min(len(v)-1, int(p*len(v)))]; print("%s / %s / %s" % (q(0.5), q(0.9), v[-1]))' "$1"
}

# 1. Ingest.
mkdir -p "$work/ingest"
start_server ingest "$url" --models popular
batch_rps=$(wrk -t2 -c4 -d"${seconds}s" -s Benchmarks/wrk/events-batch.lua "http://127.0.0.1:$port/events" | rps)
http_eps=$(awk -v r="$batch_rps" 'BEGIN {printf "%.0f", r * 1000}')
stored=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^recsmith_events_accepted_total/ {print $2}')
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
raw_eps=$("$python" Benchmarks/postgres_raw_copy.py "$url" 4 "$seconds")

# 2. Replicas on a second database holding 1M synthetic events.
psql -q "$url" -c "CREATE DATABASE replicas"
replicas_url="${url%/*}/replicas"
"$binary" generate --users 20000 --items 10000 --events 1000000 --seed 1 --output "$work/events.csv" > /dev/null
"$binary" import --store "$replicas_url" "$work/events.csv" > /dev/null
mkdir -p "$work/trainer" "$work/a" "$work/b"
start_server trainer "$replicas_url" --role trainer --models als,popular
trainer="http://127.0.0.1:$port"
start_server a "$replicas_url" --role api --models als,popular
replica_a="http://127.0.0.1:$port"
curl -s -X POST -H "Authorization: Bearer $token" "$trainer/retrain" > /dev/null
for _ in $(seq 1 1200); do curl -s "$replica_a/models" | grep -q '"version"' && break; sleep 0.25; done
one=$(wrk -t1 -c64 -d"${seconds}s" -s Benchmarks/wrk/recommendations-many-users.lua "$replica_a" | rps | xargs printf "%.0f")
start_server b "$replicas_url" --role api --models als,popular
replica_b="http://127.0.0.1:$port"
for _ in $(seq 1 1200); do curl -s "$replica_b/models" | grep -q '"version"' && break; sleep 0.25; done
wrk -t1 -c32 -d"${seconds}s" -s Benchmarks/wrk/recommendations-many-users.lua "$replica_a" > "$work/wrk-a.out" &
wrk_a=$!
two_b=$(wrk -t1 -c32 -d"${seconds}s" -s Benchmarks/wrk/recommendations-many-users.lua "$replica_b" | rps)
wait "$wrk_a"
two=$(awk -v a="$(rps < "$work/wrk-a.out")" -v b="$two_b" 'BEGIN {printf "%.0f", a + b}')

# 3. Propagation and feed lag.
"$python" Benchmarks/postgres_replicas.py "$trainer" "$replica_a" "$replica_b" "$token" 5 50 > "$work/replicas.out"
propagation=$(sed -n 's/^propagation_s=//p' "$work/replicas.out")
lag=$(sed -n 's/^lag_ms=//p' "$work/replicas.out")

echo "| measure | recsmith | peer or reference | ratio | target |"
echo "|---|---|---|---|---|"
echo "| ingest: HTTP → PostgreSQL, 4 clients × 1,000-event NDJSON batches, unique ids ($stored stored), events/s | $http_eps | bare psycopg COPY loops: $raw_eps | $(ratio "$http_eps" "$raw_eps") | ≥ 0.5 |"
echo "| recommendations/s (ALS, 20,000 users in turn): two \`api\` replicas against one, same machine | $two | one replica: $one | $(ratio "$two" "$one") | — |"
echo "| snapshot propagation: end of a pass → both replicas serve its set, s (p50 / p90 / max of 5 passes) | $(percentiles "$propagation") | — | — | ≤ 5 |"
echo "| change-feed lag: event accepted by replica A → excluded by replica B, ms (p50 / p90 / max of 50) | $(percentiles "$lag") | feed interval 100 ms | — | ≤ 1,000 |"
