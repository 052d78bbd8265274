#!/usr/bin/env python3
"""Peer of `recsmith evaluate --task rating` (docs/EVALUATION.md §9): Surprise on the identical folds.

Reads the ratings (`user,item,timestamp,weight` CSV; duplicates keep the row with the largest timestamp, ties the
last in file order), puts each pair in fold `h64(user, item) mod F` (h64: SHA-256 of the UTF-8 fields joined by
0x1F, first 8 bytes big-endian — Evaluation/StableHash.swift), and for every fold fits on the others and predicts
the fold with

- `svd`: `SVD(biased=True)` with Recsmith mf's settings (default Surprise's: 100 factors, 20 epochs, lr 0.005,
  reg 0.02, init N(0, 0.1)),
- `baseline`: `BaselineOnly()` (ALS, Surprise's defaults: 10 epochs, reg_u 15, reg_i 10).

Predictions are clipped to the train fold's rating range (Surprise's default `clip=True`, the range given to its
`Reader`), as Recsmith clips to its training range. Prints one line per model and writes the same JSON shape as
`recsmith evaluate --task rating --json`.

    surprise_eval.py --data events.csv [--folds 5] [--models svd,baseline] [--factors 100] [--epochs 20]
                     [--lr 0.005] [--reg 0.02] [--init-std 0.1] [--seed 1] [--json out.json]
"""

import argparse
import csv
import hashlib
import json
import math
import sys
import time

from surprise import SVD, BaselineOnly, Dataset, Reader

MODELS = ("svd", "baseline")


def h64(*fields):
    digest = hashlib.sha256(b"\x1f".join(field.encode("utf-8") for field in fields)).digest()
    return int.from_bytes(digest[:8], "big")


def load_ratings(path):
    """Latest rating per (user, item): largest timestamp, ties to the last row; ids verbatim."""
    latest = {}
    with open(path, "r", encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, strict=True)
        header = [name.strip().lower() for name in next(reader)]
        columns = {name: header.index(name) for name in ("user", "item", "timestamp", "weight") if name in header}
        if len(columns) != 4:
            raise SystemExit(f"{path}: needs columns user, item, timestamp, weight; header is {header}")
        for line, record in enumerate(reader, start=2):
            if not record:
                continue
            user, item = record[columns["user"]], record[columns["item"]]
            timestamp, rating = float(record[columns["timestamp"]]), float(record[columns["weight"]])
            previous = latest.get((user, item))
            if previous is None or timestamp >= previous[0]:
                latest[(user, item)] = (timestamp, rating)
    return [(user, item, rating) for (user, item), (_, rating) in latest.items()]


def make_model(name, args):
    if name == "svd":
        return SVD(n_factors=args.factors, n_epochs=args.epochs, biased=True, lr_all=args.lr, reg_all=args.reg,
                   init_mean=0, init_std_dev=args.init_std, random_state=args.seed)
    return BaselineOnly(verbose=False)


def evaluate_fold(name, args, train, test, fold):
    scale = (min(rating for _, _, rating in train), max(rating for _, _, rating in train))
    trainset = Dataset(Reader(rating_scale=scale)).construct_trainset([(user, item, rating, None)
                                                                        for user, item, rating in train])
    model = make_model(name, args)
    started = time.perf_counter()
    model.fit(trainset)
    fit_seconds = time.perf_counter() - started
    known_users = {user for user, _, _ in train}
    known_items = {item for _, item, _ in train}
    squared = absolute = 0.0
    unknown = 0
    for user, item, rating in test:
        prediction = model.predict(user, item, r_ui=rating)
        if user not in known_users or item not in known_items:
            unknown += 1
        error = prediction.est - rating
        squared += error * error
        absolute += abs(error)
    count = max(1, len(test))
    return {"fold": fold, "train": len(train), "test": len(test), "unknown": unknown,
            "rmse": math.sqrt(squared / count), "mae": absolute / count, "fit_s": fit_seconds}


def parameters(name, args):
    if name == "svd":
        return {"solver": "sgd", "factors": args.factors, "epochs": args.epochs, "learning_rate": args.lr,
                "regularization": args.reg, "init_std": args.init_std}
    return {"solver": "als", "factors": 0, "iterations": 10, "reg_u": 15, "reg_i": 10}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--factors", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--reg", type=float, default=0.02)
    parser.add_argument("--init-std", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    for name in models:
        if name not in MODELS:
            raise SystemExit(f"unknown model {name!r} (known: {', '.join(MODELS)})")
    if args.folds < 2:
        raise SystemExit("--folds must be at least 2")

    ratings = load_ratings(args.data)
    folds = [h64(user, item) % args.folds for user, item, _ in ratings]
    print(f"[surprise] {len(ratings)} ratings, {args.folds} folds", file=sys.stderr)
    results = []
    for name in models:
        fold_results = []
        for fold in range(args.folds):
            train = [rating for rating, f in zip(ratings, folds) if f != fold]
            test = [rating for rating, f in zip(ratings, folds) if f == fold]
            result = evaluate_fold(name, args, train, test, fold)
            print(f"[surprise] {name} fold {fold}: rmse {result['rmse']:.4f}, mae {result['mae']:.4f}, "
                  f"fit {result['fit_s']:.3f} s", file=sys.stderr)
            fold_results.append(result)

        def mean(key):
            return sum(result[key] for result in fold_results) / len(fold_results)

        results.append({"model": name, "parameters": parameters(name, args), "rmse": mean("rmse"),
                        "mae": mean("mae"), "fit_s": mean("fit_s"), "folds": fold_results})
        print(f"{name:<10}{mean('rmse'):.4f}  {mean('mae'):.4f}  {mean('fit_s'):.3f}")
    report = {"protocol": "recsmith-eval-v2", "task": "rating", "peer": "surprise",
              "split": {"kind": "random", "folds": args.folds, "ratings": len(ratings),
                        "users": len({user for user, _, _ in ratings}), "items": len({item for _, item, _ in ratings})},
              "seed": args.seed, "models": results}
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)


if __name__ == "__main__":
    main()
