#!/usr/bin/env python3
"""Peer of `recsmith-bench hnsw`: hnswlib on the same vectors, with the same M, efConstruction and ef.

Reads what `recsmith-bench hnsw --work DIR` wrote into DIR: items.f32 and queries.f32 (raw little-endian float32,
row-major, DIMENSION columns) and truth.i32 (each query's exact top k item rows, int32, -1 padded). Builds an
hnswlib `ip` index (a graph built on the inner product, as recsmith's) with `add_items(num_threads=THREADS)`, then
for each ef answers every query with one `knn_query(num_threads=1)` call (single-threaded, no Python per query)
and prints, in recsmith-bench's `name key=value` form:

    hnswlib-build threads=… seconds=… bytes_per_item=…     (bytes of save_index's file ÷ items)
    hnswlib-search width=… recall=… qps=…

    hnswlib_eval.py --work DIR --dimension 64 --k 10 --neighbours 16 --construction-width 200 --widths 20,50,100 --threads 2
"""

import argparse
import os
import sys
import time

import hnswlib
import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--dimension", type=int, default=64)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--neighbours", type=int, default=16)
    parser.add_argument("--construction-width", type=int, default=200)
    parser.add_argument("--widths", default="20,50,100,200")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    items = np.fromfile(os.path.join(args.work, "items.f32"), dtype="<f4").reshape(-1, args.dimension)
    queries = np.fromfile(os.path.join(args.work, "queries.f32"), dtype="<f4").reshape(-1, args.dimension)
    truth = np.fromfile(os.path.join(args.work, "truth.i32"), dtype="<i4").reshape(-1, args.k)
    if len(truth) != len(queries):
        sys.exit(f"{len(truth)} answers for {len(queries)} queries")

    index = hnswlib.Index(space="ip", dim=args.dimension)
    index.init_index(max_elements=len(items), M=args.neighbours, ef_construction=args.construction_width,
                     random_seed=args.seed)
    start = time.perf_counter()
    index.add_items(items, np.arange(len(items)), num_threads=args.threads)
    build = time.perf_counter() - start
    path = os.path.join(args.work, "index.hnswlib")
    index.save_index(path)
    size = os.path.getsize(path)
    os.remove(path)
    print(f"hnswlib-build threads={args.threads} seconds={build:.2f} bytes_per_item={size / len(items):.1f}")

    for width in sorted(int(w) for w in args.widths.split(",")):
        index.set_ef(width)
        index.knn_query(queries[:50], k=args.k, num_threads=1)  # warm-up
        start = time.perf_counter()
        labels, _ = index.knn_query(queries, k=args.k, num_threads=1)
        seconds = time.perf_counter() - start
        hits = 0.0
        for answer, exact in zip(labels, truth):
            exact = exact[exact >= 0]
            if len(exact):
                hits += len(set(answer.tolist()) & set(exact.tolist())) / len(exact)
        print(f"hnswlib-search width={width} recall={hits / len(queries):.4f} qps={len(queries) / seconds:.0f}")


if __name__ == "__main__":
    main()
