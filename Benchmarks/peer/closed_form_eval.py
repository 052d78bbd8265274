#!/usr/bin/env python3
"""Peer of `recsmith evaluate` for `ease` and `svd`: the protocol `recsmith-eval-v1` (docs/EVALUATION.md).

Reads and splits the events exactly as implicit_eval.py does (the same functions), fits

- `ease`: Steck's NumPy closed form (float64, as his reference code): G = XᵀX + λI over the same covered items
  (the `max_items` most-interacted, ties by smaller index), P = np.linalg.inv(G), B = P / −diag(P), diag(B) = 0;
  scores = X_u·B.
- `svd`: scikit-learn's `TruncatedSVD(algorithm="randomized")` with the same k, power iterations, oversamples,
  QR re-orthonormalisation and seed; user factors U = fit_transform(X)/Σ, item factors V·Σ; scores = U_u·(V·Σ)ᵀ.

scores every test user (train items masked, ties by smaller item index), computes the §5 metrics and writes the §8
JSON. Dense BLAS runs on every core (threadpoolctl), like Recsmith's fits.

    closed_form_eval.py --data events.csv --split leave-last-out [--models ease,svd] [--ease-lambda 500]
                        [--ease-max-items 30000] [--factors 64] [--power-iterations 2] [--oversamples 10]
                        [--seed 1] [--json out.json]
"""

import argparse
import json
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from implicit_eval import (InputError, load_interactions, metrics, protocol_of, render, split_interactions,
                           split_summary)

MODELS = ("ease", "svd")
# How each model scores a held-out user under strong generalization (§9).
FOLD_IN = {"ease": "scores from the input row (x·B)", "svd": "projects the input row onto the item factors"}
USER_BATCH = 2048


def covered_items(train, limit):
    """Items with interactions, at most `limit`: the most-interacted (ties by smaller index), ascending."""
    counts = np.bincount(train.indices, minlength=train.shape[1])
    items = np.flatnonzero(counts > 0)
    if len(items) > limit:
        order = np.lexsort((items, -counts[items]))
        items = np.sort(items[order[:limit]])
    return items


class EASE:
    def __init__(self, lam, max_items):
        self.lam, self.max_items = lam, max_items

    def fit(self, train):
        self.items = covered_items(train, self.max_items)
        x = train[:, self.items]
        gram = (x.T @ x).toarray().astype(np.float64)
        diagonal = np.diag_indices(gram.shape[0])
        gram[diagonal] += self.lam
        inverse = np.linalg.inv(gram)
        del gram
        inverse /= -np.diag(inverse)  # in place: n² float64 values are 3.2 GB at 20,000 items
        inverse[diagonal] = 0
        self.weights = inverse
        return self

    def scores(self, rows):
        result = np.full((rows.shape[0], rows.shape[1]), -np.inf)
        result[:, self.items] = rows[:, self.items] @ self.weights
        return result


class SVD:
    def __init__(self, factors, power_iterations, oversamples, seed):
        from sklearn.decomposition import TruncatedSVD
        self.estimator = TruncatedSVD(n_components=factors, algorithm="randomized", n_iter=power_iterations,
                                      n_oversamples=oversamples, power_iteration_normalizer="QR",
                                      random_state=seed)

    def fit(self, train):
        sigma_u = self.estimator.fit_transform(train)
        sigma = self.estimator.singular_values_
        self.users = sigma_u / np.where(sigma > 0, sigma, 1)
        self.items = self.estimator.components_.T * sigma
        return self

    def scores(self, rows, users, heldout):
        """Trained users score with their factor; a held-out user (strong generalization) with the projection of
        their input row, u = x·V·Σ⁻¹ = x·(V·Σ)/σ², as Recsmith folds a history in."""
        if heldout:
            sigma = self.estimator.singular_values_
            return np.asarray(rows @ self.items) / np.where(sigma > 0, sigma * sigma, 1) @ self.items.T
        return self.users[users] @ self.items.T


def top_lists(model, name, split, N):
    """Top-N unseen items per test user, best first, ties by smaller item index; -inf scores never appear."""
    lists = []
    for start in range(0, len(split.test_users), USER_BATCH):
        users = split.test_users[start:start + USER_BATCH]
        rows = split.seen[start:start + USER_BATCH]
        scores = model.scores(rows) if name == "ease" else model.scores(rows, users, split.heldout)
        scores = np.asarray(scores, dtype=np.float64)
        scores[rows.nonzero()] = -np.inf
        for row in scores:
            take = min(N, len(row))
            head = np.argpartition(-row, take - 1)[:take] if take < len(row) else np.arange(len(row))
            # Widen the head to every item tied with its last score, so the tie-break is by index.
            cut = np.min(row[head])
            candidates = np.flatnonzero(row >= cut)
            ordered = candidates[np.lexsort((candidates, -row[candidates]))][:N]
            lists.append(ordered[np.isfinite(row[ordered])])
    return lists


def evaluate_model(name, split, args):
    if name == "ease":
        model, params = EASE(args.ease_lambda, args.ease_max_items), {"lambda": args.ease_lambda,
                                                                      "max_items": args.ease_max_items}
    else:
        model = SVD(args.factors, args.power_iterations, args.oversamples, args.seed)
        params = {"factors": args.factors, "power_iterations": args.power_iterations, "oversamples": args.oversamples}
    began = time.perf_counter()
    model.fit(split.train)
    fit_s = time.perf_counter() - began
    began = time.perf_counter()
    lists = top_lists(model, name, split, max(args.ks))
    recommend_s = time.perf_counter() - began
    entry = {"model": name, "params": params, "fit_s": round(fit_s, 6), "recommend_s": round(recommend_s, 6),
             "metrics": metrics(lists, split, args.ks)}
    if split.heldout:
        entry["fold_in"] = FOLD_IN[name]
    return entry


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="event CSV (user,item,timestamp[,weight])")
    parser.add_argument("--split", choices=("leave-last-out", "temporal", "strong-generalization"), required=True)
    parser.add_argument("--frac-users-train", type=float, default=0.7, help="strong generalization (§9)")
    parser.add_argument("--frac-interactions-in", type=float, default=0.8, help="strong generalization (§9)")
    parser.add_argument("--test-percent", type=int, default=10, help="temporal split: share held out, percent")
    parser.add_argument("--models", default=",".join(MODELS), help="comma list of " + ", ".join(MODELS))
    parser.add_argument("--k", default="10,20", help="cut-offs, comma list (default 10,20)")
    parser.add_argument("--ease-lambda", type=float, default=500.0)
    parser.add_argument("--ease-max-items", type=int, default=30_000)
    parser.add_argument("--factors", type=int, default=64)
    parser.add_argument("--power-iterations", type=int, default=2)
    parser.add_argument("--oversamples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-weight", type=float, default=None)
    parser.add_argument("--json", dest="json_path", help="write the §8 JSON here")
    args = parser.parse_args(argv)
    args.models = [name.strip() for name in args.models.split(",") if name.strip()]
    if not args.models or any(name not in MODELS for name in args.models):
        parser.error(f"--models: choose from {', '.join(MODELS)}")
    args.ks = sorted({int(text) for text in args.k.split(",")})
    if args.ease_lambda == int(args.ease_lambda):
        args.ease_lambda = int(args.ease_lambda)  # reported as recsmith does: 500, not 500.0
    return args


def main(argv=None):
    args = parse_arguments(argv)
    log = lambda message: print(f"[closed_form_eval] {message}", file=sys.stderr, flush=True)  # noqa: E731
    import sklearn
    cores = len(os.sched_getaffinity(0))
    with threadpool_limits(limits=cores, user_api="blas"):
        blas = [f"{pool['internal_api']} {pool['num_threads']} thread(s)" for pool in threadpool_info()
                if pool["user_api"] == "blas"]
        log(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, BLAS: {', '.join(blas) or 'none found'}")
        try:
            data = load_interactions(args.data, args.min_weight)
        except (InputError, OSError) as error:
            log(f"error: {error}")
            return 2
        split = split_interactions(data, args.split, args.test_percent, args.frac_users_train,
                                   args.frac_interactions_in)
        summary = split_summary(split, args)
        log(f"split {args.split}: {summary['train_pairs']} train pairs, {summary['test_users']} test users")
        report = {"protocol": protocol_of(split), "split": summary, "ks": args.ks, "seed": args.seed, "models": []}
        for name in args.models:
            log(f"fitting {name}")
            entry = evaluate_model(name, split, args)
            log(f"{name}: fit {entry['fit_s']:.3f} s, recommend {entry['recommend_s']:.3f} s, "
                f"ndcg@{args.ks[0]} {entry['metrics'][str(args.ks[0])]['ndcg']:.4f}")
            report["models"].append(entry)
    print(render(report).replace("(peer: implicit)", "(peer: numpy, scikit-learn)"))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
