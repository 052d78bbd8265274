#!/usr/bin/env python3
"""Writes Tests/ModelsTests/Fixtures/implicit-als-cg.json: a small ALS problem and implicit's iterates on it.

    .build-venv/bin/python Benchmarks/peer/als_fixture.py

Two 60 × 40 confidence matrices with factors drawn like implicit's (uniform [0, 0.01)): one with a few negative
entries (negative observations), solved for one half-iteration, and one all positive, solved for 2 iterations,
each with implicit's native `least_squares_cg` (3 CG steps, one thread). ModelsTests replays them from the same
start with our solver and compares: any quality gap between the two libraries comes from the random start, not
the algorithm.
"""

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from implicit.cpu import _als

USERS, ITEMS, FACTORS = 60, 40, 8
REGULARIZATION, CG_STEPS, ITERATIONS = 0.05, 3, 2


def problem(rng, negative_share):
    """A confidence matrix (some entries negative: negative observations) and implicit-style starting factors."""
    rows, columns = np.nonzero(rng.random((USERS, ITEMS)) < 0.12)
    values = rng.integers(1, 5, size=rows.size).astype(np.float32) * 2.5
    values[rng.random(rows.size) < negative_share] *= -1
    cui = sparse.csr_matrix((values, (rows, columns)), shape=(USERS, ITEMS), dtype=np.float32)
    cui.sort_indices()
    users = (rng.random((USERS, FACTORS), dtype=np.float32) * 0.01).astype(np.float32)
    items = (rng.random((ITEMS, FACTORS), dtype=np.float32) * 0.01).astype(np.float32)
    return cui, users, items


def floats(array):
    return [float(value) for value in np.asarray(array, dtype=np.float32).ravel()]


def run(cui, users, items, half_iterations):
    """implicit's solver for `half_iterations` half-iterations (users, items, users, …); returns the factors."""
    ciu = cui.T.tocsr()
    ciu.sort_indices()
    users, items = users.copy(), items.copy()
    for half in range(half_iterations):
        if half % 2 == 0:
            _als.least_squares_cg(cui, users, items, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)
        else:
            _als.least_squares_cg(ciu, items, users, REGULARIZATION, num_threads=1, cg_steps=CG_STEPS)
    return users, items


def case(cui, users, items, half_iterations):
    users_after, items_after = run(cui, users, items, half_iterations)
    return {
        "half_iterations": half_iterations,
        "row_offsets": [int(value) for value in cui.indptr], "columns": [int(value) for value in cui.indices],
        "confidences": floats(cui.data), "start_users": floats(users), "start_items": floats(items),
        "users_after": floats(users_after), "items_after": floats(items_after),
    }


rng = np.random.default_rng(2026)
signed = problem(rng, negative_share=0.05)
positive = problem(rng, negative_share=0.0)
fixture = {
    "source": "implicit.cpu._als.least_squares_cg (implicit " + __import__("implicit").__version__ + ")",
    "users": USERS, "items": ITEMS, "factors": FACTORS, "regularization": REGULARIZATION, "cg_steps": CG_STEPS,
    # With negative confidences the systems are badly conditioned and later steps amplify rounding, so that case
    # stops after the first half-iteration; the all-positive case runs two whole iterations.
    "cases": [case(*signed, half_iterations=1), case(*positive, half_iterations=2 * ITERATIONS)],
}
output = Path(__file__).resolve().parents[2] / "Tests/ModelsTests/Fixtures/implicit-als-cg.json"
output.write_text(json.dumps(fixture, separators=(",", ":")) + "\n", encoding="utf-8")
print(f"wrote {output}")
