#!/usr/bin/env python3
"""NDCG@10 over several seeds for both sides: mean ± standard deviation and the ratio of means.

    seed_means.py --label LABEL --recsmith A.json [A2.json …] --peer B.json [B2.json …]
                  [--same-start C.json [C2.json …]] [--rows-only]

On a small test set one seed's NDCG moves by several percent with the random start alone, so a ratio target
(0.98×) is judged on means over seeds. The peer files may come from several peers (implicit_eval.py for als and
bpr, closed_form_eval.py for svd); each model is matched by name. The 95% interval of the ratio comes from the delta method on the two
independent means. Result: PASS when the ratio of means is ≥ 0.98, "within noise" when only the interval
reaches 0.98, FAIL otherwise. `--same-start` adds implicit's NDCG when it starts from exactly Recsmith's
factors (`implicit_eval.py --start recsmith`, ALS only): equal means there show that a gap comes from the
random draws, not the algorithm. `--rows-only` leaves out the table's header, to append rows to a table.
"""

import argparse
import json
import math
import statistics

TARGET = 0.98


def ndcg_by_model(paths):
    values = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        for entry in report["models"]:
            values.setdefault(entry["model"], []).append(entry["metrics"]["10"]["ndcg"])
    return values


def summary(values):
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return mean, sd, sd / math.sqrt(len(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True)
    parser.add_argument("--recsmith", nargs="+", required=True)
    parser.add_argument("--peer", "--implicit", dest="implicit", nargs="+", required=True)
    parser.add_argument("--same-start", nargs="+", default=[])
    parser.add_argument("--rows-only", action="store_true")
    arguments = parser.parse_args()
    ours, theirs = ndcg_by_model(arguments.recsmith), ndcg_by_model(arguments.implicit)
    same_start = ndcg_by_model(arguments.same_start)
    if not arguments.rows_only:
        print("| dataset | model | seeds | NDCG@10 recsmith mean ± sd | NDCG@10 peer mean ± sd | ratio of means "
              "| 95% interval | result | implicit from Recsmith's start, mean ± sd |")
        print("|---|---|---|---|---|---|---|---|---|")
    for model in sorted(set(ours) & set(theirs)):
        mean_a, sd_a, se_a = summary(ours[model])
        mean_b, sd_b, se_b = summary(theirs[model])
        ratio = mean_a / mean_b
        spread = 1.96 * ratio * math.sqrt((se_a / mean_a) ** 2 + (se_b / mean_b) ** 2)
        low, high = ratio - spread, ratio + spread
        result = "PASS" if ratio >= TARGET else ("within noise" if high >= TARGET else "FAIL")
        if model in same_start:
            mean_c, sd_c, _ = summary(same_start[model])
            same = f"{mean_c:.4f} ± {sd_c:.4f} ({mean_a / mean_c:.3f}×)"
        else:
            same = "—"
        print(f"| {arguments.label} | {model} | {len(ours[model])} | {mean_a:.4f} ± {sd_a:.4f} | {mean_b:.4f} ± {sd_b:.4f} "
              f"| {ratio:.3f} | {low:.3f}–{high:.3f} | {result} | {same} |")


if __name__ == "__main__":
    main()
