#!/usr/bin/env bash
# Ingest into PostgreSQL: `recsmith serve --store postgresql://…` over HTTP (4 clients × 1,000-event NDJSON batches with
# unique ids, as the ingest section of run.sh measures SQLite) against bare psycopg COPY loops (4 clients × 1,000-row
# transactions, Benchmarks/postgres_raw_copy.py), both on one private cluster (scripts/postgres-test-cluster.sh).
#   Benchmarks/postgres-ingest.sh [BINARY] [SECONDS]
# PYTHON is a python with psycopg (Benchmarks/peer/requirements.txt); default .build-venv/bin/python.
set -euo pipefail
binary=${1:-.build/release/recsmith}
seconds=${2:-10}
python=${PYTHON:-.build-venv/bin/python}
cluster=$(scripts/postgres-test-cluster.sh start)
work=$(mktemp -d /tmp/recsmith-pg-bench.XXXXXX)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    scripts/postgres-test-cluster.sh stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
url=$(scripts/postgres-test-cluster.sh env "$cluster" | cut -d= -f2-)

RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/unused.sqlite" --store "$url" --retrain-interval 0 \
    --models popular --log-level warning > "$work/serve.out" &
server_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
batch_rps=$(wrk -t2 -c4 -d"${seconds}s" -s Benchmarks/wrk/events-batch.lua "http://127.0.0.1:$port/events" | awk '/Requests\/sec/ {print $2}')
http_eps=$(awk -v r="$batch_rps" 'BEGIN {printf "%.0f", r * 1000}')
stored=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^recsmith_events_accepted_total/ {print $2}')
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
raw_eps=$("$python" Benchmarks/postgres_raw_copy.py "$url" 4 "$seconds")
echo "| path | events/s | ÷ bare psycopg COPY loop ($raw_eps/s) | target |"
echo "|---|---|---|---|"
echo "| HTTP → PostgreSQL, 4 clients × 1,000-event NDJSON batches, unique ids ($stored stored) | $http_eps | $(awk -v a="$http_eps" -v b="$raw_eps" 'BEGIN {printf "%.2f", a / b}') | ≥ 0.5 |"
