"""Snapshot propagation and change-feed lag across recsmith processes on one PostgreSQL database.

    python3 postgres_replicas.py TRAINER_URL REPLICA_A_URL REPLICA_B_URL ADMIN_TOKEN PASSES LAG_SAMPLES

Propagation: POST /retrain on the trainer, poll its job every 10 ms until it succeeds (the pass's end), then poll
both replicas' /models every 10 ms until both serve the new version; the wait after the pass is the propagation
time. Feed lag: a new user's top-1 popular item X on replica B; the user's event on X is posted to replica A; from
A's 200, replica B is asked every 2 ms until X is no longer recommended (B applied the event to the user's seen
items; a random pause before each event keeps the samples from locking to B's poll). Prints `propagation_s=…` (comma list) and `lag_ms=…` (comma list). Loopback only; every loop is bounded.
"""
import json
import random
import sys
import time
import urllib.request


def call(method, url, token=None, body=None):
    headers = {"Content-Type": "application/x-ndjson"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def served_version(base):
    models = call("GET", f"{base}/models").get("models") or []
    return models[0].get("version") if models else None


def poll(condition, interval, limit):
    """Calls condition every `interval` s until it is true or `limit` s passed; returns the time it held or None."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(interval)
    return None


def propagation(trainer, replicas, token, passes):
    times = []
    for _ in range(passes):
        before = [served_version(replica) for replica in replicas]
        job = call("POST", f"{trainer}/retrain", token)["job"]
        ended = poll(lambda: call("GET", f"{trainer}/retrain/{job}", token)["status"] not in ("queued", "running"), 0.01, 600)
        status = call("GET", f"{trainer}/retrain/{job}", token)["status"]
        assert ended is not None and status == "succeeded", status
        arrived = poll(lambda: all(served_version(r) not in (None, b) for r, b in zip(replicas, before)), 0.01, 60)
        assert arrived is not None, "a replica never served the new set"
        times.append(arrived - ended)
    return times


def feed_lag(accepting, other, samples):
    lags = []
    stamp = int(time.time())
    phase = random.Random(1)
    for sample in range(samples):
        # A random pause first: posting right after the previous exclusion would land each event just after B's poll.
        time.sleep(phase.uniform(0, 0.1))
        user = f"lag-{stamp}-{sample}"
        top = call("GET", f"{other}/users/{user}/recommendations?k=1&model=popular")["items"][0]["item"]
        event = json.dumps({"user": user, "item": top, "id": f"{user}-event"}).encode()
        assert call("POST", f"{accepting}/events", body=event)["accepted"] == 1
        start = time.perf_counter()
        excluded = poll(lambda: call("GET", f"{other}/users/{user}/recommendations?k=1&model=popular")["items"][0]["item"] != top,
                        0.002, 10)
        assert excluded is not None, "replica B never excluded the event's item"
        lags.append((excluded - start) * 1000)
    return lags


def main():
    trainer, replica_a, replica_b, token, passes, samples = sys.argv[1:7]
    times = propagation(trainer, [replica_a, replica_b], token, int(passes))
    lags = feed_lag(replica_a, replica_b, int(samples))
    print("propagation_s=" + ",".join(f"{t:.3f}" for t in times))
    print("lag_ms=" + ",".join(f"{lag:.1f}" for lag in lags))


if __name__ == "__main__":
    main()
