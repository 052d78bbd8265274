#!/usr/bin/env bash
# `make bench`: measures Recsmith against its peers in the same run and prints ratios.
#   HTTP: wrk -t1 -c64 -d10s on GET /healthz and GET /users/{id}/recommendations?k=10 versus nginx
#   (one worker, access_log off) serving the same bytes as static files.
#   Training: the phases of one pass over 1M synthetic events.
#   Ingest: HTTP batch and single-event ingest, import and store→CSR, versus a bare SQLite insert loop.
#   Models: Benchmarks/models.sh, recsmith evaluate versus Python implicit (when present).
# Everything runs on loopback; every load loop is bounded by wrk's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
binary="$root/.build/release/recsmith"
duration=${BENCH_DURATION:-10s}
work=$(mktemp -d /tmp/recsmith-bench.XXXXXX)
server_pid=""
nginx_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

scripts/install-deps.sh wrk nginx-light curl

echo "== data: synthetic 1,000,000 events (seed 1)"
"$binary" generate --users 20000 --items 10000 --events 1000000 --seed 1 --output "$work/events.csv"
import_line=$("$binary" import --db "$work/store.sqlite" "$work/events.csv")
echo "$import_line"
import_rate=$(echo "$import_line" | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')

echo "== server"
RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/store.sqlite" --retrain-interval 0 \
    --models als,itemknn,trending,popular --log-level warning > "$work/serve.out" &
server_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = "200" ] && break
    sleep 1
done
curl -s "$base/models" > "$work/models.json"
pass_json=$(curl -s -H "Authorization: Bearer bench-token" "$base/retrain/job-1")
echo "training pass: $pass_json"
phase() { echo "$pass_json" | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['durations']['$1'])"; }
pairs=$(curl -s "$base/metrics" | awk '/^recsmith_store_events_count/ {printf "%d", $2}')
recs_path="/users/u42/recommendations?k=10"

echo "== nginx peer"
mkdir -p "$work/nginx/users/u42" "$work/nginx/logs"
curl -s "$base/healthz" > "$work/nginx/healthz"
curl -s "$base$recs_path" > "$work/nginx/users/u42/recommendations"
nginx_port=$((port + 1))
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/nginx;
        location /users/ { try_files /users/u42/recommendations =404; }
        location / { try_files \$uri =404; }
    }
}
CONF
nginx -c "$work/nginx.conf" &
nginx_pid=$!
sleep 0.5

# Prints "requests_per_second p99_ms" for one wrk run.
measure() {
    local output rps p99
    output=$(wrk -t1 -c64 -d"$duration" --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$1")
    rps=$(echo "$output" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$output" | awk '$1 == "99%" {print $2}')
    echo "$rps $(to_ms "$p99")"
}
to_ms() {
    case "$1" in
        *us) echo "$1" | sed 's/us//' | awk '{printf "%.3f", $1 / 1000}' ;;
        *ms) echo "$1" | sed 's/ms//' ;;
        *s) echo "$1" | sed 's/s//' | awk '{printf "%.3f", $1 * 1000}' ;;
    esac
}

# Runs recsmith and nginx alternately, BENCH_ROUNDS times each, and prints the median of each side as
# "ours_rps ours_p99 peer_rps peer_p99": alternating spreads the shared machine's noise over both.
compare() {
    local ours=() peers=()
    for _ in $(seq 1 "${BENCH_ROUNDS:-3}"); do
        ours+=("$(measure "$1")")
        peers+=("$(measure "$2")")
    done
    echo "$(printf '%s\n' "${ours[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}') $(printf '%s\n' "${peers[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')"
}

echo "== wrk -t1 -c64 -d$duration, ${BENCH_ROUNDS:-3} alternating rounds, medians"
read -r ours_health ours_health_p99 peer_health peer_health_p99 < <(compare "$base/healthz" "http://127.0.0.1:$nginx_port/healthz")
read -r ours_recs ours_recs_p99 peer_recs peer_recs_p99 < <(compare "$base$recs_path" "http://127.0.0.1:$nginx_port/users/u42/recommendations")
read -r ours_many ours_many_p99 peer_many peer_many_p99 < <(WRK_SCRIPT=Benchmarks/wrk/recommendations-many-users.lua \
    compare "$base/users/u0/recommendations" "http://127.0.0.1:$nginx_port/users/u0/recommendations")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
health_ratio=$(ratio "$ours_health" "$peer_health")
recs_ratio=$(ratio "$ours_recs" "$peer_recs")
many_ratio=$(ratio "$ours_many" "$peer_many")

http_table=$(cat <<TABLE
| route | recsmith req/s | nginx req/s | ratio | recsmith p99 ms | nginx p99 ms | target |
|---|---|---|---|---|---|---|
| GET /healthz | $ours_health | $peer_health | $health_ratio | $ours_health_p99 | $peer_health_p99 | ≥ 0.9× |
| GET /users/{id}/recommendations?k=10, one user (ALS, 1M events; answer cache hits) | $ours_recs | $peer_recs | $recs_ratio | $ours_recs_p99 | $peer_recs_p99 | ≥ 0.7×, p99 ≤ 5 ms |
| same, 20,000 users in turn (each user's first request scores, repeats hit the cache) | $ours_many | $peer_many | $many_ratio | $ours_many_p99 | $peer_many_p99 | — |
TABLE
)
echo "$http_table"

pass_table=$(cat <<TABLE
| phase | seconds |
|---|---|
| read (store snapshot) | $(phase read) |
| matrix (CSR build) | $(phase matrix) |
| fit als | $(phase als) |
| fit itemknn | $(phase itemknn) |
| fit trending | $(phase trending) |
| fit popular | $(phase popular) |
| persist | $(phase persist) |
TABLE
)
echo "$pass_table"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

echo "== ingest"
RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/ingest.sqlite" --retrain-interval 0 \
    --models popular --log-level warning > "$work/ingest.out" &
server_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/ingest.out" 2>/dev/null && break; sleep 0.1; done
ingest_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/ingest.out" | head -1)
batch_rps=$(wrk -t2 -c4 -d"$duration" -s Benchmarks/wrk/events-batch.lua "http://127.0.0.1:$ingest_port/events" | awk '/Requests\/sec/ {print $2}')
batch_eps=$(awk -v r="$batch_rps" 'BEGIN {printf "%.0f", r * 1000}')
single_eps=$(wrk -t1 -c64 -d"$duration" -s Benchmarks/wrk/events-single.lua "http://127.0.0.1:$ingest_port/events" | awk '/Requests\/sec/ {printf "%.0f", $2}')
stored=$(curl -s "http://127.0.0.1:$ingest_port/metrics" | awk '/^recsmith_events_accepted_total/ {print $2}')
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
raw_eps=$(python3 Benchmarks/sqlite_raw_insert.py "$work/raw.sqlite" 1000000)
ratio_raw() { awk -v a="$1" -v b="$raw_eps" 'BEGIN {printf "%.2f", a / b}'; }
csr_eps=$(awk -v p="$pairs" -v r="$(phase read)" -v m="$(phase matrix)" 'BEGIN {printf "%.0f", p / (r + m)}')

ingest_table=$(cat <<TABLE
| path | events/s | ÷ raw SQLite insert loop ($raw_eps/s) | target |
|---|---|---|---|
| HTTP, 4 clients × 1,000-event NDJSON batches, unique ids | $batch_eps | $(ratio_raw "$batch_eps") | ≥ 150,000 |
| HTTP, 64 connections × single events, unique ids | $single_eps | $(ratio_raw "$single_eps") | ≥ 15,000 |
| recsmith import (CSV, 1M events, no ids) | $import_rate | $(ratio_raw "$import_rate") | ≥ 500,000 |
| store → CSR (snapshot + matrix, $pairs events) | $csr_eps | — | ≥ 5,000,000 |
TABLE
)
echo "$ingest_table"
echo "events stored by the ingest runs: $stored"

models_table=""
if [ -x Benchmarks/models.sh ]; then
    echo "== models versus implicit"
    Benchmarks/models.sh --table-out "$work/models.md" || echo "models benchmark failed"
    [ -f "$work/models.md" ] && models_table=$(cat "$work/models.md")
fi

{
    echo "# Benchmarks"
    echo
    echo "Latest figures, made by \`BENCH_DURATION=$duration BENCH_ROUNDS=${BENCH_ROUNDS:-3} make bench\` on $(date -u +%Y-%m-%d)"
    echo "($(nproc) cores, $(uname -m), OpenBLAS $(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null), $(swift --version 2>/dev/null | head -1))."
    echo "Peers run in the same session on the same machine; ratios are recsmith ÷ peer. The machine is shared"
    echo "and noisy: compare ratios, not absolute figures."
    echo
    echo "## HTTP: \`wrk -t1 -c64 -d$duration\` on loopback, versus nginx (1 worker, access_log off) serving the same bytes"
    echo
    echo "Median of ${BENCH_ROUNDS:-3} alternating rounds per side (the p99 shown is the median run's)."
    echo
    echo "$http_table"
    echo
    echo "## Training pass on 1M synthetic events (\`recsmith generate --users 20000 --items 10000 --events 1000000 --seed 1\`)"
    echo
    echo "$pass_table"
    echo
    echo "## Ingest (synchronous=FULL: every 200 is durable)"
    echo
    echo "$ingest_table"
    if [ -n "$models_table" ]; then
        echo
        echo "## Models versus Python implicit (recsmith-eval-v1, leave-last-out)"
        echo
        echo "$models_table"
    fi
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
