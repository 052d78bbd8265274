#!/usr/bin/env bash
# HTTPS and HTTP/2 versus nginx (issue 9, "Performance").
#
#   Benchmarks/http2.sh [--db TRAINED_STORE] [--table-out FILE]
#
# Serves GET /users/{id}/recommendations?k=10 over TLS from recsmith (ALS, the store's persisted models) and
# the same bytes from nginx (one worker, access_log off, `listen … ssl http2`, the same certificate), then:
#   h2load -c 32 -m 10 (HTTP/2 over TLS, ALPN h2) and h2load --h1 -c 32 (HTTPS/1.1, no pipelining), with
# recsmith's default I/O threads (one per core), then HTTP/2 again with one I/O thread (one core, like nginx),
# alternating BENCH_ROUNDS rounds (default 3) of BENCH_DURATION (default 10s) per side, and prints the
# medians and ratios as a Markdown table (and into --table-out). Without --db it makes and trains a store of
# 200,000 synthetic events. Loopback only; every run is bounded by h2load's -D.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-peer.sh
root=$(pwd)

db=""
table_out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db=$2; shift 2 ;;
        --table-out) table_out=$2; shift 2 ;;
        *) echo "usage: $0 [--db TRAINED_STORE] [--table-out FILE]" >&2; exit 2 ;;
    esac
done

binary="$root/.build/release/recsmith"
seconds=${BENCH_DURATION:-10s}
seconds=${seconds%s}
rounds=${BENCH_ROUNDS:-3}
work=$(mktemp -d /tmp/recsmith-h2.XXXXXX)
# nginx's worker runs as nobody: it must be able to read the files it serves from here.
chmod 755 "$work"
server_pid=""
nginx_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

scripts/install-deps.sh nghttp2-client nginx-light curl openssl

if [ -z "$db" ]; then
    echo "== data: synthetic 200,000 events (seed 1), trained"
    "$binary" generate --users 5000 --items 5000 --events 200000 --seed 1 --output "$work/events.csv"
    "$binary" import --db "$work/store.sqlite" "$work/events.csv"
    "$binary" train --db "$work/store.sqlite" --models als,itemknn,trending,popular > /dev/null
    db="$work/store.sqlite"
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" \
    -out "$work/cert.pem" -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2> /dev/null

# Starts recsmith over TLS with $1 I/O threads and waits until it answers; sets server_pid and base.
start_server() {
    # Both sides allow 1,000,000 requests per connection: h2load does not reconnect after a GOAWAY.
    RECSMITH_ADMIN_TOKEN=bench-token RECSMITH_HTTP_MAX_REQUESTS_PER_CONNECTION=1000000 "$binary" serve --port 0 \
        --db "$db" --retrain-interval 0 --models als,itemknn,trending,popular --io-threads "$1" \
        --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --log-level warning > "$work/serve.out" &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
    local port
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
    base="https://127.0.0.1:$port"
    for _ in $(seq 1 300); do
        [ "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "$base/readyz")" = "200" ] && break
        sleep 1
    done
}
stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

echo "== recsmith over TLS (I/O threads: one per core)"
start_server "$(nproc)"
recs_path="/users/u42/recommendations?k=10"
mkdir -p "$work/nginx/users/u42" "$work/nginx/logs"
curl -s --cacert "$work/cert.pem" "$base$recs_path" > "$work/nginx/users/u42/recommendations"
grep -q '"items"' "$work/nginx/users/u42/recommendations" || { echo "no recommendation answer to serve" >&2; exit 1; }

echo "== nginx peer (http2, TLS)"
nginx_port=$(( ${base##*:} + 1 ))
nginx_conf "$work/nginx" "127.0.0.1:$nginx_port ssl http2" 1000000 "        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        http2_max_concurrent_streams 100;" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" &
nginx_pid=$!
sleep 0.5
peer="https://127.0.0.1:$nginx_port"

# Prints "requests_per_second mean_ms" for one h2load run; every request must succeed.
measure() {
    local output succeeded total
    output=$(h2load "$@" -D "$seconds" --warm-up-time 1 2>&1)
    total=$(echo "$output" | awk '/^requests:/ {print $2}')
    succeeded=$(echo "$output" | awk '/^requests:/ {print $8}')
    # A rate of failed or non-2xx answers is no figure: report it and print zeros, which show in the ratio.
    if [ "${total:-0}" -eq 0 ] || [ "$succeeded" != "$total" ] || ! echo "$output" | grep -q "status codes: $total 2xx"; then
        echo "h2load $*: $succeeded of $total requests succeeded ($(echo "$output" | grep '^status codes')): figure discarded" >&2
        echo "0 0"
        return
    fi
    echo "$(echo "$output" | awk '/^finished in/ {print $4}') \
$(echo "$output" | awk '/^time for request:/ {print $6}' | sed 's/ms$//;s/us$/ us/' | awk '{print ($2 == "us") ? $1 / 1000 : $1}')"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

# "ours_rps ours_mean peer_rps peer_mean", medians over alternating rounds.
compare() {
    local ours=() peers=()
    for _ in $(seq 1 "$rounds"); do
        ours+=("$(measure "$@" "$base$recs_path")")
        peers+=("$(measure "$@" "$peer$recs_path")")
    done
    echo "$(printf '%s\n' "${ours[@]}" | median) $(printf '%s\n' "${peers[@]}" | median)"
}

echo "== h2load, $rounds alternating rounds of ${seconds}s, medians"
read -r ours_h2 ours_h2_mean peer_h2 peer_h2_mean < <(compare -c 32 -m 10 -t 1)
read -r ours_h1 ours_h1_mean peer_h1 peer_h1_mean < <(compare --h1 -c 32 -m 1 -t 1)
echo "== recsmith with one I/O thread (one core, as nginx's one worker)"
stop_server
start_server 1
read -r ours_one ours_one_mean peer_one peer_one_mean < <(compare -c 32 -m 10 -t 1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

table=$(cat <<TABLE
| protocol (h2load, TLS, GET /users/{id}/recommendations?k=10) | recsmith req/s | nginx req/s | ratio | recsmith mean ms | nginx mean ms | target |
|---|---|---|---|---|---|---|
| HTTP/2, \`-c 32 -m 10\` (ALPN h2) | $ours_h2 | $peer_h2 | $(ratio "$ours_h2" "$peer_h2") | $ours_h2_mean | $peer_h2_mean | ≥ 0.7× |
| HTTPS/1.1, \`--h1 -c 32\` | $ours_h1 | $peer_h1 | $(ratio "$ours_h1" "$peer_h1") | $ours_h1_mean | $peer_h1_mean | — |
| HTTP/2, \`-c 32 -m 10\`, recsmith \`--io-threads 1\` | $ours_one | $peer_one | $(ratio "$ours_one" "$peer_one") | $ours_one_mean | $peer_one_mean | — |
TABLE
)
echo "$table"
[ -n "$table_out" ] && echo "$table" > "$table_out"
exit 0
