#!/usr/bin/env python3
"""Writes Tests/ModelsTests/Fixtures/implicit-als-cg.json: a small ALS problem and implicit's iterates on it.

    .build-venv/bin/python Benchmarks/peer/als_fixture.py

A 60 × 40 confidence matrix (a few negative entries: negative observations), factors drawn like implicit's
(uniform [0, 0.01)), then 2 iterations of implicit's native `least_squares_cg` (users, then items; 3 CG steps;
one thread). ModelsTests replays the same iterations from the same start with our solver and compares: it shows
that any quality gap between the two libraries comes from the random start, not the algorithm.
"""

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from implicit.cpu import _als

USERS, ITEMS, FACTORS = 60, 40, 8
REGULARIZATION, CG_STEPS, ITERATIONS = 0.05, 3, 2

rng = np.random.default_rng(2026)
rows, columns = np.nonzero(rng.random((USERS, ITEMS)) < 0.12)
values = rng.integers(1, 5, size=rows.size).astype(np.float32) * 2.5
values[rng.random(rows.size) < 0.05] *= -1
cui = sparse.csr_matrix((values, (rows, columns)), shape=(USERS, ITEMS), dtype=np.float32)
cui.sort_indices()
ciu = cui.T.tocsr()
ciu.sort_indices()
users = (rng.random((USERS, FACTORS), dtype=np.float32) * 0.01).astype(np.float32)
items = (rng.random((ITEMS, FACTORS), dtype=np.float32) * 0.01).astype(np.float32)
start = {"users": users.copy(), "items": items.copy()}
_als.least_squares_cg(cui, users, items, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)
users_after_first_half = users.copy()
_als.least_squares_cg(ciu, items, users, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)
for _ in range(ITERATIONS - 1):
    _als.least_squares_cg(cui, users, items, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)
    _als.least_squares_cg(ciu, items, users, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)


def floats(array):
    return [float(value) for value in np.asarray(array, dtype=np.float32).ravel()]


fixture = {
    "source": "implicit.cpu._als.least_squares_cg (implicit " + __import__("implicit").__version__ + ")",
    "users": USERS, "items": ITEMS, "factors": FACTORS, "regularization": REGULARIZATION,
    "cg_steps": CG_STEPS, "iterations": ITERATIONS,
    "row_offsets": [int(value) for value in cui.indptr], "columns": [int(value) for value in cui.indices],
    "confidences": floats(cui.data),
    "start_users": floats(start["users"]), "start_items": floats(start["items"]),
    "users_after_first_half": floats(users_after_first_half),
    "users_after": floats(users), "items_after": floats(items),
}
output = Path(__file__).resolve().parents[2] / "Tests/ModelsTests/Fixtures/implicit-als-cg.json"
output.write_text(json.dumps(fixture, separators=(",", ":")) + "\n", encoding="utf-8")
print(f"wrote {output} ({cui.nnz} entries, {int((values < 0).sum())} negative)")
