#!/usr/bin/env python3
"""Puts `recsmith evaluate --json` and the peers' results (`implicit_eval.py --json`, `closed_form_eval.py --json`)
side by side as a Markdown table.

    compare.py --pair LABEL RECSMITH_JSON PEER_JSON [PEER_JSON …] [--pair …]
               [--check-pair LABEL RECSMITH_JSON PEER_JSON] [--reference LABEL …] [--strict]

Per model: the peer that ran it (implicit, or numpy / scikit-learn for ease / svd), NDCG@10 and Recall@10 of both,
fit seconds of both, the NDCG ratio (recsmith ÷ peer), the fit speed-up (peer ÷ recsmith) and PASS/FAIL against
the targets: NDCG@10 ≥ 0.98× the peer for every model except ease, which must be within ±1% of its closed form
(issues 6 and 16); fit time ≤ 1.0× the peer for als, bpr, itemknn, ease and svd. Per dataset: whether every
peer's split fingerprints agree with recsmith's and the deterministic pop/trending metrics agree. A `--check-pair` only gets that agreement line, no table rows (e.g. a
temporal run of pop and trending). `--reference LABEL` also checks both sides of that dataset against the
docs/EVALUATION.md §7 values. `--strict` exits 1 when a target fails or the splits differ (default: exit 0).
"""

import argparse
import json
import math
import sys

from implicit_eval import reference_mismatches

NDCG_TARGET = 0.98
# EASE is a closed form: both sides compute the same B, so its NDCG must agree, not merely keep up.
NDCG_BANDS = {"ease": (0.99, 1.01)}
FIT_TARGET_MODELS = ("als", "bpr", "itemknn", "ease", "svd")
PEERS = {"ease": "numpy", "svd": "scikit-learn"}
DETERMINISTIC_MODELS = ("pop", "trending")
K = "10"

def load(path):
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    if report.get("protocol") not in ("recsmith-eval-v1", "recsmith-eval-v2"):
        raise SystemExit(f"{path}: not a recsmith-eval-v1 or -v2 result")
    return report


def by_model(report):
    return {entry["model"]: entry for entry in report["models"]}


def ratio(numerator, denominator):
    if denominator == 0:
        return math.inf if numerator > 0 else math.nan
    return numerator / denominator


def seconds(value):
    return f"{value:.3f}" if value >= 0.01 else f"{value:.4f}"


def ndcg_target(model):
    if model in NDCG_BANDS:
        low, high = NDCG_BANDS[model]
        return f"NDCG {low}–{high}×"
    return f"NDCG ≥ {NDCG_TARGET}×"


def verdict(model, ndcg_ratio, speed_up):
    failed = []
    low, high = NDCG_BANDS.get(model, (NDCG_TARGET, math.inf))
    if not low <= ndcg_ratio <= high:
        failed.append("NDCG")
    if model in FIT_TARGET_MODELS and not speed_up >= 1.0:
        failed.append("fit")
    return "PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"


def compare(pairs, reference_labels):
    rows = ["| dataset | model | peer | NDCG@10 recsmith | NDCG@10 peer | NDCG ratio | Recall@10 recsmith "
            "| Recall@10 peer | fit s recsmith | fit s peer | fit speed-up | target | result |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    notes, failures = [], 0
    for label, ours_path, peer_paths, in_table in pairs:
        ours, peers = load(ours_path), [load(path) for path in peer_paths]
        peer = peers[0]
        ours_models = by_model(ours)
        peer_models = {name: entry for report in peers for name, entry in by_model(report).items()}
        for name in [entry["model"] for report in peers for entry in report["models"]] if in_table else []:
            if name not in ours_models:
                rows.append(f"| {label} | {name} | {PEERS.get(name, 'implicit')} | — | | | | | | | | | "
                            "missing on the recsmith side |")
                failures += 1
                continue
            mine, theirs = ours_models[name], peer_models[name]
            mine_k, theirs_k = mine["metrics"][K], theirs["metrics"][K]
            ndcg_ratio = ratio(mine_k["ndcg"], theirs_k["ndcg"])
            speed_up = ratio(theirs["fit_s"], mine["fit_s"])
            target = ndcg_target(name) + (", fit ≤ 1.0×" if name in FIT_TARGET_MODELS else "")
            result = verdict(name, ndcg_ratio, speed_up)
            failures += result != "PASS"
            rows.append(f"| {label} | {name} | {PEERS.get(name, 'implicit')} | {mine_k['ndcg']:.4f} | {theirs_k['ndcg']:.4f} | {ndcg_ratio:.3f} "
                        f"| {mine_k['recall']:.4f} | {theirs_k['recall']:.4f} | {seconds(mine['fit_s'])} "
                        f"| {seconds(theirs['fit_s'])} | {speed_up:.2f}× | {target} | {result} |")

        split = ours["split"]
        differing_peer = next((report for report in peers if report["split"] != split), None)
        peer_split = (differing_peer or peer)["split"]
        same_split = differing_peer is None
        failures += not same_split
        fingerprint = (f"train `{split['fingerprint_train_sha256'][:16]}…`, "
                       f"test `{split['fingerprint_test_sha256'][:16]}…`")
        if same_split:
            split_text = f"split fingerprints **identical** ({fingerprint})"
        else:
            differing = sorted(key for key in set(split) | set(peer_split) if split.get(key) != peer_split.get(key))
            split_text = (f"split **DIFFERS** in {', '.join(differing)} (recsmith {fingerprint}; a peer's "
                          f"train `{peer_split['fingerprint_train_sha256'][:16]}…`, "
                          f"test `{peer_split['fingerprint_test_sha256'][:16]}…`)")
        exact = [name for name in DETERMINISTIC_MODELS if name in ours_models and name in peer_models]
        differing = [name for name in exact if ours_models[name]["metrics"] != peer_models[name]["metrics"]]
        exact_text = ("pop/trending metrics identical to every digit" if not differing
                      else "metrics of " + ", ".join(differing) + " differ (they should agree to every digit)")
        notes.append(f"- **{label}**, {split['kind']}: {split['train_pairs']:,} train pairs, "
                     f"{split['train_users']:,} users × {split['train_items']:,} items, "
                     f"{split['test_users']:,} test users; {split_text}; {exact_text}.")
        if label in reference_labels:
            for side, report in (("recsmith", ours), ("implicit peer", peers[0])):
                mismatches = reference_mismatches(report)
                failures += bool(mismatches)
                notes.append(f"  - docs/EVALUATION.md §7 reference values ({side}): "
                             + ("reproduced" if not mismatches else "NOT reproduced: " + "; ".join(mismatches)))
    return "\n".join(rows + [""] + notes), failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", nargs="+", action="append", required=True,
                        metavar="LABEL RECSMITH_JSON PEER_JSON", help="a dataset: its label, recsmith's and the peers' results")
    parser.add_argument("--check-pair", nargs=3, action="append", default=[],
                        metavar=("LABEL", "RECSMITH_JSON", "IMPLICIT_JSON"),
                        help="compare splits and pop/trending only, without table rows")
    parser.add_argument("--reference", metavar="LABEL", action="append", default=[],
                        help="check this dataset against docs/EVALUATION.md §7 (repeatable)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails or the splits differ")
    args = parser.parse_args(argv)
    if any(len(pair) < 3 for pair in args.pair):
        parser.error("--pair takes LABEL RECSMITH_JSON PEER_JSON [PEER_JSON …]")
    pairs = ([(pair[0], pair[1], pair[2:], True) for pair in args.pair]
             + [(label, ours, [peer], False) for label, ours, peer in args.check_pair])
    table, failures = compare(pairs, args.reference)
    print(table)
    return 1 if args.strict and failures else 0


if __name__ == "__main__":
    sys.exit(main())
