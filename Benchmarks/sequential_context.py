#!/usr/bin/env python3
"""How much a model that reads the last two items can gain over a first-order table on a set made with
`recsmith generate --sequence-share S --successor-tiers T`, leave-last-out (recsmith-eval-v1's split), NDCG@10:

  * counts by the previous item — a first-order table, ranked by transition count (markov's idea, unsmoothed);
  * counts by (previous item, tier of the item before it) — the context the generator plants, which any model can
    read from the history (tier = item index mod T), backed off to the first-order counts.

Both rank the user's unseen items, ties and the rest by popularity. The second is about the best a model can do
on the planted part; the gap between the two is the room a recurrent model has over markov.

    Benchmarks/sequential_context.py FILE.csv T
"""
import csv
import math
import sys
from collections import Counter, defaultdict


def main(path: str, tiers: int) -> None:
    latest = {}
    with open(path, newline="") as file:
        rows = csv.reader(file)
        next(rows)
        for user, item, timestamp, *_ in rows:
            t = float(timestamp)
            if latest.get((user, item), -math.inf) < t:
                latest[(user, item)] = t
    by_user = defaultdict(list)
    for (user, item), t in latest.items():
        by_user[user].append((t, item.encode(), item))
    train, test = {}, {}
    for user, pairs in by_user.items():
        pairs.sort()
        items = [item for _, _, item in pairs]
        train[user] = items[:-1] if len(items) >= 2 else items
        if len(items) >= 2:
            test[user] = items[-1]
    catalogue = {item for items in train.values() for item in items}
    test = {user: item for user, item in test.items() if item in catalogue}

    def tier(item: str) -> int:
        return int(item[1:]) % tiers

    first, second, popularity = defaultdict(Counter), defaultdict(Counter), Counter()
    for items in train.values():
        popularity.update(items)
        for a, b in zip(items, items[1:]):
            first[a][b] += 1
        for a, b, c in zip(items, items[1:], items[2:]):
            second[(b, tier(a))][c] += 1
    top = [item for item, _ in popularity.most_common(300)]
    most = max(popularity.values())

    def ndcg(with_context: bool) -> float:
        total = 0.0
        for user, target in test.items():
            history = train[user]
            scores = {item: popularity[item] / most * 1e-3 for item in top}
            for item, count in first[history[-1]].items():
                scores[item] = scores.get(item, 0) + count * (0.1 if with_context else 1)
            if with_context and len(history) >= 2:
                for item, count in second[(history[-1], tier(history[-2]))].items():
                    scores[item] = scores.get(item, 0) + count
            seen = set(history)
            ranked = sorted((item for item in scores if item not in seen), key=lambda item: -scores[item])[:10]
            if target in ranked:
                total += 1 / math.log2(ranked.index(target) + 2)
        return total / len(test)

    plain, context = ndcg(False), ndcg(True)
    print(f"{len(test)} test users")
    print(f"counts by the previous item:                            NDCG@10 {plain:.4f}")
    print(f"counts by (previous item, tier of the item before it):  NDCG@10 {context:.4f} ({context / plain:.2f}×)")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
