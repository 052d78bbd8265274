#!/usr/bin/env bash
# Pair MF on item relations (issue 17, docs/EVALUATION.md §9 --task pairs): AUC-ROC and learning curves.
#
#   Benchmarks/pairs.sh [--keep DIR]
#
# Three relation sets: synthetic relations with planted clusters (`recsmith generate --items 5000 --events 0
# --relations-output …`: 20 clusters, 5 relations per item, 5% or 10% to random items, seed 1) and bought_together
# relations derived from ml-latest-small (`recsmith relations derive --window 1h --min-users 3`; skipped when
# Benchmarks/movielens-path.sh does not find it). On each, `recsmith evaluate --task pairs --curve` fits pairmf
# with and without item biases (factors 32, the other pair MF defaults, seed 1) and prints the AUC per epoch; the
# Markdown table of BENCHMARKS.md goes to stdout. Needs the release build (`swift build -c release`).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/movielens-path.sh
root=$(pwd)
binary="$root/.build/release/recsmith"
movielens=$(movielens_file events.csv) || movielens=""
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
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 1; }

for noise in 5 10; do
    "$binary" generate --items 5000 --events 0 --relation-clusters 20 --relations-per-item 5 \
        --relation-noise "0.$(printf '%02d' "$noise")" --seed 1 --relations-output "$work/synthetic-$noise.csv" > /dev/null
done
sets=(synthetic-5 synthetic-10)
if [ -f "$movielens" ]; then
    "$binary" relations derive --data "$movielens" --window 1h --min-users 3 --output "$work/movielens.csv" >&2
    sets+=(movielens)
else
    echo "skipping ml-latest-small: $(movielens_skip events.csv)" >&2
fi
for set in "${sets[@]}"; do
    timeout 1800 "$binary" evaluate --task pairs --relations "$work/$set.csv" --factors 32 --seed 1 --curve \
        --json "$work/$set.json" > "$work/$set.txt" 2> "$work/$set.log"
done
python3 - "$work" "${sets[@]}" <<'PY'
import json, sys
work, sets = sys.argv[1], sys.argv[2:]
labels = {"synthetic-5": "synthetic, 5% noise", "synthetic-10": "synthetic, 10% noise", "movielens": "ml-latest-small, derived"}
print("| relations | items | train pairs | held out (from items) | model | AUC | fit s | AUC after epoch 1, 2, 5, 10, 20, 30 |")
print("|---|---|---|---|---|---|---|---|")
for name in sets:
    report = json.load(open(f"{work}/{name}.json"))
    split = report["split"]
    for model in report["models"]:
        curve = {point["epoch"]: point["metric"] for point in model.get("curve", [])}
        points = ", ".join(f"{curve[e]:.3f}" for e in (1, 2, 5, 10, 20, 30) if e in curve)
        print(f"| {labels[name]} | {split['items']} | {split['train_pairs']} | {split['held_out']} ({split['from_items']}) | "
              f"{model['model']} | {model['metrics']['auc']:.4f} | {model['fit_s']:.1f} | {points} |")
PY
