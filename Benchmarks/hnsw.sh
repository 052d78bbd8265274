#!/usr/bin/env bash
# The HNSW index (issue 21) beside hnswlib: build, memory, recall@10 against exact search, query time, load.
#
#   Benchmarks/hnsw.sh [--keep DIR]
#
# Four sets of 64-float vectors: ALS item factors of 100,000 items trained on 1,000,000 synthetic events and
# of 1,000,000 items trained on 5,000,000 (what the service indexes; queries: 1,000 users' factors, seen items their
# histories), 1,000,000 random vectors with planted clusters (longest vectors less dominant), and the 100,000 ALS
# item factors again as similar items (`--task similar`: a cosine index over the unit vectors, queries the items'
# own vectors, each excluding itself; hnswlib's `ip` space on the same unit vectors is its `cosine` space). For
# each, `recsmith-bench hnsw` builds the index on
# 2 threads (M 16, efConstruction 200), measures recall@10 against exact search and one-thread query time at several
# ef, with seen items excluded and with a 1% filter, saves and maps it back; then Benchmarks/peer/hnswlib_eval.py
# builds hnswlib's `ip` index with the same M, efConstruction and threads on the same vectors (the files
# recsmith-bench wrote) and answers the same queries at the same ef. Prints the Markdown of BENCHMARKS.md on stdout.
# Every command is bounded by `timeout` (HNSW_TIMEOUT seconds each, default 1800); the whole run takes about
# fifteen minutes on 2 cores, most of it the four million-item builds. Needs the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench="$root/.build/release/recsmith-bench"
python="$root/.build-venv/bin/python"
limit=${HNSW_TIMEOUT:-1800}
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=$2; shift 2 ;;
        *) echo "usage: $0 [--keep DIR]" >&2; exit 2 ;;
    esac
done
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
[ -x "$bench" ] || { echo "build first: swift build -c release" >&2; exit 1; }
peer=yes
PEER_INSTALL_TIMEOUT=$limit Benchmarks/peer/install.sh "$root/.build-venv" >&2 || peer=""

widths=20,50,100,200
run_set() { # name, recsmith-bench arguments…
    local name=$1
    shift
    mkdir -p "$work/$name"
    timeout "$limit" "$bench" hnsw "$@" --widths "$widths" --threads 2 --seed 1 --work "$work/$name" | tee "$work/$name.txt" >&2
    if [ -n "$peer" ]; then
        timeout "$limit" "$python" Benchmarks/peer/hnswlib_eval.py --work "$work/$name" --dimension 64 --k 10 \
            --neighbours 16 --construction-width 200 --widths "$widths" --threads 2 --seed 1 | tee -a "$work/$name.txt" >&2
    fi
    rm -f "$work/$name"/*.f32 "$work/$name"/*.i32 "$work/$name"/index.*
}
run_set als --data als --items 100000 --users 20000 --events 1000000
run_set als1m --data als --items 1000000 --users 200000 --events 5000000
run_set clusters --data clusters --items 1000000
run_set similar --data als --task similar --items 100000 --users 20000 --events 1000000

python3 - "$work" als als1m clusters similar <<'PY'
import re, sys

work, names = sys.argv[1], sys.argv[2:]
titles = {"als": "100,000 items, ALS factors", "als1m": "1,000,000 items, ALS factors",
          "clusters": "1,000,000 items, planted clusters",
          "similar": "Similar items: 100,000 items, ALS factors, cosine"}


def lines(name):
    """The `name key=value …` lines of one set, by name (searches by width)."""
    found = {}
    for line in open(f"{work}/{name}.txt"):
        head, _, rest = line.strip().partition(" ")
        fields = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', rest))
        fields = {key: value.strip('"') for key, value in fields.items()}
        key = (head, fields["width"]) if head in ("hnsw-search", "hnswlib-search") else head
        found[key] = fields
    return found


def ratio(ours, theirs, invert=False):
    if theirs is None:
        return "—"
    a, b = float(ours), float(theirs)
    return f"{(b / a if invert else a / b):.2f}×"


for name in names:
    f = lines(name)
    data, build, load = f["hnsw-data"], f["hnsw-build"], f["hnsw-load"]
    peer_build = f.get("hnswlib-build")
    print(f"**{titles[name]}**: {data['summary']}.")
    print()
    print("| ef | recsmith recall@10 | hnswlib recall@10 | difference | recsmith queries/s | hnswlib queries/s | ratio | recsmith median µs | recsmith p99 µs | items scored per query | exact from the head |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    widths = sorted({int(key[1]) for key in f if isinstance(key, tuple)})
    for width in widths:
        ours, theirs = f.get(("hnsw-search", str(width))), f.get(("hnswlib-search", str(width)))
        if ours is None:
            continue
        peer_recall = theirs["recall"] if theirs else "—"
        difference = f"{float(ours['recall']) - float(theirs['recall']):+.4f}" if theirs else "—"
        print(f"| {width} | {ours['recall']} | {peer_recall} | {difference} | {ours['qps']} | "
              f"{theirs['qps'] if theirs else '—'} | {ratio(ours['qps'], theirs['qps'] if theirs else None)} | "
              f"{ours['median_us']} | {ours['p99_us']} | {ours['evaluations_mean']} | "
              f"{int(ours['bounded']) / int(data['queries']):.0%} |")
    print()
    seen, filtered, exact = f["hnsw-seen"], f["hnsw-filter"], f["hnsw-exact"]
    print("| measure | recsmith | hnswlib | recsmith ÷ hnswlib |")
    print("|---|---|---|---|")
    print(f"| build, 2 threads, s | {build['seconds']} | {peer_build['seconds'] if peer_build else '—'} | "
          f"{ratio(build['seconds'], peer_build['seconds'] if peer_build else None)} |")
    print(f"| memory, bytes per item (index file ÷ items) | {build['bytes_per_item']} | "
          f"{peer_build['bytes_per_item'] if peer_build else '—'} | "
          f"{ratio(build['bytes_per_item'], peer_build['bytes_per_item'] if peer_build else None)} |")
    print(f"| load from disk: map and check every byte (file in the page cache), s | {load['seconds']} "
          f"({int(load['bytes']) / 1e6:.0f} MB; answers as built: {load['same_answers']}) | — | — |")
    default = seen["width"]
    print(f"| top-10 at the default ef {default}, seen items excluded: recall@10 (by score, ties counted), median / p99 µs | "
          f"{seen['recall']} ({seen['recall_by_score']}), {seen['median_us']} / {seen['p99_us']} | — | — |")
    print(f"| top-10 at ef {default} with a filter passing 1% (`id mod 100 = 7`): recall@10, median / p99 µs, "
          f"exact fallbacks | {filtered['recall']}, {filtered['median_us']} / {filtered['p99_us']}, "
          f"{filtered['fallbacks']} of {data['queries']} | — | — |")
    print(f"| exact top-10 without the index (sgemv over every item + top-k): median / p99 µs | "
          f"{exact['median_us']} / {exact['p99_us']} | — | — |")
    print()
kernel = lines(names[0]).get("hnsw-kernel")
if kernel:
    print(f"Distance kernel, ns per 64-float inner product in cache: recsmith's SIMD16 {kernel['simd16_ns']}, "
          f"`VectorKernels.dot` (SIMD8) {kernel['simd8_ns']}, OpenBLAS `sdot` {kernel['sdot_ns']}.")
PY
