#!/usr/bin/env python3
"""Peer of `recsmith evaluate`: the protocol `recsmith-eval-v1` (docs/EVALUATION.md) with Python implicit.

Reads an event CSV exactly as §1–2 specify, splits it per §3, fits pop and trending (numpy) and implicit's CPU
CosineRecommender, AlternatingLeastSquares and BayesianPersonalizedRanking with the §6 hyper-parameters, scores
every test user with one batch `recommend` call (§4), computes the §5 metrics and writes the §8 JSON.

    implicit_eval.py --data events.csv --split leave-last-out --json out.json [--check-reference]
    implicit_eval.py --data events.csv --fit-only --models itemknn,als,bpr --json out.json

`--fit-only` fits on every pair of the file and reports only the fit seconds (Benchmarks/run.sh puts them beside
a training pass of the service on the same events).

`--check-reference` asserts the §7 conformance values (for ml-latest-small) and exits with status 3 on mismatch.
"""

import os

# implicit's own advice, and docs/EVALUATION.md §6: must be set before numpy loads OpenBLAS.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from array import array  # noqa: E402
from decimal import Decimal  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

# CosineRecommender.fit hands implicit's own kNN a COO matrix and warns about it; the conversion is part of its fit.
warnings.filterwarnings("ignore", message="Method expects CSR input")

PROTOCOL = "recsmith-eval-v1"
PROTOCOL_V2 = "recsmith-eval-v2"  # what §9 adds: strong generalization
MODELS = ("pop", "trending", "itemknn", "als", "bpr")
HALF_LIFE_S = 7 * 86_400
KNOWN_COLUMNS = ("user", "item", "timestamp", "weight", "type", "id")
ASCII_WHITESPACE = " \t\n\x0b\x0c\r"
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
DECIMAL_WITH_EXPONENT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
HEX_FLOAT = re.compile(r"[+-]?0[xX]([0-9a-fA-F]+(\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)([pP][+-]?\d+)?", re.ASCII)
RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))", re.ASCII)

# §7 reference values for ml-latest-small's events.csv, no --min-weight (strong generalization at the
# default fractions 0.7 and 0.8).
REFERENCE = {
    "leave-last-out": {"train_pairs": 100226, "test_users": 587, "test_pairs": 587,
                       "train_sha256_16": "e54ba4ef2bd7b6af", "test_sha256_16": "72ef07cf299949e0",
                       "pop_recall@10": "0.0443", "pop_ndcg@10": "0.0215", "trending_ndcg@10": "0.0017"},
    "temporal": {"train_pairs": 90753, "test_users": 27, "test_pairs": 1289,
                 "train_sha256_16": "0ce6b9632a4b111d", "test_sha256_16": "dfeae8dd964d8935",
                 "pop_recall@10": "0.1037", "pop_ndcg@10": "0.1121", "trending_ndcg@10": "0.2200"},
    "strong-generalization": {"train_pairs": 73073, "test_users": 176, "test_pairs": 5278,
                              "train_sha256_16": "4512325569c20bcd", "test_sha256_16": "285ea079ad5596c6",
                              "pop_recall@10": "0.1747", "pop_ndcg@10": "0.1894", "trending_ndcg@10": "0.0231"},
}


class InputError(Exception):
    """A row or header that §1 rejects; the message names the physical line."""


# ---------------------------------------------------------------------------------------------------------------
# §1 input


def parse_timestamp(text):
    """§1 timestamp: plain decimal unix seconds, else RFC 3339 with an offset; None when invalid or non-finite."""
    text = text.strip(ASCII_WHITESPACE)
    if DECIMAL.fullmatch(text):
        value = float(text)  # correctly rounded
        return value if math.isfinite(value) else None
    match = RFC3339.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(match.group(n)) for n in range(1, 7))
    if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month) and hour <= 23 and minute <= 59
            and second <= 59):
        return None
    fraction = match.group(7) or ""
    microseconds = int((fraction[:6]).ljust(6, "0")) if fraction else 0  # further digits truncated
    offset = 0
    if match.group(8) is None:
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        if offset_hours > 23 or offset_minutes > 59:
            return None
        offset = (1 if match.group(9) == "+" else -1) * (offset_hours * 3600 + offset_minutes * 60)
    seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return (seconds * 1_000_000 + microseconds) / 1_000_000  # exact integers: one correctly rounded division


def days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year, month, day):
    """Days since 1970-01-01, proleptic Gregorian (H. Hinnant)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def parse_weight(text):
    """§1 weight: empty → 1; a finite float64 (decimal with optional exponent, or hex) otherwise; None if invalid."""
    text = text.strip(ASCII_WHITESPACE)
    if not text:
        return 1.0
    if DECIMAL_WITH_EXPONENT.fullmatch(text):
        value = float(text)
    elif HEX_FLOAT.fullmatch(text):
        value = float.fromhex(text)
    else:
        return None
    return value if math.isfinite(value) else None


def is_valid_utf8(text):
    """Fields are decoded with surrogateescape, so invalid UTF-8 shows up as lone surrogates."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class Interactions:
    """Deduplicated pairs: ids in byte order, pairs as rank arrays with their largest timestamp; `rows` counts
    the data rows read (before --min-weight)."""

    def __init__(self, user_ids, item_ids, users, items, times, rows):
        self.user_ids, self.item_ids = user_ids, item_ids
        self.users, self.items, self.times = users, items, times
        self.rows = rows


def load_interactions(path, min_weight=None):
    """Reads the CSV per §1: RFC 4180, header by name, verbatim ids, min-weight first, dedup to the max timestamp."""
    # utf-8-sig drops a BOM at the very start only; invalid UTF-8 becomes lone surrogates, rejected in ids.
    with open(path, "r", encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
        reader = csv.reader(text, strict=True)
        try:
            return read_rows(reader, min_weight)
        except csv.Error as error:
            raise InputError(f"line {reader.line_num}: {error}") from None


def read_rows(reader, min_weight):
    header = None
    for record in reader:
        if record:
            header = record
            break
    if header is None:
        raise InputError("missing header")
    columns = {}
    for index, name in enumerate(header):
        key = name.strip(ASCII_WHITESPACE).translate(ASCII_LOWER)
        if key in KNOWN_COLUMNS:
            if key in columns:
                raise InputError(f"duplicate column {key!r}")
            columns[key] = index
    for required in ("user", "item", "timestamp"):
        if required not in columns:
            raise InputError(f"missing column {required!r} in header {header}")
    width = len(header)
    user_col, item_col, time_col = columns["user"], columns["item"], columns["timestamp"]
    weight_col = columns.get("weight")
    text_cols = [columns[name] for name in ("type", "id") if name in columns]

    user_index, item_index = {}, {}
    users, items, times = array("i"), array("i"), array("d")
    rows = 0
    for record in reader:
        if not record:
            continue  # a completely blank line
        line = reader.line_num
        if len(record) != width:
            raise InputError(f"line {line}: expected {width} fields, found {len(record)}")
        user, item = record[user_col], record[item_col]
        for name, value in (("user", user), ("item", item)):
            if not value:
                raise InputError(f"line {line}: empty {name}")
            if not is_valid_utf8(value):
                raise InputError(f"line {line}: {name} is not valid UTF-8")
        for column in text_cols:
            if record[column] and not is_valid_utf8(record[column]):
                raise InputError(f"line {line}: column {header[column]!r} is not valid UTF-8")
        stamp = record[time_col]
        if stamp.isascii() and stamp.isdigit():
            timestamp = float(stamp)
        else:
            timestamp = parse_timestamp(stamp)
            if timestamp is None:
                raise InputError(f"line {line}: invalid timestamp {stamp!r}")
        weight = 1.0
        if weight_col is not None:
            weight = parse_weight(record[weight_col])
            if weight is None:
                raise InputError(f"line {line}: invalid weight {record[weight_col]!r}")
        rows += 1
        if min_weight is not None and weight < min_weight:
            continue
        u = user_index.get(user)
        if u is None:
            u = user_index[user] = len(user_index)
        i = item_index.get(item)
        if i is None:
            i = item_index[item] = len(item_index)
        users.append(u)
        items.append(i)
        times.append(timestamp)

    user_ids, user_rank = byte_order_ranks(list(user_index))
    item_ids, item_rank = byte_order_ranks(list(item_index))
    u = user_rank[np.frombuffer(users, dtype=np.int32)]
    i = item_rank[np.frombuffer(items, dtype=np.int32)]
    t = np.frombuffer(times, dtype=np.float64)
    # Duplicates collapse into one pair carrying the largest timestamp.
    order = np.lexsort((t, i, u))
    u, i, t = u[order], i[order], t[order]
    last_of_pair = np.ones(len(u), dtype=bool)
    if len(u):
        last_of_pair[:-1] = (u[1:] != u[:-1]) | (i[1:] != i[:-1])
    return Interactions(user_ids, item_ids, u[last_of_pair], i[last_of_pair], t[last_of_pair], rows)


def byte_order_ranks(ids):
    """§2: ids sorted by their UTF-8 bytes, and for each input position its rank."""
    order = sorted(range(len(ids)), key=lambda index: ids[index].encode("utf-8"))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(ids), dtype=np.int64)
    return [ids[index] for index in order], rank


# ---------------------------------------------------------------------------------------------------------------
# §3 splits


class Split:
    """Train matrix (users × catalogue, CSR, 1.0), per-pair train times, and test users/items, all dense.

    `seen` has one row per test user: the items excluded from their list and, under strong generalization, the
    input they are folded in from (their train row otherwise). `test_user_ids` names each test user; `heldout`
    is true when the test users are not rows of the train matrix (strong generalization)."""

    def __init__(self, kind, user_ids, item_ids, train, train_times, test_users, test_offsets, test_items,
                 test_times, seen=None, test_user_ids=None):
        self.kind, self.user_ids, self.item_ids = kind, user_ids, item_ids
        self.train, self.train_times = train, train_times
        self.test_users, self.test_offsets, self.test_items = test_users, test_offsets, test_items
        self.test_times = test_times
        self.heldout = seen is not None
        self.seen = seen if seen is not None else train[test_users]
        self.test_user_ids = test_user_ids if test_user_ids is not None else [user_ids[u] for u in test_users]


def split_interactions(data, kind, percent=10, frac_users_train=0.7, frac_interactions_in=0.8):
    if kind == "strong-generalization":
        return strong_generalization(data, frac_users_train, frac_interactions_in)
    n = len(data.users)
    candidate = np.zeros(n, dtype=bool)
    if kind == "leave-last-out":
        order = np.lexsort((data.items, data.times, data.users))  # by (user, t, item)
        users = data.users[order]
        is_last = np.ones(n, dtype=bool)
        is_first = np.ones(n, dtype=bool)
        if n:
            is_last[:-1] = users[1:] != users[:-1]
            is_first[1:] = users[1:] != users[:-1]
        # The last pair of every user with ≥ 2 pairs (a single-pair user's only pair is both first and last).
        candidate[order[is_last & ~is_first]] = True
    elif kind == "temporal":
        order = np.lexsort((data.items, data.users, data.times))  # by (t, user, item)
        n_test = n * percent // 100
        candidate[order[n - n_test:]] = True
    else:
        raise ValueError(f"unknown split {kind!r}")

    train = ~candidate
    user_in_train, item_in_train, user_dense, item_dense, user_ids, item_ids = train_catalogue(data, train)

    matrix, times = binary_csr(user_dense[data.users[train]], item_dense[data.items[train]], data.times[train],
                               len(user_ids), len(item_ids))

    # Drop test candidates whose item (or, for temporal, user) is not in train.
    keep = candidate & item_in_train[data.items] & user_in_train[data.users]
    test_rows, test_cols = user_dense[data.users[keep]], item_dense[data.items[keep]]
    order = np.lexsort((test_cols, test_rows))
    test_rows, test_cols, test_times = test_rows[order], test_cols[order], data.times[keep][order]
    test_users, starts = np.unique(test_rows, return_index=True)
    offsets = np.append(starts, len(test_rows))
    return Split(kind, user_ids, item_ids, matrix, times, test_users.astype(np.int32), offsets, test_cols,
                 test_times)


def train_catalogue(data, train):
    """The users and items that pairs under the mask `train` name: membership flags, dense index maps (−1 for the
    others) and ids, both in byte order."""
    user_in_train = np.zeros(len(data.user_ids), dtype=bool)
    item_in_train = np.zeros(len(data.item_ids), dtype=bool)
    user_in_train[data.users[train]] = True
    item_in_train[data.items[train]] = True
    user_ids = [uid for uid, kept in zip(data.user_ids, user_in_train) if kept]
    item_ids = [iid for iid, kept in zip(data.item_ids, item_in_train) if kept]
    return user_in_train, item_in_train, np.cumsum(user_in_train) - 1, np.cumsum(item_in_train) - 1, user_ids, item_ids


def binary_csr(rows, cols, times, n_rows, n_cols):
    """A CSR matrix of 1.0 at (rows, cols), entries sorted by (row, column), and the times in that order."""
    order = np.lexsort((cols, rows))
    rows, cols, times = rows[order], cols[order], times[order]
    indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    matrix = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols.astype(np.int32), indptr),
                           shape=(n_rows, n_cols))
    return matrix, times


def h64(*fields):
    """§9: SHA-256 over the UTF-8 fields joined by 0x1F, the first 8 bytes read big-endian."""
    digest = hashlib.sha256(b"\x1f".join(field.encode("utf-8", "surrogateescape") for field in fields)).digest()
    return int.from_bytes(digest[:8], "big")


def strong_generalization(data, frac_users_train, frac_interactions_in):
    """§9, recpack's scenario: training users (h64(user) mod 10000 < frac · 10000) train on all their pairs; every
    other user with ≥ 2 pairs orders them by h64(user, item) (item byte order on a tie), is folded in from the
    first min(ceil(frac_in · n), n − 1) and scored on the rest. Pairs whose item is not in train are dropped; a
    user left without a target goes. Test users come out in id byte order."""
    threshold = frac_users_train * 10_000
    is_train_user = np.array([h64(uid) % 10_000 < threshold for uid in data.user_ids], dtype=bool)
    train = is_train_user[data.users]
    user_in_train, item_in_train, user_dense, item_dense, user_ids, item_ids = train_catalogue(data, train)
    matrix, times = binary_csr(user_dense[data.users[train]], item_dense[data.items[train]], data.times[train],
                               len(user_ids), len(item_ids))

    by_user = np.argsort(data.users, kind="stable")
    bounds = np.searchsorted(data.users[by_user], np.arange(len(data.user_ids) + 1))
    heldout_ids, inputs, targets = [], ([], [], []), ([], [], [])
    for user in np.flatnonzero(~is_train_user).tolist():
        pairs = by_user[bounds[user]:bounds[user + 1]].tolist()
        n = len(pairs)
        if n < 2:
            continue
        uid = data.user_ids[user]
        ordered = sorted(pairs, key=lambda pair: (h64(uid, data.item_ids[data.items[pair]]), int(data.items[pair])))
        input_count = min(math.ceil(frac_interactions_in * n), n - 1)
        row, scored = len(heldout_ids), 0
        for position, pair in enumerate(ordered):
            item = data.items[pair]
            if not item_in_train[item]:
                continue
            side = inputs if position < input_count else targets
            side[0].append(row)
            side[1].append(item_dense[item])
            side[2].append(data.times[pair])
            scored += side is targets
        if scored:
            heldout_ids.append(uid)
        else:  # no target left to score: the user's input goes too
            while inputs[0] and inputs[0][-1] == row:
                for column in inputs:
                    column.pop()

    def arrays(side):
        return (np.array(side[0], dtype=np.int64), np.array(side[1], dtype=np.int64),
                np.array(side[2], dtype=np.float64))

    n_heldout = len(heldout_ids)
    seen, _ = binary_csr(*arrays(inputs), n_heldout, len(item_ids))
    target_matrix, target_times = binary_csr(*arrays(targets), n_heldout, len(item_ids))
    return Split("strong-generalization", user_ids, item_ids, matrix, times, np.arange(n_heldout, dtype=np.int32),
                 target_matrix.indptr.astype(np.int64), target_matrix.indices, target_times, seen=seen,
                 test_user_ids=heldout_ids)


def fingerprints(split):
    """§7: SHA-256 of `<user>\\t<item>\\n` over the train and over the test pairs, sorted by (user, item); under
    strong generalization also over the held-out users' input pairs (§9)."""

    def digest(names, rows, cols):
        hasher = hashlib.sha256()
        users = [name.encode("utf-8", "surrogateescape") for name in names]
        items = [iid.encode("utf-8", "surrogateescape") for iid in split.item_ids]
        chunk = 1 << 16
        for start in range(0, len(rows), chunk):
            hasher.update(b"".join(users[r] + b"\t" + items[c] + b"\n"
                                   for r, c in zip(rows[start:start + chunk].tolist(),
                                                   cols[start:start + chunk].tolist())))
        return hasher.hexdigest()

    train = split.train
    train_rows = np.repeat(np.arange(train.shape[0]), np.diff(train.indptr))
    test_rows = np.repeat(np.arange(len(split.test_users)), np.diff(split.test_offsets))
    result = [digest(split.user_ids, train_rows, train.indices),
              digest(split.test_user_ids, test_rows, split.test_items)]
    if split.heldout:
        seen_rows = np.repeat(np.arange(split.seen.shape[0]), np.diff(split.seen.indptr))
        result.append(digest(split.test_user_ids, seen_rows, split.seen.indices))
    return result


# ---------------------------------------------------------------------------------------------------------------
# §4 and §6 models


class GlobalRanking:
    """pop and trending: one item order for everyone (score descending, ties by item id), minus the user's items."""

    def __init__(self, scores):
        self.order = np.lexsort((np.arange(len(scores)), -scores))

    def recommend(self, userids, user_items, N):
        n_items = len(self.order)
        seen = np.zeros(n_items, dtype=bool)
        ids = np.full((len(userids), N), -1, dtype=np.int64)
        for row in range(len(userids)):
            history = user_items.indices[user_items.indptr[row]:user_items.indptr[row + 1]]
            seen[history] = True
            head = self.order[:N + len(history)]
            chosen = head[~seen[head]][:N]
            ids[row, :len(chosen)] = chosen
            seen[history] = False
        return ids


def fit_pop(split):
    return GlobalRanking(np.bincount(split.train.indices, minlength=split.train.shape[1]).astype(np.float64))


def fit_trending(split):
    """Σ 2^(−(t_ref − t)/h) per item, kept in the log2 domain (float64) so old items do not all underflow to 0."""
    exponents = -(split.train_times.max() - split.train_times) / HALF_LIFE_S
    cols = split.train.indices
    newest = np.full(split.train.shape[1], -np.inf)
    np.maximum.at(newest, cols, exponents)
    sums = np.bincount(cols, weights=np.exp2(exponents - newest[cols]), minlength=split.train.shape[1])
    with np.errstate(divide="ignore"):
        scores = newest + np.log2(sums)
    return GlobalRanking(scores)


def implicit_models(factors, seed):
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    from implicit.nearest_neighbours import CosineRecommender
    return {
        "itemknn": (lambda: CosineRecommender(K=100, num_threads=0), {"K": 100}),
        "als": (lambda: AlternatingLeastSquares(factors=factors, regularization=0.05, alpha=10.0, iterations=15,
                                                use_cg=True, random_state=seed, num_threads=0),
                {"factors": factors, "regularization": 0.05, "alpha": 10, "iterations": 15}),
        "bpr": (lambda: BayesianPersonalizedRanking(factors=factors, learning_rate=0.01, regularization=0.01,
                                                    iterations=100, verify_negative_samples=True,
                                                    random_state=seed, num_threads=0),
                {"factors": factors, "learning_rate": 0.01, "regularization": 0.01, "iterations": 100}),
    }


def recsmith_start(seed, count):
    """Recsmith's ALS starting factors for `seed`: xoshiro256** seeded by SplitMix64, 24-bit floats × 0.01,
    users then items, row-major (LinearAlgebra/Xoshiro256StarStar.swift, Models/ALS+Training.swift)."""
    mask = (1 << 64) - 1

    def rotate(value, bits):
        return ((value << bits) | (value >> (64 - bits))) & mask

    mixer, state = seed, []
    for _ in range(4):
        mixer = (mixer + 0x9E3779B97F4A7C15) & mask
        z = mixer
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        state.append(z ^ (z >> 31))
    s0, s1, s2, s3 = state
    bits = np.empty(count, dtype=np.uint64)
    for index in range(count):
        bits[index] = (rotate((s1 * 5) & mask, 7) * 9) & mask
        shifted = (s1 << 17) & mask
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotate(s3, 45)
    return ((bits >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)) * np.float32(0.01)


def clean_lists(ids, scores, split, userids, model):
    """Turns implicit's padded (users × N) arrays into per-user lists: padding (-1 ids, −FLT_MAX scores for
    filtered slots, score 0 for item-kNN's unreachable items) are empty slots, as §4 requires."""
    lists = []
    floor = -np.finfo(np.float32).max
    for row in range(len(userids)):
        keep = ids[row] >= 0
        if model == "itemknn":
            keep &= scores[row] > 0
        else:
            keep &= np.isfinite(scores[row]) & (scores[row] > floor)
        chosen = ids[row][keep]
        history = split.seen.indices[split.seen.indptr[row]:split.seen.indptr[row + 1]]
        if np.isin(chosen, history).any():
            raise RuntimeError(f"{model} recommended a seen item to user {split.test_user_ids[row]!r}")
        lists.append(chosen)
    return lists


def fit_model(model, split, factors, seed, start="implicit"):
    """Fits `model` on the split's train matrix; returns the fitted ranking or estimator, its params and the
    wall seconds of fitting alone."""
    if model in ("pop", "trending"):
        began = time.perf_counter()
        ranking = fit_pop(split) if model == "pop" else fit_trending(split)
        return ranking, {} if model == "pop" else {"half_life_s": HALF_LIFE_S}, time.perf_counter() - began
    make, params = implicit_models(factors, seed)[model]
    estimator = make()
    if model == "als" and start == "recsmith":
        users, items = split.train.shape
        draws = recsmith_start(seed, (users + items) * factors)
        estimator.user_factors = draws[:users * factors].reshape(users, factors).copy()
        estimator.item_factors = draws[users * factors:].reshape(items, factors).copy()
        params = dict(params, start="recsmith")
    began = time.perf_counter()
    estimator.fit(split.train, show_progress=False)
    return estimator, params, time.perf_counter() - began


# How each model scores a held-out user under strong generalization (§9), as `recsmith evaluate` reports it.
FOLD_IN = {
    "pop": "not personalised: the input is only excluded",
    "trending": "not personalised: the input is only excluded",
    "itemknn": "scores from the input row (implicit's recommend with the input as user_items)",
    "als": "solves the user's factor from the input, exactly (implicit's recalculate_user, Cholesky)",
    "bpr": "the mean of the input items' factors with 1 in the bias column (implicit's BPR has no "
           "recalculate_user: the mean is taken here, as Recsmith does)",
}


def evaluate_model(model, split, ks, factors, seed, start="implicit"):
    N = max(ks)
    userids = split.test_users
    user_items = split.seen
    fitted, params, fit_s = fit_model(model, split, factors, seed, start)
    began = time.perf_counter()
    if model in ("pop", "trending"):
        ids = fitted.recommend(userids, user_items, N)
        recommend_s = time.perf_counter() - began
        lists = [row[row >= 0] for row in ids]
    else:
        options = {}
        if split.heldout and model == "als":
            options["recalculate_user"] = True
        elif split.heldout and model == "bpr":
            fitted.user_factors = bpr_fold_in(fitted.item_factors, user_items)
        ids, scores = fitted.recommend(userids, user_items, N=N, filter_already_liked_items=True, **options)
        recommend_s = time.perf_counter() - began
        lists = clean_lists(np.asarray(ids), np.asarray(scores), split, userids, model)
    entry = {"model": model, "params": params, "fit_s": round(fit_s, 6), "recommend_s": round(recommend_s, 6),
             "metrics": metrics(lists, split, ks)}
    if split.heldout:
        entry["fold_in"] = FOLD_IN[model]
    return entry


def bpr_fold_in(item_factors, rows):
    """A user row per held-out user: the mean of their input items' factors with 1 in the bias column (zeros for a
    user whose input is empty)."""
    counts = np.diff(rows.indptr)
    users = np.asarray(rows.astype(item_factors.dtype) @ item_factors) / np.maximum(counts, 1)[:, None]
    users[:, -1] = np.where(counts > 0, 1, 0)
    return np.ascontiguousarray(users, dtype=item_factors.dtype)


# ---------------------------------------------------------------------------------------------------------------
# §5 metrics


def metrics(lists, split, ks):
    n_items = len(split.item_ids)
    result = {}
    for k in sorted(ks):
        recall = precision = hit_rate = ndcg = average_precision = 0.0
        covered = np.zeros(n_items, dtype=bool)
        short = 0
        for position, recommended in enumerate(lists):
            relevant = set(split.test_items[split.test_offsets[position]:split.test_offsets[position + 1]].tolist())
            top = recommended[:k].tolist()
            if len(recommended) < k:
                short += 1
            covered[top] = True
            ideal = min(k, len(relevant))
            hits, dcg, precision_sum = 0, 0.0, 0.0
            for offset, item in enumerate(top):
                if item in relevant:
                    hits += 1
                    rank = float(offset + 1)
                    dcg += 1 / math.log2(rank + 1)
                    precision_sum += hits / rank
            ideal_dcg = 0.0
            for rank in range(1, ideal + 1):
                ideal_dcg += 1 / math.log2(float(rank) + 1)
            recall += hits / ideal
            precision += hits / k
            hit_rate += 1.0 if hits > 0 else 0.0
            ndcg += dcg / ideal_dcg
            average_precision += precision_sum / ideal
        users = max(len(lists), 1)
        result[str(k)] = {"recall": recall / users, "ndcg": ndcg / users, "hit_rate": hit_rate / users,
                          "map": average_precision / users, "precision": precision / users,
                          "coverage": int(covered.sum()) / n_items if n_items else 0.0,
                          "users": len(lists), "short_lists": short}
    return result


# ---------------------------------------------------------------------------------------------------------------
# driver


def reference_mismatches(report):
    """§7: a §8 report's split sizes, fingerprints' first 16 hex and pop/trending figures at 4 decimals, checked
    against the ml-latest-small reference; returns one line per mismatch (empty when reproduced)."""
    split = report["split"]
    expected = REFERENCE.get(split["kind"])
    if expected is None:
        return [f"no reference values for split {split['kind']}"]
    models = {entry["model"]: entry["metrics"] for entry in report["models"]}
    if "pop" not in models or "trending" not in models or "10" not in models["pop"]:
        return ["pop and trending at k = 10 were not evaluated"]
    actual = {"train_pairs": split["train_pairs"], "test_users": split["test_users"],
              "test_pairs": split["test_pairs"], "train_sha256_16": split["fingerprint_train_sha256"][:16],
              "test_sha256_16": split["fingerprint_test_sha256"][:16],
              "pop_recall@10": f"{models['pop']['10']['recall']:.4f}",
              "pop_ndcg@10": f"{models['pop']['10']['ndcg']:.4f}",
              "trending_ndcg@10": f"{models['trending']['10']['ndcg']:.4f}"}
    return [f"{key}: expected {value}, got {actual[key]}" for key, value in expected.items() if actual[key] != value]


def render(report):
    split = report["split"]
    lines = [f"protocol {report['protocol']} (peer: implicit), split {split['kind']}: "
             f"{split['train_pairs']} train pairs, "
             f"{split['train_users']} users × {split['train_items']} items; {split['test_users']} test users, "
             f"{split['test_pairs']} test pairs",
             f"fingerprint_train_sha256 {split['fingerprint_train_sha256']}",
             f"fingerprint_test_sha256  {split['fingerprint_test_sha256']}", "",
             f"{'model':<9} {'k':>3} {'recall':>7} {'precision':>9} {'hit_rate':>8} {'ndcg':>7} {'map':>7} "
             f"{'coverage':>8} {'short':>6} {'fit_s':>8} {'rec_s':>7}"]
    for entry in report["models"]:
        for k, m in entry["metrics"].items():
            lines.append(f"{entry['model']:<9} {k:>3} {m['recall']:7.4f} {m['precision']:9.4f} {m['hit_rate']:8.4f} "
                         f"{m['ndcg']:7.4f} {m['map']:7.4f} {m['coverage']:8.4f} {m['short_lists']:6d} "
                         f"{entry['fit_s']:8.3f} {entry['recommend_s']:7.3f}")
    return "\n".join(lines)


def protocol_of(split):
    """The §8 protocol name: v2 for what §9 adds (strong generalization), v1 otherwise, as recsmith reports."""
    return PROTOCOL_V2 if split.heldout else PROTOCOL


def split_summary(split, args):
    """The §8 `split` object; strong generalization adds its fractions, input_pairs and the input fingerprint."""
    digests = fingerprints(split)
    summary = {"kind": split.kind}
    if split.heldout:
        summary.update({"frac_users_train": args.frac_users_train, "frac_interactions_in": args.frac_interactions_in})
    summary.update({"train_pairs": int(split.train.nnz), "train_users": len(split.user_ids),
                    "train_items": len(split.item_ids), "test_users": len(split.test_users),
                    "test_pairs": len(split.test_items)})
    if split.heldout:
        summary["input_pairs"] = int(split.seen.nnz)
    summary["fingerprint_train_sha256"], summary["fingerprint_test_sha256"] = digests[0], digests[1]
    if split.heldout:
        summary["fingerprint_input_sha256"] = digests[2]
    return summary


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="event CSV (user,item,timestamp[,weight])")
    parser.add_argument("--split", choices=("leave-last-out", "temporal", "strong-generalization"),
                        help="required unless --fit-only")
    parser.add_argument("--frac-users-train", type=float, default=0.7, help="strong generalization (§9)")
    parser.add_argument("--frac-interactions-in", type=float, default=0.8, help="strong generalization (§9)")
    parser.add_argument("--fit-only", action="store_true",
                        help="fit every model on all pairs of the file (no split, no metrics) and report fit seconds")
    parser.add_argument("--test-percent", type=int, default=10, help="temporal split: share held out, percent")
    parser.add_argument("--models", default=",".join(MODELS), help="comma list of " + ", ".join(MODELS))
    parser.add_argument("--k", default="10,20", help="cut-offs, comma list (default 10,20)")
    parser.add_argument("--factors", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", choices=("implicit", "recsmith"), default="implicit",
                        help="ALS starting factors: implicit's own draws, or exactly Recsmith's for --seed")
    parser.add_argument("--min-weight", type=float, default=None)
    parser.add_argument("--json", dest="json_path", help="write the §8 JSON here")
    parser.add_argument("--dump-split", help="write DIR/train.csv and DIR/test.csv (user,item,timestamp)")
    parser.add_argument("--check-reference", action="store_true",
                        help="assert the §7 reference values (ml-latest-small); exit 3 on mismatch")
    args = parser.parse_args(argv)
    if not args.split and not args.fit_only:
        parser.error("--split is required unless --fit-only")
    args.models = [name.strip() for name in args.models.split(",") if name.strip()]
    unknown = [name for name in args.models if name not in MODELS]
    if unknown or not args.models:
        parser.error(f"--models: unknown {unknown}; choose from {', '.join(MODELS)}")
    try:
        args.ks = sorted({int(text) for text in args.k.split(",")})
    except ValueError:
        parser.error("--k takes positive integers")
    if not args.ks or min(args.ks) <= 0:
        parser.error("--k takes positive integers")
    if not 0 <= args.test_percent <= 100:
        parser.error("--test-percent must be between 0 and 100")
    if args.min_weight is not None and not math.isfinite(args.min_weight):
        parser.error("--min-weight must be finite")
    if args.check_reference:
        args.models += [name for name in ("pop", "trending") if name not in args.models]
    return args


def dump_split(split, directory):
    """Writes DIR/train.csv and DIR/test.csv as `recsmith evaluate --dump-split` does: `user,item,timestamp`,
    sorted by (user, item) in byte order, quoted only when a field holds a comma, a quote or a line break,
    timestamps as plain decimals that read back to the same float64."""
    os.makedirs(directory, exist_ok=True)
    train_rows = np.repeat(np.arange(split.train.shape[0]), np.diff(split.train.indptr))
    test_rows = np.repeat(np.arange(len(split.test_users)), np.diff(split.test_offsets))
    items = [csv_field(iid) for iid in split.item_ids]
    for name, names, rows, cols, times in (
            ("train.csv", split.user_ids, train_rows, split.train.indices, split.train_times),
            ("test.csv", split.test_user_ids, test_rows, split.test_items, split.test_times)):
        users = [csv_field(uid) for uid in names]
        with open(os.path.join(directory, name), "wb") as out:
            out.write(b"user,item,timestamp\n")
            out.writelines(users[r] + b"," + items[c] + b"," + plain_decimal(t).encode("ascii") + b"\n"
                           for r, c, t in zip(rows.tolist(), cols.tolist(), times.tolist()))


def csv_field(text):
    raw = text.encode("utf-8")
    if any(byte in raw for byte in b',"\n\r'):
        return b'"' + raw.replace(b'"', b'""') + b'"'
    return raw


def plain_decimal(value):
    """Shortest round-trip digits, exponent expanded; integral values below 1e18 as integers."""
    if value == math.floor(value) and abs(value) < 1e18:
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fit_only(data, args, log):
    """--fit-only: every pair is train (a temporal split holding out 0 %); prints and writes the fit seconds."""
    split = split_interactions(data, "temporal", 0)
    report = {"protocol": PROTOCOL, "fit_only": True, "split": {
        "train_pairs": int(split.train.nnz), "train_users": len(split.user_ids), "train_items": len(split.item_ids)},
        "seed": args.seed, "models": []}
    for model in args.models:
        log(f"fitting {model}")
        _, params, fit_s = fit_model(model, split, args.factors, args.seed, args.start)
        log(f"{model}: fit {fit_s:.3f} s")
        report["models"].append({"model": model, "params": params, "fit_s": round(fit_s, 6)})
    print(f"fit only on {report['split']['train_pairs']} pairs: "
          + ", ".join(f"{entry['model']} {entry['fit_s']:.3f} s" for entry in report["models"]))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)
            out.write("\n")
    return 0


def main(argv=None):
    args = parse_arguments(argv)
    log = lambda message: print(f"[implicit_eval] {message}", file=sys.stderr, flush=True)  # noqa: E731
    import implicit
    from threadpoolctl import threadpool_info
    blas = [f"{pool['internal_api']} {pool['num_threads']} thread(s)" for pool in threadpool_info()
            if pool["user_api"] == "blas"]
    log(f"implicit {implicit.__version__}, numpy {np.__version__}, BLAS: {', '.join(blas) or 'none found'}")

    try:
        data = load_interactions(args.data, args.min_weight)
    except (InputError, OSError) as error:
        log(f"error: {error}")
        return 2
    log(f"{data.rows} rows, {len(data.users)} pairs, {len(data.user_ids)} users, {len(data.item_ids)} items")
    if args.fit_only:
        return fit_only(data, args, log)
    split = split_interactions(data, args.split, args.test_percent, args.frac_users_train, args.frac_interactions_in)
    summary = split_summary(split, args)
    log(f"split {args.split}: {summary['train_pairs']} train pairs, {summary['test_users']} test users, "
        f"{summary['test_pairs']} test pairs")
    if args.dump_split:
        dump_split(split, args.dump_split)
    if not len(split.test_users):
        log(f"error: the {args.split} split has no test users")
        return 2

    report = {"protocol": protocol_of(split), "split": summary, "ks": args.ks, "seed": args.seed, "models": []}
    for model in args.models:
        log(f"fitting {model}")
        entry = evaluate_model(model, split, args.ks, args.factors, args.seed, args.start)
        first = entry["metrics"][str(args.ks[0])]
        log(f"{model}: fit {entry['fit_s']:.3f} s, recommend {entry['recommend_s']:.3f} s, "
            f"ndcg@{args.ks[0]} {first['ndcg']:.4f}")
        report["models"].append(entry)

    print(render(report))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)
            out.write("\n")
    if args.check_reference:
        mismatches = reference_mismatches(report)
        if mismatches:
            for line in mismatches:
                log(f"reference mismatch: {line}")
            return 3
        print(f"reference values of docs/EVALUATION.md §7 ({args.split}): reproduced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
