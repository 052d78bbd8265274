#!/usr/bin/env bash
# Large catalogues (issue 21): recommendations over HTTP from an HNSW index against exact scoring, same store.
#
#   Benchmarks/catalogue.sh [--items N] [--users N] [--events N] [--duration 10s] [--keep DIR]
#
# `recsmith generate --users U --items N --events E --seed 1` (defaults 200,000 users, 1,000,000 items, 5,000,000
# events), imported; `recsmith serve --models als` (64 factors) twice on copies of the store: `serving.index=exact`
# and `serving.index=hnsw` (built in the pass with the hnsw.* defaults, persisted with the snapshot). Each server's
# first pass is timed (its phases from GET /retrain/job-1), then wrk -t1 -c64 over many users in turn (each user's
# first request scores, repeats hit the answer cache, so the users outnumber the requests' reach) and over items with
# events for similar items (the hnsw server's from its cosine index), then the hnsw server is restarted and the time
# until it answers from the loaded index is measured. The Markdown table goes to stdout.
# Needs the release build. Every load loop is bounded by wrk's duration; everything runs on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
binary="$root/.build/release/recsmith"
items=1000000 users=200000 events=5000000 duration=10s keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --items) items=$2; shift 2 ;;
        --users) users=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) echo "usage: $0 [--items N] [--users N] [--events N] [--duration 10s] [--keep DIR]" >&2; exit 2 ;;
    esac
done
work=${keep:-$(mktemp -d /tmp/recsmith-catalogue.XXXXXX)}
mkdir -p "$work"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }

echo "== catalogue: $items items, $users users, $events events (seed 1)" >&2
"$binary" generate --users "$users" --items "$items" --events "$events" --seed 1 --output "$work/events.csv" > /dev/null
"$binary" import --db "$work/seed.sqlite" "$work/events.csv" >&2
# Up to 400,000 items with events, shuffled, for the similar-items load: an item without events has no vector and
# answers at once, and the load walks the list in turn, so (as for users) repeats that the answer cache would serve
# are rare.
tail -n +2 "$work/events.csv" | cut -d, -f2 | sort -u | shuf -n 400000 --random-source=<(yes) > "$work/similar-items.txt"
rm -f "$work/events.csv"

# Starts `serve` on a copy (or, with keep, the existing directory) of the store in $work/$1 with extra arguments; sets
# $base once it answers /readyz.
start() {
    local label=$1
    shift
    mkdir -p "$work/$label"
    [ -f "$work/$label/store.sqlite" ] || cp "$work/seed.sqlite" "$work/$label/store.sqlite"
    : > "$work/$label/serve.out"
    RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/$label/store.sqlite" --retrain-interval 0 \
        --models als --io-threads 1 --log-level warning "$@" > "$work/$label/serve.out" 2> "$work/$label/serve.err" &
    server_pid=$!
    for _ in $(seq 1 600); do grep -q listening "$work/$label/serve.out" && break; sleep 0.1; done
    base="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/$label/serve.out" | head -1)"
}
stop() {
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
# Waits (at most 30 minutes) for job-1 and prints its phases as "phase=seconds …".
first_pass() {
    local status=""
    for _ in $(seq 1 3600); do
        status=$(curl -s -H "Authorization: Bearer bench-token" "$base/retrain/job-1" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p')
        case "$status" in queued | running | "") sleep 0.5 ;; *) break ;; esac
    done
    curl -s -H "Authorization: Bearer bench-token" "$base/retrain/job-1" \
        | python3 -c 'import json, sys; d = json.load(sys.stdin)["durations"]; print(" ".join("%s=%.1f" % (k.replace(" ", "_"), v) for k, v in d.items()))'
}
# req/s and p99 (ms) of wrk -t1 -c64 with the Lua script $1.
rate() {
    wrk -t1 -c64 -d"$duration" --latency -s "$1" "$base/" | awk '
        /Requests\/sec/ {rps = $2}
        $1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else {sub(/s/, "", v); v *= 1000}; p99 = v}
        END {printf "%.0f %.2f\n", rps, p99}'
}
# req/s and p99 (ms) over the users in turn.
load() {
    cat > "$work/users.lua" <<LUA
local counter = math.random(0, $users - 1)
function request()
  counter = (counter + 7919) % $users
  return wrk.format("GET", "/users/u" .. counter .. "/recommendations?k=10")
end
LUA
    rate "$work/users.lua"
}
# req/s and p99 (ms) over GET /items/{i}/similar for the sampled items in turn.
load_similar() {
    { echo "local items = {"; sed 's/.*/"&",/' "$work/similar-items.txt"; echo "}"; } > "$work/similar.lua"
    cat >> "$work/similar.lua" <<'LUA'
local counter = math.random(1, #items)
function request()
  counter = counter % #items + 1
  return wrk.format("GET", "/items/" .. items[counter] .. "/similar?model=als&k=10")
end
LUA
    rate "$work/similar.lua"
}
# The answers of GET /items/{i}/similar for the first 200 sampled items, one JSON line each, into $1.
similar_answers() {
    head -200 "$work/similar-items.txt" | while read -r item; do
        curl -s "$base/items/$item/similar?model=als&k=10"; echo
    done > "$1"
}
phase() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

start exact --set serving.index=exact
exact_pass=$(first_pass)
read -r exact_rps exact_p99 < <(load)
read -r exact_similar_rps exact_similar_p99 < <(load_similar)
similar_answers "$work/similar-exact.jsonl"
stop
start hnsw --set serving.index=hnsw
hnsw_pass=$(first_pass)
read -r hnsw_rps hnsw_p99 < <(load)
read -r hnsw_similar_rps hnsw_similar_p99 < <(load_similar)
similar_answers "$work/similar-hnsw.jsonl"
searches=$(curl -s "$base/metrics" | awk '/^recsmith_index_searches_total/ {print}' | tr '\n' ' ')
stop
# Recall@10 of the cosine index against the full scan (the same seeded ALS on both servers), by score: many items
# share a direction, so a found item counts when its cosine is at least the scan's 10th (within 1e-4).
similar_recall=$(python3 - "$work/similar-exact.jsonl" "$work/similar-hnsw.jsonl" <<'PY'
import json, sys
exact = [json.loads(line) for line in open(sys.argv[1])]
found = [json.loads(line) for line in open(sys.argv[2])]
hits = total = 0
for e, f in zip(exact, found):
    es, fs = [i["score"] for i in e.get("items", [])], [i["score"] for i in f.get("items", [])]
    total += len(es)
    if es:
        hits += min(len(es), sum(1 for a in fs if a >= es[-1] - 1e-4))
print("%.3f" % (hits / total) if total else "—")
PY
)
index_bytes=$(du -b "$work"/hnsw/models/als-*[0-9].hnsw 2>/dev/null | awk '{n += $1} END {print n + 0}')
similarity_bytes=$(du -b "$work"/hnsw/models/*.similar.hnsw 2>/dev/null | awk '{n += $1} END {print n + 0}')
# A restart serves from the persisted snapshot and index (mmap): the time from exec to the first answer from als.
started=$(date +%s.%N)
start hnsw --set serving.index=hnsw
for _ in $(seq 1 3000); do
    curl -s "$base/users/u1/recommendations?k=10" | grep -q '"model":"als"' && break
    sleep 0.01
done
restart=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
stop

cat <<TABLE
| $items items, 64 factors | ALS fit s | index build s | req/s | p99 ms |
|---|---|---|---|---|
| exact (one sgemv per request) | $(phase "$exact_pass" als) | — | $exact_rps | $exact_p99 |
| HNSW (serving.index=hnsw, defaults) | $(phase "$hnsw_pass" als) | $(phase "$hnsw_pass" index_als) | $hnsw_rps | $hnsw_p99 |

| similar items, $items items | cosine index build s | req/s | p99 ms |
|---|---|---|---|
| exact (one sgemv per request) | — | $exact_similar_rps | $exact_similar_p99 |
| HNSW (cosine index, defaults) | $(phase "$hnsw_pass" similarity_index_als) | $hnsw_similar_rps | $hnsw_similar_p99 |

HNSW over exact: $(awk -v a="$hnsw_rps" -v b="$exact_rps" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print "—"}')× the requests per second for
recommendations, $(awk -v a="$hnsw_similar_rps" -v b="$exact_similar_rps" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print "—"}')× for similar items (their recall@10 against the full scan, by
score, over 200 items: $similar_recall). Index
file: $(awk -v b="$index_bytes" -v n="$items" 'BEGIN {printf "%.0f MB, %.0f bytes per item", b / 1e6, b / n}'); cosine index file: $(awk -v b="$similarity_bytes" -v n="$items" 'BEGIN {printf "%.0f MB", b / 1e6}'). Restart with the persisted
snapshot and index until the first ALS answer: $restart s. Index searches during the run: ${searches:-none}.
TABLE
