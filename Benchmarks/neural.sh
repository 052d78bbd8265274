#!/usr/bin/env bash
# The neural and sequence models (issue 23) beside the models they must beat, leave-last-out (recsmith-eval-v1):
#   1. ml-latest-small (Benchmarks/movielens-path.sh; skipped when absent): pop, als, ease, markov, autoencoder,
#      sequence, mlp — NDCG@10 and fit seconds; the autoencoder with the full softmax against negative sampling;
#      autoencoder and ALS over seeds 1-5 (mean ± sd);
#   2. a sequential synthetic set whose successors depend on the last two items (`generate --sequence-share 0.5
#      --successor-tiers 4`: half the time the next item is one of the previous item's successors for the tier of
#      the item before it): pop, als, ease, autoencoder, markov, sequence, and sequence's ratio to markov and to
#      the best non-sequential model (target ≥ 1.2 each); then pop, als, ease, markov, sequence on the first-order
#      set (`--sequence-share 0.5` alone: successors of the previous item only, which markov's table holds exactly);
#   3. fit time of each on the 3M synthetic set Benchmarks/models.sh uses (target ≤ 5 minutes on the 2 cores).
# Prints Markdown tables. Needs the release build.
#   Benchmarks/neural.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/recsmith}
work=$(mktemp -d /tmp/recsmith-neural.XXXXXX)
trap 'rm -rf "$work"' EXIT
. Benchmarks/movielens-path.sh

# Rows "| model | NDCG@10 | fit s |" of an `evaluate --json` file (mean ± sd when it ran seeds).
rows() {
    python3 - "$1" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["models"]:
    ndcg = m["metrics"]["10"]["ndcg"]
    sd = m.get("metrics_sd", {}).get("10", {}).get("ndcg")
    value = f"{ndcg:.4f} ± {sd:.4f}" if sd is not None else f"{ndcg:.4f}"
    print(f"| {m['model']} | {value} | {m['fit_s']:.1f} |")
PY
}
evaluate() { "$binary" evaluate --split leave-last-out --k 10 "$@" > /dev/null; }

# "sequence ÷ markov = …, ÷ best non-sequential (name) = …" from an `evaluate --json` file.
ratios() {
    python3 - "$1" <<'PY'
import json, sys
ndcg = {m["model"]: m["metrics"]["10"]["ndcg"] for m in json.load(open(sys.argv[1]))["models"]}
best = max((name for name in ndcg if name not in ("markov", "sequence")), key=ndcg.get)
print(f"sequence ÷ markov = {ndcg['sequence'] / ndcg['markov']:.2f}, "
      f"÷ best non-sequential ({best}) = {ndcg['sequence'] / ndcg[best]:.2f} (target ≥ 1.2 each)")
PY
}

movielens=$(movielens_file events.csv) || movielens=""
if [ -f "$movielens" ]; then
    evaluate --data "$movielens" --models pop,als,ease,markov,autoencoder,sequence,mlp --seed 1 --json "$work/ml.json"
    evaluate --data "$movielens" --models autoencoder --set autoencoder.full_softmax_items=0 --seed 1 --json "$work/ml-sampled.json"
    evaluate --data "$movielens" --models als,autoencoder --seeds 1-5 --json "$work/ml-seeds.json"
    echo "ml-latest-small (610 users, 9,724 items), seed 1:"
    echo
    echo "| model | NDCG@10 | fit s |"
    echo "|---|---|---|"
    rows "$work/ml.json"
    rows "$work/ml-sampled.json" | sed 's/^| autoencoder |/| autoencoder, negative sampling (full_softmax_items=0) |/'
    echo
    echo "Seeds 1-5, mean ± sample sd:"
    echo
    echo "| model | NDCG@10 | fit s |"
    echo "|---|---|---|"
    rows "$work/ml-seeds.json"
    echo
else
    echo "ml-latest-small skipped: $(movielens_skip events.csv)"
    echo
fi

sequential="--users 20000 --items 2000 --events 1000000 --sequence-share 0.5"
# shellcheck disable=SC2086  # $sequential is a list of flags
"$binary" generate $sequential --successor-tiers 4 --seed 1 --output "$work/sequential.csv" > /dev/null
evaluate --data "$work/sequential.csv" --models pop,als,ease,autoencoder,markov,sequence --seed 1 --json "$work/sequential.json"
echo "Sequential synthetic set, successors by the last two items (\`generate $sequential --successor-tiers 4 --seed 1\`):"
echo
echo "| model | NDCG@10 | fit s |"
echo "|---|---|---|"
rows "$work/sequential.json"
echo
ratios "$work/sequential.json"
echo
# shellcheck disable=SC2086
"$binary" generate $sequential --seed 1 --output "$work/first-order.csv" > /dev/null
evaluate --data "$work/first-order.csv" --models pop,als,ease,markov,sequence --seed 1 --json "$work/first-order.json"
echo "First-order sequential set, successors by the previous item alone (\`generate $sequential --seed 1\`):"
echo
echo "| model | NDCG@10 | fit s |"
echo "|---|---|---|"
rows "$work/first-order.json"
echo

"$binary" generate --users 60000 --items 20000 --events 3000000 --seed 1 --output "$work/3m.csv" > /dev/null
evaluate --data "$work/3m.csv" --models pop,als,markov,autoencoder,sequence,mlp --seed 1 --json "$work/3m.json"
echo "3M synthetic set (\`generate --users 60000 --items 20000 --events 3000000 --seed 1\`), fit on the 2 cores:"
echo
echo "| model | NDCG@10 | fit s |"
echo "|---|---|---|"
rows "$work/3m.json"
