#!/usr/bin/env bash
# Explicit ratings versus Surprise (issue 17): `recsmith evaluate --task rating` and Benchmarks/peer/surprise_eval.py
# on the identical h64(user, item) mod 5 folds of ml-latest-small's ratings (Benchmarks/movielens-path.sh; skipped when absent).
#
#   Benchmarks/ratings.sh [--table-out FILE] [--keep DIR]
#
# mf (SGD) and Surprise's SVD(biased=True) run with the same settings (100 factors, 20 epochs, lr 0.005, reg 0.02,
# init N(0, 0.1), seed 1); mf-als and baseline (mf with 0 factors, ALS) with Recsmith's defaults, BaselineOnly
# with Surprise's; mlp (the MLP with the rating objective, issue 23) with Recsmith's defaults beside Surprise's SVD
# (Rendle et al. 2020 find a tuned dot product beats an MLP), with the weight decay its rating objective needs (3; the
# default 1 suits ranking). Prints a Markdown table on stdout (and into --table-out). Each command is bounded by
# `timeout` (RATINGS_TIMEOUT seconds, default 600); the run takes under a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/movielens-path.sh
root=$(pwd)
table_out=""
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --table-out) table_out=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) echo "usage: $0 [--table-out FILE] [--keep DIR]" >&2; exit 2 ;;
    esac
done
limit=${RATINGS_TIMEOUT:-600}
binary="$root/.build/release/recsmith"
python="$root/.build-venv/bin/python"
data=$(movielens_file events.csv) || { echo "ratings: skipped: $(movielens_skip events.csv)" >&2; exit 0; }
if [ -n "$keep" ]; then mkdir -p "$keep"; work=$(cd "$keep" && pwd); else work=$(mktemp -d /tmp/recsmith-ratings.XXXXXX); trap 'rm -rf "$work"' EXIT; fi
if [ ! -x "$binary" ]; then
    timeout "$limit" flock /tmp/recsmith-build.lock swift build -c release --product recsmith
fi
"$root/Benchmarks/peer/install.sh" "$root/.build-venv"

echo "== recsmith evaluate --task rating" >&2
timeout "$limit" "$binary" evaluate --task rating --data "$data" --folds 5 --models mf,mf-als,baseline,mlp --seed 1 \
    --set mlp.weight_decay=3 \
    --json "$work/recsmith.json" > "$work/recsmith.txt" 2> "$work/recsmith.log"
echo "== Surprise" >&2
timeout "$limit" "$python" Benchmarks/peer/surprise_eval.py --data "$data" --folds 5 --models svd,baseline --seed 1 \
    --json "$work/surprise.json" > "$work/surprise.txt" 2> "$work/surprise.log"

python3 - "$work/recsmith.json" "$work/surprise.json" <<'PYTHON' | tee ${table_out:+"$table_out"}
import json, sys
ours = {m["model"]: m for m in json.load(open(sys.argv[1]))["models"]}
peer = {m["model"]: m for m in json.load(open(sys.argv[2]))["models"]}
split = json.load(open(sys.argv[1]))["split"]
print(f"ml-latest-small, {split['ratings']:,} ratings ({split['users']} users, {split['items']:,} items), 5 folds by "
      "`h64(user, item) mod 5` (the same pairs on both sides; test pairs whose user or item is not in train are "
      "predicted from the known biases on both). Means over the folds; fit seconds are wall time of one fit.")
print()
print("| model | RMSE | MAE | fit s | peer | peer RMSE | peer MAE | peer fit s | fit ratio |")
print("|---|---|---|---|---|---|---|---|---|")
rows = [("mf", "svd", "SVD(biased=True)"), ("mf-als", "svd", "SVD(biased=True)"), ("baseline", "baseline", "BaselineOnly"),
        ("mlp", "svd", "SVD(biased=True)")]
for name, peer_name, label in rows:
    a, b = ours[name], peer[peer_name]
    print(f"| {name} | {a['rmse']:.4f} | {a['mae']:.4f} | {a['fit_s']:.3f} | Surprise {label} | {b['rmse']:.4f} | "
          f"{b['mae']:.4f} | {b['fit_s']:.3f} | {a['fit_s'] / b['fit_s']:.2f}× |")
params = lambda m: ", ".join(f"{k} {v}" for k, v in m["parameters"].items())
print()
for name in ("mf", "mf-als", "baseline", "mlp"):
    print(f"- `{name}`: {params(ours[name])}.")
for name in ("svd", "baseline"):
    print(f"- Surprise `{name}`: {params(peer[name])}.")
PYTHON
