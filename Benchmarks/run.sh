#!/usr/bin/env bash
# `make bench`: measures Recsmith against its peers in the same run, prints ratios and writes BENCHMARKS.md.
# Sections, in BENCHMARKS.md's order:
#   http     wrk -t1 -c64 on GET /healthz and GET /users/{id}/recommendations?k=10 versus nginx (one worker,
#            access_log off) serving the same bytes as static files; the server holds 1M synthetic events.
#   http2    Benchmarks/http2.sh: h2load over TLS (HTTP/2 -c 32 -m 10, and HTTPS/1.1) versus nginx with http2.
#   requests Benchmarks/alloc/gate.sh (the allocation gate of `make test`): allocations and instructions per
#            request on four request paths, beside the committed thresholds.
#   retrain  the many-users recommendation load on that server, without and with back-to-back POST /retrain.
#   restart  SIGKILL after a persisted pass, start again: time to the first /readyz 200 and first ALS answer.
#   pass     the phases of one training pass of the default models over the 1M events, beside Python
#            implicit's fit times on the same pairs (Benchmarks/peer/implicit_eval.py --fit-only).
#   topk     in-process top-k for one user, 10k items, 64 factors (recsmith-bench topk).
#   filter   one user's top-k over 100k items with and without a filter passing 1% (recsmith-bench filter).
#   hnsw     Benchmarks/hnsw.sh: the HNSW index on 100k ALS item factors and 1M clustered vectors versus hnswlib
#            (build, memory, recall@10, query time, load).
#   content  the content model: NDCG@10 beside pop and itemknn on a planted synthetic catalogue and on MovieLens,
#            its neighbours' genres, fit and update times (recsmith evaluate --items, recsmith-bench content-*).
#   snapshot reads of a user's history while training snapshots a 20M-event store under ingest
#            (recsmith-bench snapshot-reads).
#   ingest   HTTP batch and single-event ingest, import and store→CSR, versus a bare SQLite insert loop.
#   online   serving with recommendation ids and remembering on (the default) against off, same store, alternating.
#   catalogue Benchmarks/catalogue.sh: recommendations over a 1M-item catalogue from an HNSW index against exact.
#   models   Benchmarks/models.sh: recsmith evaluate versus Python implicit, NumPy (EASE) and scikit-learn (SVD).
#   ratings  Benchmarks/ratings.sh: recsmith evaluate --task rating (mf) versus Surprise on the same folds.
#   pairs    Benchmarks/pairs.sh: recsmith evaluate --task pairs (pair MF) on synthetic and derived relations.
#   flops    flops of an ALS iteration on the synthetic 3M set, its GFLOP/s and sgemm's (recsmith-bench als-flops).
# Knobs: BENCH_DURATION (each wrk run, default 10s), BENCH_ROUNDS (alternating rounds, default 3), BENCH_IO_THREADS
# (the server's I/O threads, default 1 as nginx's one worker),
# BENCH_RETRAIN_DURATION (the two retrain-section runs, default 60s: a pass under that load takes ~20 s), BENCH_ONLY (a comma list of sections: only
# those run and BENCHMARKS.md keeps the others' figures).
# Everything runs on loopback; every load loop is bounded by wrk's duration and a count.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-peer.sh
. Benchmarks/movielens-path.sh
root=$(pwd)
binary="$root/.build/release/recsmith"
bench="$root/.build/release/recsmith-bench"
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-3}
retrain_duration=${BENCH_RETRAIN_DURATION:-60s}
all_sections=(http online catalogue http2 requests retrain restart pass topk filter hnsw content snapshot ingest postgres models neural flops ratings pairs)
only=${BENCH_ONLY:-$(IFS=,; echo "${all_sections[*]}")}
for key in ${only//,/ }; do
    if [[ " ${all_sections[*]} " != *" $key "* ]]; then
        echo "BENCH_ONLY: unknown section '$key' (sections: ${all_sections[*]})" >&2
        exit 2
    fi
done
wants() { [[ ",$only," == *",$1,"* ]]; }
wants_any() {
    local key
    for key in "$@"; do wants "$key" && return 0; done
    return 1
}

work=$(mktemp -d /tmp/recsmith-bench.XXXXXX)
# nginx's worker runs as nobody: it must be able to read the files it serves from here.
chmod 755 "$work"
sections="$work/sections"
mkdir -p "$sections"
server_pid=""
off_pid=""
nginx_pid=""
wrk_pid=""
cleanup() {
    [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$off_pid" ] && kill "$off_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

knobs="BENCH_DURATION=$duration BENCH_ROUNDS=$rounds"
wants retrain && knobs+=" BENCH_RETRAIN_DURATION=$retrain_duration"
[ -z "${BENCH_ONLY:-}" ] || knobs+=" BENCH_ONLY=$BENCH_ONLY"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
made_by="Made by \`$knobs make bench\` on $(date -u +%Y-%m-%d), CPU ${cpu:-unknown}."
# Writes section $1 (heading $2, then the run that made it, then stdin) for write_benchmarks.py, and shows it.
write_section() {
    { echo "<!-- bench:$1 -->"; echo "## $2"; echo; echo "$made_by"; echo; cat; } > "$sections/$1.md"
    echo
    cat "$sections/$1.md"
}
# Prints "requests_per_second p99_ms" of a wrk --latency report on stdin.
wrk_figures() {
    local output rps p99
    output=$(cat)
    # A rate of error answers is no figure: report it and print zeros, which show in every ratio.
    if echo "$output" | grep -q "Non-2xx or 3xx responses"; then
        echo "wrk: $(echo "$output" | awk '/Non-2xx/ {print $5}') answers were not 2xx: figure discarded" >&2
        echo "0 0"
        return
    fi
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
# Prints "requests_per_second p99_ms" for one wrk run of WRK_DURATION (default BENCH_DURATION).
measure() {
    wrk -t1 -c64 -d"${WRK_DURATION:-$duration}" --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$1" | wrk_figures
}
# Starts the server on port $1 over the 1M-event store, with the default models, output into $2. It runs one I/O
# thread (BENCH_IO_THREADS), as nginx runs one worker: each side serves from one core and wrk has the other.
start_server() {
    RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port "$1" --db "$work/store.sqlite" --retrain-interval 0 \
        --io-threads "${BENCH_IO_THREADS:-1}" --log-level warning > "$2" &
    server_pid=$!
}
# Stops the server with signal $1 (default TERM) and waits for it.
stop_server() {
    kill "-${1:-TERM}" "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
auth=(-H "Authorization: Bearer bench-token")
# The status of training job $1.
job_status() { curl -s "${auth[@]}" "$base/retrain/$1" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
# Total seconds of the phases of job JSON on stdin.
job_seconds() { python3 -c 'import json, sys; print("%.3f" % sum(json.load(sys.stdin)["durations"].values()))'; }

if wants_any http online retrain restart pass ingest; then
    scripts/install-deps.sh wrk nginx-light curl

    echo "== data: synthetic 1,000,000 events (seed 1)"
    "$binary" generate --users 20000 --items 10000 --events 1000000 --seed 1 --output "$work/events.csv"
    import_line=$("$binary" import --db "$work/store.sqlite" "$work/events.csv")
    echo "$import_line"
    import_rate=$(echo "$import_line" | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')

    echo "== server (default models), first pass at start-up"
    start_server 0 "$work/serve.out"
    for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
    base="http://127.0.0.1:$port"
    for _ in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = "200" ] && break
        sleep 1
    done
    # /readyz answers once the pass has published its models; its figures are complete once it has persisted them.
    for _ in $(seq 1 1200); do
        case "$(job_status job-1)" in queued | running) sleep 0.5 ;; *) break ;; esac
    done
    pass_json=$(curl -s "${auth[@]}" "$base/retrain/job-1")
    echo "training pass: $pass_json"
    phase() { echo "$pass_json" | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['durations']['$1'])"; }
    pairs=$(curl -s "$base/metrics" | awk '/^recsmith_store_events_count/ {printf "%d", $2}')
    recs_path="/users/u42/recommendations?k=10"
fi

if wants pass; then
    echo "== peer: implicit fits on the same events"
    peer_json="$work/pass.implicit.json"
    python="$root/.build-venv/bin/python"
    if ! { "$root/Benchmarks/peer/install.sh" "$root/.build-venv" \
        && timeout 600 "$python" Benchmarks/peer/implicit_eval.py --data "$work/events.csv" --fit-only \
            --models itemknn,als,bpr --factors 64 --seed 1 --json "$peer_json"; }; then
        echo "the implicit peer failed; its column stays empty" >&2
        rm -f "$peer_json"
    fi
    peer() {
        [ -f "$peer_json" ] || { echo "—"; return; }
        python3 -c "import json; print('%.3f' % next(m['fit_s'] for m in json.load(open('$peer_json'))['models'] if m['model'] == '$1'))"
    }
    peer_versions=$([ -f "$peer_json" ] && "$python" -c 'import implicit, numpy, scipy; print(f"implicit {implicit.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}")' || echo "implicit (not available)")
    peer_pairs=$([ -f "$peer_json" ] && python3 -c "import json; print(json.load(open('$peer_json'))['split']['train_pairs'])" || echo "?")
    speedup() { awk -v ours="$1" -v theirs="$2" 'BEGIN {if (theirs == "—" || ours <= 0) print "—"; else printf "%.2f×", theirs / ours}'; }
    fit_row() { echo "| fit $1 | $(phase "$1") | $(peer "$1") | $(speedup "$(phase "$1")" "$(peer "$1")") |"; }
    write_section pass "Training pass on 1M synthetic events (\`recsmith generate --users 20000 --items 10000 --events 1000000 --seed 1\`), beside implicit" <<TEXT
The service's first pass at start-up over its store of these events (default models als, bpr, itemknn, trending,
popular; summed weights per pair, ALS confidence 1 + α·w), phase by phase as \`GET /retrain/job-1\` reports it;
the swap between fitting and persisting is one atomic reference store and is not timed apart. Beside it,
\`Benchmarks/peer/implicit_eval.py --fit-only --models itemknn,als,bpr --factors 64 --seed 1\` on the same CSV:
the same $peer_pairs (user, item) pairs, binary (c = α), $peer_versions, \`num_threads=0\`,
\`OPENBLAS_NUM_THREADS=1\`. Same hyper-parameters on both sides (factors 64; ALS λ 0.05, α 10, 15 iterations,
3 CG steps; BPR lr 0.01, λ 0.01, 100 epochs; item-kNN cosine, K 100); speed-up = implicit ÷ recsmith.

| phase | recsmith s | implicit s | speed-up |
|---|---|---|---|
| read (store snapshot) | $(phase read) | — | — |
| matrix (CSR build) | $(phase matrix) | — | — |
$(fit_row als)
$(fit_row bpr)
$(fit_row itemknn)
| fit trending | $(phase trending) | — | — |
| fit popular | $(phase popular) | — | — |
| persist | $(phase persist) | — | — |
| whole pass (sum of the phases) | $(echo "$pass_json" | job_seconds) | — | — |
TEXT
fi

# Starts the nginx peer on port + 1, serving the bytes recsmith answers for /healthz and one user's recommendations.
start_nginx() {
    echo "== nginx peer"
    mkdir -p "$work/nginx/users/u42" "$work/nginx/logs"
    curl -s "$base/healthz" > "$work/nginx/healthz"
    curl -s "$base$recs_path" > "$work/nginx/users/u42/recommendations"
    nginx_port=$((port + 1))
    # recsmith closes a connection after http.max_requests_per_connection (10,000) requests; nginx does the same.
    nginx_conf "$work/nginx" "127.0.0.1:$nginx_port" 10000 > "$work/nginx.conf"
    nginx -c "$work/nginx.conf" &
    nginx_pid=$!
    sleep 0.5
}
stop_nginx() {
    kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
}

if wants http; then
    start_nginx

    # Runs recsmith and nginx alternately, BENCH_ROUNDS times each, and prints the median of each side as
    # "ours_rps ours_p99 peer_rps peer_p99": alternating spreads the shared machine's noise over both.
    compare() {
        local ours=() peers=()
        for _ in $(seq 1 "$rounds"); do
            ours+=("$(measure "$1")")
            peers+=("$(measure "$2")")
        done
        echo "$(printf '%s\n' "${ours[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}') $(printf '%s\n' "${peers[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')"
    }

    echo "== wrk -t1 -c64 -d$duration, $rounds alternating rounds, medians"
    read -r ours_health ours_health_p99 peer_health peer_health_p99 < <(compare "$base/healthz" "http://127.0.0.1:$nginx_port/healthz")
    read -r ours_recs ours_recs_p99 peer_recs peer_recs_p99 < <(compare "$base$recs_path" "http://127.0.0.1:$nginx_port/users/u42/recommendations")
    read -r ours_many ours_many_p99 peer_many peer_many_p99 < <(WRK_SCRIPT=Benchmarks/wrk/recommendations-many-users.lua \
        compare "$base/users/u0/recommendations" "http://127.0.0.1:$nginx_port/users/u0/recommendations")
    stop_nginx
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
    write_section http "HTTP: \`wrk -t1 -c64 -d$duration\` on loopback, versus nginx (1 worker, access_log off) serving the same bytes" <<TEXT
Median of $rounds alternating rounds per side (the p99 shown is the median run's). The server holds the 1M events
of the training-pass section and serves its ALS model from one I/O thread (\`--io-threads 1\`), as nginx serves from
one worker: each side has one core and wrk the other (with an I/O thread per core, recsmith's rate rises and its
p99 with it, as its threads then share the cores with wrk). nginx reads the files from a directory its worker can
traverse, and a run with any non-2xx answer is discarded.

| route | recsmith req/s | nginx req/s | ratio | recsmith p99 ms | nginx p99 ms | target |
|---|---|---|---|---|---|---|
| GET /healthz | $ours_health | $peer_health | $(ratio "$ours_health" "$peer_health") | $ours_health_p99 | $peer_health_p99 | ≥ 0.9× |
| GET /users/{id}/recommendations?k=10, one user (ALS, 1M events; answer cache hits) | $ours_recs | $peer_recs | $(ratio "$ours_recs" "$peer_recs") | $ours_recs_p99 | $peer_recs_p99 | ≥ 0.7×, p99 ≤ 5 ms |
| same, 20,000 users in turn (each user's first request scores, repeats hit the cache) | $ours_many | $peer_many | $(ratio "$ours_many" "$peer_many") | $ours_many_p99 | $peer_many_p99 | — |
TEXT
fi

if wants online; then
    echo "== recommendation ids and remembering: on (the running server) against off (a copy of its store)"
    mkdir -p "$work/off"
    "$binary" backup --db "$work/store.sqlite" "$work/off/store.sqlite" > /dev/null
    cp -r "$work/models" "$work/off/models"
    RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/off/store.sqlite" --retrain-interval 0 \
        --io-threads "${BENCH_IO_THREADS:-1}" --log-level warning --set online.recommendation_ids=false > "$work/off/serve.out" &
    off_pid=$!
    for _ in $(seq 1 600); do grep -q listening "$work/off/serve.out" 2>/dev/null && break; sleep 0.1; done
    off_base="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/off/serve.out" | head -1)"
    for _ in $(seq 1 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$off_base/readyz")" = "200" ] && break; sleep 0.5; done
    curl -s "$off_base$recs_path" | grep -q recommendation_id && echo "the off server answers with ids" >&2
    # Medians of alternating rounds, "on_rps on_p99 off_rps off_p99".
    on_off() {
        local on=() off=()
        for _ in $(seq 1 "$rounds"); do
            on+=("$(measure "$base$1")")
            off+=("$(measure "$off_base$1")")
        done
        echo "$(printf '%s\n' "${on[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}') $(printf '%s\n' "${off[@]}" | sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')"
    }
    read -r on_one on_one_p99 off_one off_one_p99 < <(on_off "$recs_path")
    read -r on_many on_many_p99 off_many off_many_p99 < <(WRK_SCRIPT=Benchmarks/wrk/recommendations-many-users.lua on_off "/users/u0/recommendations")
    remembered=$(curl -s "${auth[@]}" "$base/admin/metrics/online?window=1h" | python3 -c 'import json, sys
r = json.load(sys.stdin)["remembering"]
print("%d served, %d remembered, %d dropped, sample rate %.3f" % (r["served"], r["remembered"], r["dropped"], r["sample_rate"]))')
    kill -TERM "$off_pid" 2>/dev/null || true
    wait "$off_pid" 2>/dev/null || true
    off_pid=""
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
    delta() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.2f", a - b}'; }
    write_section online "Recommendation ids and remembering: on against off, \`wrk -t1 -c64 -d$duration\`, 1M-event store" <<TEXT
The server of the HTTP section (ids on, the default: every answer gets a \`recommendation_id\` spliced in front of
its cached bytes and the list is remembered; above \`online.remember_per_second\` = 200 lists/s only every n-th) against
a second server on a backup of the same store and models with \`--set online.recommendation_ids=false\`. Median of
$rounds alternating rounds per side; both serve from one I/O thread. The on server: $remembered.

| route | on req/s | off req/s | on ÷ off | on p99 ms | off p99 ms | p99 on − off | target |
|---|---|---|---|---|---|---|---|
| GET /users/{id}/recommendations?k=10, one user (cache hits) | $on_one | $off_one | $(ratio "$on_one" "$off_one") | $on_one_p99 | $off_one_p99 | $(delta "$on_one_p99" "$off_one_p99") | ≥ 0.95×, +≤ 0.5 ms |
| same, 20,000 users in turn | $on_many | $off_many | $(ratio "$on_many" "$off_many") | $on_many_p99 | $off_many_p99 | $(delta "$on_many_p99" "$off_many_p99") | ≥ 0.95×, +≤ 0.5 ms |
TEXT
fi

if wants retrain; then
    many_users=Benchmarks/wrk/recommendations-many-users.lua
    echo "== retrain under load: wrk -t1 -c64 -d$retrain_duration over 20,000 users, without then with passes"
    read -r calm_rps calm_p99 < <(WRK_DURATION=$retrain_duration WRK_SCRIPT=$many_users measure "$base/users/u0/recommendations")
    wrk -t1 -c64 -d"$retrain_duration" --latency -s "$many_users" "$base/users/u0/recommendations" > "$work/retrain.wrk" &
    wrk_pid=$!
    # Back to back while wrk runs: request a pass, poll it to its end, request the next; at most 100 passes.
    passes=0 failed=0 requested=0 pass_total=0 job=""
    while kill -0 "$wrk_pid" 2>/dev/null && [ "$requested" -lt 100 ]; do
        job=$(curl -s -X POST "${auth[@]}" "$base/retrain" | sed -n 's/.*"job": *"\([^"]*\)".*/\1/p')
        [ -n "$job" ] || break
        requested=$((requested + 1))
        status=""
        while kill -0 "$wrk_pid" 2>/dev/null; do
            status=$(job_status "$job")
            case "$status" in succeeded | failed | skipped) break ;; esac
            sleep 0.5
        done
        case "$status" in
            succeeded)
                passes=$((passes + 1))
                seconds=$(curl -s "${auth[@]}" "$base/retrain/$job" | job_seconds)
                echo "$job: $seconds s"
                pass_total=$(awk -v a="$pass_total" -v b="$seconds" 'BEGIN {print a + b}')
                ;;
            failed | skipped) failed=$((failed + 1)) ;;
        esac
    done
    wait "$wrk_pid"
    wrk_pid=""
    read -r busy_rps busy_p99 < <(wrk_figures < "$work/retrain.wrk")
    # A pass still running when wrk stops is not counted; it finishes before the next section starts.
    for _ in $(seq 1 1200); do
        [ -z "$job" ] && break
        case "$(job_status "$job")" in queued | running) sleep 0.5 ;; *) break ;; esac
    done
    # The peer under the same competition: nginx serves the same wrk run while two busy loops at nice 10 (one per
    # core, like a pass's workers) take every idle cycle; they count the host's stalls meanwhile.
    start_nginx
    seconds_of_run=$(to_ms "$retrain_duration" | awk '{printf "%d", $1 / 1000 + 2}')
    nice -n 10 python3 Benchmarks/cpu_burn.py "$seconds_of_run" > "$work/burn.0" &
    burner0=$!
    nice -n 10 python3 Benchmarks/cpu_burn.py "$seconds_of_run" > "$work/burn.1" &
    burner1=$!
    read -r peer_busy_rps peer_busy_p99 < <(WRK_DURATION=$retrain_duration WRK_SCRIPT=$many_users measure "http://127.0.0.1:$nginx_port/users/u0/recommendations")
    wait "$burner0" "$burner1"
    stop_nginx
    read -r stalls stalled_ms < <(cat "$work/burn.0" "$work/burn.1" | awk '{n += $1; ms += $2} END {print n + 0, ms + 0}')
    pass_mean=$(awk -v t="$pass_total" -v n="$passes" 'BEGIN {if (n > 0) printf "%.1f", t / n; else print "—"}')
    failures=""
    [ "$failed" -eq 0 ] || failures=" $failed pass(es) failed or were skipped."
    write_section retrain "Serving while retraining: \`wrk -t1 -c64 -d$retrain_duration\`, 20,000 users in turn, 1M-event store" <<TEXT
\`Benchmarks/wrk/recommendations-many-users.lua\` (GET /users/{id}/recommendations?k=10, each user's first request
after a swap scores) against the server holding the 1M events: one run without training, then one run while
\`POST /retrain\` (admin token) starts a pass of the default models again as soon as the previous one ends
(each pass: read → fit als, bpr, itemknn, trending, popular → swap → persist). A pass still running when wrk
stops is not counted. The peer: nginx (the HTTP section's) serving the same wrk run while two busy loops at
nice 10, one per core, take every idle cycle as a pass's workers do (\`Benchmarks/cpu_burn.py\`). One run per
row, not alternated rounds.$failures

| load | server | req/s | p99 ms | passes completed in the run (mean s each) | target |
|---|---|---|---|---|---|
| no training | recsmith | $calm_rps | $calm_p99 | — | p99 ≤ 5 ms |
| passes back to back | recsmith | $busy_rps | $busy_p99 | $passes ($pass_mean) | p99 ≤ 1.2× the peer's |
| two busy loops at nice 10 | nginx | $peer_busy_rps | $peer_busy_p99 | — | — |

p99 against the peer: $(awk -v a="$busy_p99" -v b="$peer_busy_p99" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "—"}').
Why a peer: on this virtual machine the host takes a virtual processor away for about 100 ms at a time whenever
both are busy (the busy loops, which never block, saw $stalls gaps of over 50 ms, $stalled_ms ms in all, during
the peer's run; with one core busy they see none). Each such stall holds every request in flight, so with both
cores saturated wrk's p99 lands near 100 ms for any server, nginx included; the 10 ms this row once met
(2026-12-01) was measured on a quieter host.
TEXT
fi

if wants restart; then
    echo "== restart: SIGKILL after a persisted pass, start again on the same store and port"
    stop_server KILL
    store_mb=$(du -cm "$work"/store.sqlite* | tail -1 | cut -f1)
    snapshot_mb=$(du -sm "$work/models" | cut -f1)
    started=$(date +%s%N)
    start_server "$port" "$work/restart.out"
    ready_ms="—" personal_ms="—"
    # curl every ~5 ms (each call takes a few ms more): the resolution is about 10 ms. At most ~30 s each.
    for _ in $(seq 1 3000); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/readyz")" = "200" ]; then
            ready_ms=$((($(date +%s%N) - started) / 1000000))
            break
        fi
        sleep 0.005
    done
    for _ in $(seq 1 3000); do
        answer=$(curl -s --max-time 1 "$base$recs_path" || true)
        if [[ $answer =~ \"model\":\ *\"als\" ]]; then
            personal_ms=$((($(date +%s%N) - started) / 1000000))
            break
        fi
        sleep 0.005
    done
    stop_server
    write_section restart "Ready after a restart with persisted snapshots (1M-event store)" <<TEXT
The server of the sections above, SIGKILLed once its last pass had been persisted, is started again on the same
store (${store_mb} MB) and port; it loads the snapshots (${snapshot_mb} MB, models als, bpr, itemknn, trending,
popular) and starts no pass, the store having no new events. Times from the process start, polled with curl
(resolution about 10 ms).

| from process start to | ms | target |
|---|---|---|
| first \`GET /readyz\` 200 | $ready_ms | ≤ 1000 |
| first personalised answer (\`GET $recs_path\` by ALS) | $personal_ms | — |
TEXT
fi

if [ -n "$server_pid" ]; then stop_server; fi

if wants ingest; then
    echo "== ingest"
    RECSMITH_ADMIN_TOKEN=bench-token "$binary" serve --port 0 --db "$work/ingest.sqlite" --retrain-interval 0 \
        --models popular --log-level warning > "$work/ingest.out" &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q listening "$work/ingest.out" 2>/dev/null && break; sleep 0.1; done
    ingest_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/ingest.out" | head -1)
    batch_rps=$(wrk -t2 -c4 -d"$duration" -s Benchmarks/wrk/events-batch.lua "http://127.0.0.1:$ingest_port/events" | awk '/Requests\/sec/ {print $2}')
    batch_eps=$(awk -v r="$batch_rps" 'BEGIN {printf "%.0f", r * 1000}')
    single_eps=$(wrk -t1 -c64 -d"$duration" -s Benchmarks/wrk/events-single.lua "http://127.0.0.1:$ingest_port/events" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    # Attribution: 2,000 lists served (live popularity over the events above), then batches of clicks echoing them.
    for user in $(seq 0 1999); do
        # (echo: the answer has no final newline, without which sed would print none either)
        { curl -s "http://127.0.0.1:$ingest_port/users/a$user/recommendations?k=10"; echo; } \
            | sed -n "s/.*\"recommendation_id\":\"\([^\"]*\)\".*\"items\":\[{\"item\":\"\([^\"]*\)\".*/a$user \1 \2/p"
    done > "$work/lists.txt"
    attributed_rps=$(LISTS="$work/lists.txt" wrk -t2 -c4 -d"$duration" -s Benchmarks/wrk/events-attributed.lua \
        "http://127.0.0.1:$ingest_port/events" | awk '/Requests\/sec/ {print $2}')
    attributed_eps=$(awk -v r="$attributed_rps" 'BEGIN {printf "%.0f", r * 1000}')
    attributed=$(curl -s "http://127.0.0.1:$ingest_port/metrics" | awk '/^recsmith_events_attributed_total/ {n += $2} END {printf "%d", n}')
    [ "$attributed" -gt 0 ] || echo "ingest: no event was attributed; the attributed row measures nothing" >&2
    stored=$(curl -s "http://127.0.0.1:$ingest_port/metrics" | awk '/^recsmith_events_accepted_total/ {print $2}')
    stop_server
    # CPU and wall time an attributed event costs beyond a plain one, from the two batch rates (one core writes).
    attribution_us=$(awk -v a="$attributed_eps" -v b="$batch_eps" 'BEGIN {if (a > 0 && b > 0) printf "%.2f", 1e6 / a - 1e6 / b; else print "—"}')
    raw_eps=$(python3 Benchmarks/sqlite_raw_insert.py "$work/raw.sqlite" 1000000)
    ratio_raw() { awk -v a="$1" -v b="$raw_eps" 'BEGIN {printf "%.2f", a / b}'; }
    csr_eps=$(awk -v p="$pairs" -v r="$(phase read)" -v m="$(phase matrix)" 'BEGIN {printf "%.0f", p / (r + m)}')
    echo "events stored by the ingest runs: $stored"
    write_section ingest "Ingest (synchronous=FULL: every 200 is durable)" <<TEXT
| path | events/s | ÷ raw SQLite insert loop ($raw_eps/s) | target |
|---|---|---|---|
| HTTP, 4 clients × 1,000-event NDJSON batches, unique ids | $batch_eps | $(ratio_raw "$batch_eps") | ≥ 150,000 |
| HTTP, 4 clients × 1,000-event batches, each a click attributed to a served list ($attributed attributed) | $attributed_eps | $(ratio_raw "$attributed_eps") | — |
| HTTP, 64 connections × single events, unique ids | $single_eps | $(ratio_raw "$single_eps") | ≥ 15,000 |
| recsmith import (CSV, 1M events, no ids) | $import_rate | $(ratio_raw "$import_rate") | ≥ 500,000 |
| store → CSR (snapshot + matrix, $pairs events) | $csr_eps | — | ≥ 5,000,000 |

Attribution costs $attribution_us µs per event beyond a plain event in a batch (1/attributed rate − 1/plain rate):
the event's longer body and its \`recommendation_id\` checked and stored, a lookup of the list by id, an update of
it and a row in \`attributions\`, in the same transaction as the event (the minute's counts are written once per
transaction). Every event of that row is attributed; real traffic attributes only the clicks and purchases that
follow a recommendation.
TEXT
fi

if wants http2; then
    echo "== HTTPS and HTTP/2 versus nginx"
    if Benchmarks/http2.sh --table-out "$work/http2.md" && [ -f "$work/http2.md" ]; then
        write_section http2 "HTTPS and HTTP/2: \`h2load\` over TLS on loopback, versus nginx (1 worker, \`listen … ssl http2\`) serving the same bytes" <<TEXT
\`Benchmarks/http2.sh\`: recsmith serves GET /users/u42/recommendations?k=10 (ALS, 200,000 synthetic events) with
\`--tls-cert/--tls-key\`; nginx serves the same bytes with the same certificate. Median of $rounds alternating
rounds of $duration per side; h2load's mean time per request beside each rate.

$(cat "$work/http2.md")
TEXT
    else
        echo "HTTP/2 benchmark failed; BENCHMARKS.md keeps its previous http2 section"
    fi
fi

if wants requests; then
    echo "== allocations and instructions per request (Benchmarks/alloc/gate.sh)"
    # A figure above its threshold fails the gate but is still a figure: the section shows it.
    ALLOC_GATE_RESULTS="$work/requests" Benchmarks/alloc/gate.sh || echo "the allocation gate failed (above)"
    if [ -f "$work/requests/instructions.json" ]; then
        write_section requests "Per request: allocations and instructions (\`make test-alloc\`)" <<TEXT
\`Benchmarks/alloc/gate.sh\`, the allocation gate that \`make test\` runs: the release \`recsmith serve --io-threads 1
--retrain-interval 0 --models als,popular\` over 20,000 synthetic events (ALS trained beforehand), each scenario
on one loopback connection, one request at a time, after a warm-up. Allocations: every malloc, calloc, realloc,
posix_memalign, aligned_alloc, memalign, valloc and pvalloc of the server process, counted by an LD_PRELOAD shim
(\`Benchmarks/alloc/counters.c\`) between a mark before and a mark after the measured requests. Instructions: the
same scenarios, fewer requests, with the server under \`valgrind --tool=callgrind\` (a debug-stripped copy of the
binary): callgrind's count between the same marks, every thread of the process included. Each figure is the
difference over the requests measured; thresholds are in \`Benchmarks/thresholds/requests.json\`.

$("$root/.build-venv/bin/python" Benchmarks/alloc/thresholds.py markdown Benchmarks/thresholds/requests.json \
    "$work/requests/allocations.json" "$work/requests/instructions.json")
TEXT
    else
        echo "the allocation gate measured nothing; BENCHMARKS.md keeps its previous requests section"
    fi
fi

if wants catalogue; then
    echo "== large catalogue: HNSW against exact scoring (Benchmarks/catalogue.sh)"
    if Benchmarks/catalogue.sh --duration "$duration" > "$work/catalogue.md" && [ -s "$work/catalogue.md" ]; then
        write_section catalogue "Large catalogue: recommendations from an HNSW index against exact scoring, \`wrk -t1 -c64 -d$duration\`" <<TEXT
\`Benchmarks/catalogue.sh\`: \`recsmith generate --users 200000 --items 1000000 --events 5000000 --seed 1\`, ALS (64
factors) served by \`recsmith serve --models als --io-threads 1\` on two copies of the store, \`serving.index=exact\` and
\`serving.index=hnsw\`; wrk over the 200,000 users in turn (each request scores: the answer cache rarely hits), then
over 400,000 items with events for \`GET /items/{i}/similar?model=als\` (the hnsw server's from its cosine index).

$(cat "$work/catalogue.md")

Targets (issue 21): HTTP p99 ≤ 5 ms at 64 connections, restart ≤ 2 s, serving cost that stops growing with the
catalogue — similar items included. The p99 rests on the answer cache freeing a
full generation (50,000 answers) on a utility thread: freed under the cache's lock, as before, it stalled every
lookup — the I/O thread's too — once a generation, and the p99 was 9–13 ms (4 ms with the cache off).
TEXT
    else
        echo "catalogue benchmark failed; BENCHMARKS.md keeps its previous catalogue section"
    fi
fi

if wants postgres; then
    echo "== PostgreSQL: ingest, replicas, propagation, feed lag (Benchmarks/postgres.sh)"
    if PYTHON="$root/.build-venv/bin/python" Benchmarks/postgres.sh "$binary" "${duration%s}" > "$work/postgres.md" \
        && [ -s "$work/postgres.md" ]; then
        write_section postgres "PostgreSQL as the shared store: ingest, API replicas, snapshot propagation, change-feed lag" <<TEXT
\`Benchmarks/postgres.sh\` on a private PostgreSQL 15 cluster (\`scripts/postgres-test-cluster.sh\`, fsync on), release
build. Ingest: one \`recsmith serve --store postgresql://…\` (group commit: one transaction, one advisory write lock and
one streamed \`COPY\` per batch of requests) against four psycopg processes each committing 1,000-row \`COPY\`
transactions into a table of the same shape and indexes — four server backends against our one. Replicas: 1M synthetic
events (\`generate --users 20000 --items 10000 --events 1000000 --seed 1\`, \`import --store\`), one \`--role trainer\`
and two \`--role api\` processes (ALS, popular), all on this machine's 2 cores, so a second replica adds the idle share of
the cores, not a machine. Propagation: \`POST /retrain\` on the trainer, polled every 10 ms until the pass ends, then
both replicas' \`/models\` every 10 ms. Feed lag: a new user's event on replica B's top popular item, posted to replica
A, then B asked every 2 ms until the item is excluded; a random 0–100 ms pause before each event (the feed polls every
100 ms, so the lag is that interval's remainder).

$(grep '^|' "$work/postgres.md")
TEXT
    else
        echo "PostgreSQL benchmark failed; BENCHMARKS.md keeps its previous postgres section"
    fi
fi

if wants models; then
    echo "== models versus their peers"
    if Benchmarks/models.sh --table-out "$work/models.md" && [ -f "$work/models.md" ]; then
        write_section models "Models versus their peers (recsmith-eval-v1, leave-last-out)" < "$work/models.md"
    else
        echo "models benchmark failed; BENCHMARKS.md keeps its previous models section"
    fi
fi

if wants neural; then
    echo "== neural and sequence models (Benchmarks/neural.sh)"
    if Benchmarks/neural.sh "$binary" > "$work/neural.md" && [ -s "$work/neural.md" ]; then
        write_section neural "Neural and sequence models beside ALS, EASE and markov (recsmith-eval-v1, leave-last-out)" <<TEXT
\`Benchmarks/neural.sh\`, release build, defaults unless named: \`autoencoder\` (Mult-DAE: one tanh layer of 200,
dropout 0.5, multinomial NLL over the full catalogue up to \`autoencoder.full_softmax_items\` items, over the batch's
items plus popularity-sampled negatives above), \`sequence\` (GRU4Rec-style: a GRU of 64 over windows of 20 items,
embeddings tied to the output, sampled softmax with 500 negatives), \`mlp\` (PyTorch 101's DenseNet: embeddings of
32, ReLU layers 64 and 32, binary cross-entropy with 4 negatives per pair), \`markov\` (first-order transition
counts, smoothed). Each on our own layers over OpenBLAS (NeuralLayers), gradient-checked against float64 central
differences in the tests. The rating task (\`mlp\` beside \`mf\` and Surprise SVD) is in the ratings section.

$(cat "$work/neural.md")

Targets (issue 23): autoencoder NDCG@10 ≥ ALS's on ml-latest-small over 5 seeds; sequence ≥ 1.2× markov and the best
non-sequential model on the sequential set; each fit on the 3M set ≤ 5 minutes.

Reading the tables. On ml-latest-small the order-aware models lead: leave-last-out asks for each user's latest
rating, and MovieLens users rate in sittings of related films (sequels, one director, one genre), so the film
rated just before is the best single clue — which markov's counts already hold, and the GRU holds with the rest of
the history. On the first-order synthetic set markov's table holds the planted successors exactly and the GRU can
only match it; on the last-two-items set the table holds the union of the tiers' lists while the history shows the
tier, and the GRU reads it. The 3M set plants no order (a next item does not depend on the last), so there the
sequence models fall behind the autoencoder and ALS, and the MLP trails the dot product, as Rendle et al. (2020)
found.
TEXT
    else
        echo "neural benchmark failed; BENCHMARKS.md keeps its previous neural section"
    fi
fi

if wants ratings; then
    echo "== explicit ratings versus Surprise"
    if Benchmarks/ratings.sh --table-out "$work/ratings.md" && [ -s "$work/ratings.md" ]; then
        write_section ratings "Explicit ratings versus Surprise (recsmith-eval-v2, --task rating)" < "$work/ratings.md"
    else
        echo "ratings benchmark failed or skipped; BENCHMARKS.md keeps its previous ratings section"
    fi
fi

if wants pairs; then
    echo "== pair MF on item relations"
    if Benchmarks/pairs.sh > "$work/pairs.md" && [ -s "$work/pairs.md" ]; then
        write_section pairs "Pair MF on item relations: AUC-ROC and learning curves (\`--task pairs\`)" <<TEXT
\`Benchmarks/pairs.sh\`: release build, pair MF defaults (32 factors, learning rate 0.1, L2 0.002, 5 negatives per
related pair, 30 epochs, 2 Hogwild threads), seed 1. A relation is held out when \`h64(from, to, type) mod 5 == 0\`
(docs/EVALUATION.md §9); AUC-ROC of each \`from\` item's held-out relations against every item unrelated to it, ties
½, averaged over \`from\` items. \`fit s\` leaves out the curve's scoring.

$(cat "$work/pairs.md")

Synthetic: \`recsmith generate --items 5000 --events 0 --relation-clusters 20 --relations-per-item 5
--relation-noise 0.05 (or 0.10) --seed 1 --relations-output …\` (each relation goes to an item of the same cluster,
or with probability \`noise\` to any item; a model that recovers the clusters can reach about 1 − noise/2).
ml-latest-small: \`recsmith relations derive --data events.csv --window 1h --min-users 3\` (\`bought_together\`
pairs of movies that at least 3 users rated within an hour of each other). Target: AUC ≥ 0.9 on the synthetic set
(the 5% noise row). As in the post, the curve is flat for a few epochs and then rises steeply, and the model with
item biases ranks better than the one without; unlike the post's cosine schedule with restarts the step size is
constant.
TEXT
    else
        echo "pairs benchmark failed; BENCHMARKS.md keeps its previous pairs section"
    fi
fi

# Field $2 of a recsmith-bench `name key=value …` line $1.
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

if wants topk; then
    echo "== in-process top-k"
    topk_arguments=(topk --users 20000 --items 10000 --events 1000000 --factors 64 --k 10 --iterations 20000 --seed 1)
    topk_command="recsmith-bench ${topk_arguments[*]}"
    topk=$("$bench" "${topk_arguments[@]}")
    echo "$topk"
    write_section topk "In-process top-k for one user: 10,000 items, 64 factors, k = 10" <<TEXT
\`$topk_command\`: ALS (service defaults) trained on the 1M synthetic events, then
\`Models.recommend\` — what \`Serving\` runs for a known user: one sgemv over the item factors, the user's history
(mean $(field "$topk" history_mean) items) masked, a bounded top-10 selection — timed call by call for $(field "$topk" iterations) calls over
$(field "$topk" users) users in a scattered order, on one thread (OpenBLAS kernels: $(field "$topk" blas_core)).

| measure | µs | target |
|---|---|---|
| median | $(field "$topk" median_us) | ≤ 100 |
| p99 | $(field "$topk" p99_us) | — |
| of which the sgemv alone (median) | $(field "$topk" sgemv_median_us) | — |
TEXT
fi

if wants filter; then
    echo "== filters over a 100,000-item catalogue"
    filter_arguments=(filter --items 100000 --users 20000 --events 1000000 --iterations 2000 --seed 1)
    filter_command="recsmith-bench ${filter_arguments[*]}"
    filter=$("$bench" "${filter_arguments[@]}")
    echo "$filter"
    write_section filter "Filters: one user's top-10 over 100,000 items, with and without a 1% filter" <<TEXT
\`$filter_command\`: ALS (64 factors) on 1M synthetic events over 100,000 items, every item with a record
(categories \`c0\`…\`c99\`, a \`brand\` of 50, a \`price\` of 0…999), then one user's top-10 as \`Serving\` computes it, timed
call by call over $(field "$filter" iterations) calls: unfiltered, then with each filter — parsed, evaluated over the catalogue's
columns into an item mask (posting sets, a dense number column), joined with visibility, applied to the scores before
the top-k cut. Each filtered call must return 10 items.

| request | items passing | median µs | p99 µs | over unfiltered (median) µs | target |
|---|---|---|---|---|---|
| unfiltered | 100000 | $(field "$filter" unfiltered_median_us) | $(field "$filter" unfiltered_p99_us) | — | — |
| \`filter=categories HAS "c7"\` | $(field "$filter" filter1_passing) | $(field "$filter" filter1_median_us) | $(field "$filter" filter1_p99_us) | $(field "$filter" filter1_overhead_median_us) | ≤ 1000 |
| \`filter=labels.price < 10 AND labels.brand != "b3"\` | $(field "$filter" filter2_passing) | $(field "$filter" filter2_median_us) | $(field "$filter" filter2_p99_us) | $(field "$filter" filter2_overhead_median_us) | ≤ 1000 |
TEXT
fi

if wants hnsw; then
    echo "== the HNSW index versus hnswlib"
    if Benchmarks/hnsw.sh > "$work/hnsw.md" && [ -s "$work/hnsw.md" ]; then
        write_section hnsw "Nearest-neighbour index (HNSW) versus hnswlib: recall@10, build, memory, query and load time" <<TEXT
\`Benchmarks/hnsw.sh\`: \`recsmith-bench hnsw\` builds the index on 2 threads (M 16, efConstruction 200, seed 1) over
64-float vectors and answers 1,000 queries one at a time on one thread (top-10 by inner product, timed call by
call); recall@10 is the share of the exact top 10 (sgemm over every item) found, averaged over the queries. Beside it
hnswlib $("$root/.build-venv/bin/pip" show hnswlib 2>/dev/null | sed -n 's/^Version: //p' || true)
(PyPI, built from source with \`-march=native\`) builds its \`ip\` index with the same M, efConstruction, seed and
threads on the same vectors, and answers the same queries with one \`knn_query(num_threads=1)\` call per ef (its
queries/s therefore carry no per-call Python cost; ours is 1 ÷ the mean of the timed calls). Both build a graph on the
inner product itself; the reduction to cosine recalled far less (\`HNSWIndex.swift\`). The machine's 2 cores are
shared with other work: build times and rates move by ±20% between runs, recall does not.

$(cat "$work/hnsw.md")

The head (\`hnsw.head\`, 2,048 longest vectors scanned exactly first, \`NormHead\`): on ALS factors 85–90% of the
queries are answered exactly from it alone (their norms prove no other item can rank), and the rest join the
graph's finds, so recall on the million ALS items stays near 0.99 at every ef where the graph alone (ours or
hnswlib's) falls to 0.66–0.94. On planted clusters no answer is proved from the head (norms are less dominant): it
costs its 2,048 products per query (~40 µs), which weighs most at ef 20, and buys recall (about +0.05 there).

Targets (issue 21): recall at equal ef within 0.01 of hnswlib, build ≤ 1.5× its time, queries/s ≥ 0.8× its
single-thread rate; on the million items, top-10 p99 ≤ 1 ms and recall@10 ≥ 0.95 at the default ef, load ≤ 2 s.

Similar items search a cosine graph over the same ALS factors (the last set): it is harder than the inner product —
no head of long vectors answers it, and many items share a direction (rare items' factors) — for hnswlib as for us.
So \`GET /items/{i}/similar\` searches it at twice \`hnsw.ef\` (the ef-100 row); recall "by score" counts a found item
whose cosine ties the exact 10th as found.
TEXT
    else
        echo "hnsw benchmark failed; BENCHMARKS.md keeps its previous hnsw section"
    fi
fi

if wants content; then
    echo "== the content model"
    # NDCG@10 of each model in an `evaluate --json` file, as "model=value …".
    ndcg() { python3 -c 'import json,sys; print(" ".join("%s=%.4f" % (m["model"], m["metrics"]["10"]["ndcg"]) for m in json.load(open(sys.argv[1]))["models"]))' "$1"; }
    "$binary" generate --users 20000 --items 5000 --events 1000000 --seed 1 --output "$work/catalogue-events.csv" \
        --items-output "$work/catalogue-items.jsonl" > /dev/null
    "$binary" evaluate --data "$work/catalogue-events.csv" --items "$work/catalogue-items.jsonl" --split leave-last-out \
        --models pop,itemknn,als,content --factors 64 --seed 1 --json "$work/catalogue.json" > /dev/null
    synthetic=$(ndcg "$work/catalogue.json")
    echo "synthetic: $synthetic"
    ratio=$(python3 -c "import sys; d=dict(p.split('=') for p in sys.argv[1].split()); print('%.2f' % (float(d['content'])/float(d['pop'])))" "$synthetic")
    movielens_rows="| ml-latest-small | — | — | — | skipped: ml-latest-small is absent (scripts/movielens.sh) |"
    neighbours_row="| share of the 10 content neighbours of a movie sharing a genre with it | skipped: ml-latest-small is absent (scripts/movielens.sh) | ≥ 0.80 |"
    movies=$(movielens_file movies.csv) || movies=""
    movielens=$(movielens_file events.csv) || movielens=""
    if [ -f "$movies" ] && [ -f "$movielens" ]; then
        python3 Benchmarks/peer/movielens_items.py "$movies" > "$work/movies.jsonl"
        movielens_rows=""
        for split in leave-last-out temporal; do
            "$binary" evaluate --data "$movielens" --items "$work/movies.jsonl" --split "$split" \
                --models pop,itemknn,content --factors 64 --seed 1 --json "$work/movielens-$split.json" > /dev/null
            row=$(ndcg "$work/movielens-$split.json")
            echo "ml-latest-small $split: $row"
            movielens_rows+="${movielens_rows:+$'\n'}| ml-latest-small, $split | $(field " $row" pop) | $(field " $row" itemknn) | — | $(field " $row" content) |"
        done
        neighbours=$("$bench" content-neighbours --items "$work/movies.jsonl" --k 10)
        echo "$neighbours"
        neighbours_row="| share of the 10 content neighbours of a movie sharing a genre with it ($(field "$neighbours" subjects) movies) | $(field "$neighbours" share) | ≥ 0.80 |"
    fi
    fit=$("$bench" content-fit --items 100000 --iterations 5 --changes 10 --seed 1)
    echo "$fit"
    write_section content "The content model: quality beside popularity and item-kNN, neighbours, fit and update" <<TEXT
\`recsmith evaluate --split leave-last-out --models pop,itemknn,als,content --factors 64 --seed 1 --items …\` (docs/EVALUATION.md)
on a catalogue with planted category tastes (\`recsmith generate --users 20000 --items 5000 --events 1000000 --seed 1
--items-output …\`: users prefer a few categories, events mix taste with skewed popularity) and on MovieLens latest-small
(genres as categories, titles as text: \`Benchmarks/peer/movielens_items.py\`). NDCG@10:

| data | pop | itemknn | als | content |
|---|---|---|---|---|
| synthetic catalogue | $(field " $synthetic" pop) | $(field " $synthetic" itemknn) | $(field " $synthetic" als) | $(field " $synthetic" content) |
${movielens_rows}

| measure | value | target |
|---|---|---|
| content ÷ pop NDCG@10 on the synthetic catalogue | $ratio | ≥ 1.5 |
${neighbours_row}
| full fit, 100,000 items ($(field "$fit" tokens_per_item) tokens each, $(field "$fit" threads) threads), median ms | $(field "$fit" fit_median_ms) | — |
| update of 10 items between fits, median ms | $(field "$fit" update_10_median_ms) | — |
| one user's scores over 100,000 items (50-item history), median ms | $(field "$fit" score_50_item_history_median_ms) | — |

On MovieLens, genres and titles say little about which movie a user rates next, and content stays below
popularity there; it earns its place on new items (it needs no events) and on catalogues whose categories carry
taste, as the synthetic row shows.
TEXT
fi

if wants snapshot; then
    echo "== reads during training snapshots"
    snapshot_arguments=(snapshot-reads --events 20000000 --users 200000 --items 50000 --seconds 10 --readers 1)
    snapshot_command="recsmith-bench ${snapshot_arguments[*]}"
    snapshot=$("$bench" "${snapshot_arguments[@]}")
    echo "$snapshot"
    quiet=$(grep "phase=without" <<<"$snapshot")
    during=$(grep "phase=during" <<<"$snapshot")
    write_section snapshot "Reads during training snapshots: 20M-event store under ingest" <<TEXT
\`$snapshot_command\`: a store of $(field "$during" events) events, a writer appending 100-event batches through the
group commit, and a reader due to read one user's history (what every recommendation reads) every 200 µs, its
latency counted from when the read was due (so a stall is charged to every read it delays); first 10 s without
snapshots, then 10 s with training snapshots taken back to back ($(field "$during" snapshots), median
$(field "$during" snapshot_median_ms) ms each).

| phase | p50 ms | p99 ms | p99.9 ms | max ms | events ingested |
|---|---|---|---|---|---|
| without snapshots | $(field "$quiet" p50_ms) | $(field "$quiet" p99_ms) | $(field "$quiet" p999_ms) | $(field "$quiet" max_ms) | $(field "$quiet" ingested) |
| during snapshots | $(field "$during" p50_ms) | $(field "$during" p99_ms) | $(field "$during" p999_ms) | $(field "$during" max_ms) | $(field "$during" ingested) |

Before issue 14 the snapshot copied every pair under the read lock, so the writer waiting for the write lock,
and every read queued behind it (the lock prefers writers), waited for the whole copy. The same command with that
code, on 2026-12-04: p50 61.9 ms, p99 131.9 ms, p99.9 138.0 ms during snapshots (0.07 / 0.15 / 1.2 ms without),
and 175,000 events ingested during them instead of 3,071,900 without. Now a snapshot takes only the rows'
references under the lock (copy-on-write) and copies the pairs after releasing it.
TEXT
fi

if wants flops; then
    echo "== ALS flops versus sgemm"
    flops_arguments=(als-flops --users 60000 --items 20000 --events 3000000 --seed 1 --factors 64 --threads 1,2)
    flops_command="recsmith-bench ${flops_arguments[*]}"
    flops=$("$bench" "${flops_arguments[@]}")
    echo "$flops"
    data_line=$(echo "$flops" | grep '^als-data ')
    gflop() { awk -v f="$1" 'BEGIN {printf "%.3f", f / 1e9}'; }
    flops_rows=$(echo "$flops" | grep '^als-flops ' | while read -r line; do
        echo "| $(field "$line" threads) | $(field "$line" iteration_s) | $(gflop "$(field "$data_line" flops_per_iteration)") | $(field "$line" gflops) | $(field "$line" sgemm_gflops) | $(field "$line" ratio) |"
    done)
    write_section flops "ALS iteration: floating-point operations and rate versus sgemm (synthetic 3M)" <<TEXT
\`$flops_command\`: the leave-last-out train matrix that \`recsmith evaluate\` fits in the models section
($(field "$data_line" train_pairs) pairs, $(field "$data_line" users) users × $(field "$data_line" items) items), ALS with its parameters (factors f = 64, CG with
s = $(field "$data_line" cg_steps) steps per solve). An iteration solves every user against the item factors, then every item against the
user factors; per half-iteration with F fixed rows, R solved rows (rows with entries) and nnz entries
(\`Models/ALSFlopCount.swift\`, counted call by call from \`ALSSolver\`; a multiply-add is 2 flops):

    gram     F·f·(f+1) + f                  ssyrk of the fixed factors + λI
    entries  nnz·(4f·(s+1) + s + 3)         G·v and Gᵀ·t over the row's gathered factors, for the initial
                                            residual and each of the s steps; the residual and weights
    rows     R·(2f²·(s+1) + 2f + 10f·s)     (YᵀY + λI)·v per product; dots, axpys and the direction update

Here: gram $(gflop "$(field "$data_line" gram)"), entries $(gflop "$(field "$data_line" entries)"), rows $(gflop "$(field "$data_line" rows)") GFLOP, in all
**$(gflop "$(field "$data_line" flops_per_iteration)") GFLOP per iteration** (an upper bound: a solve whose residual vanishes stops early). The
iteration time is (fit of 15 iterations − fit of 0) / 15, median of 3; sgemm is a 2048×2048×2048 float32
product (median of 5) in the same process, OpenBLAS on one thread per worker, the two-thread case split by rows
over our own workers as the models do.

| threads | ALS iteration s | GFLOP per iteration | ALS GFLOP/s | sgemm GFLOP/s | ALS ÷ sgemm |
|---|---|---|---|---|---|
$flops_rows
TEXT
fi

{
    echo "# Benchmarks"
    echo
    echo "Figures made by \`make bench\` (\`Benchmarks/run.sh\`) on $(nproc) cores, $(uname -m), OpenBLAS"
    echo "$(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null), $(swift --version 2>/dev/null | head -1)."
    echo "Each section names the run that made it: \`BENCH_ONLY=…\` reruns some sections and keeps the others."
    echo "Peers run in the same session on the same machine; ratios are recsmith ÷ peer. The machine is shared"
    echo "and noisy: compare ratios, not absolute figures."
} > "$sections/header.md"
python3 Benchmarks/write_benchmarks.py BENCHMARKS.md "$sections" "${all_sections[@]}"
echo "wrote BENCHMARKS.md"
