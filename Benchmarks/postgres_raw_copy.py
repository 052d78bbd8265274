"""The raw limit for PostgreSQL ingest: bare psycopg COPY loops, the peer of `recsmith serve --store postgresql://…`.

CLIENTS processes each commit 1,000-event transactions (one COPY each) into an events table shaped like the store's
(bigint seq, integer user and item, the partial unique index on the event id), for SECONDS; prints events/s over all
of them. The database must be empty of a table named raw_events. Usage: python3 postgres_raw_copy.py URL CLIENTS SECONDS
"""
import multiprocessing
import sys
import time

import psycopg

BATCH = 1000


def client(url, number, seconds, counts):
    with psycopg.connect(url) as connection:
        events = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            with connection.transaction():
                with connection.cursor() as cursor:
                    with cursor.copy("COPY raw_events (seq, user_id, item_id, type, weight, ts, external_id) FROM STDIN") as copy:
                        for _ in range(BATCH):
                            n = number * 1_000_000_000 + events
                            copy.write_row((n, n % 20000 + 1, (n * 7) % 10000 + 1, "view", 1.0, 1.7e9 + events, f"raw-{number}-{events}"))
                            events += 1
        counts[number] = events


def main():
    url, clients, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("""
            CREATE TABLE raw_events (seq bigint PRIMARY KEY, user_id integer NOT NULL, item_id integer NOT NULL,
                type text NOT NULL, weight double precision NOT NULL, ts double precision NOT NULL, external_id text)""")
        connection.execute("CREATE UNIQUE INDEX raw_events_external_id ON raw_events (external_id) WHERE external_id IS NOT NULL")
    counts = multiprocessing.Manager().dict()
    start = time.perf_counter()
    workers = [multiprocessing.Process(target=client, args=(url, n, seconds, counts)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    with psycopg.connect(url, autocommit=True) as connection:
        stored = connection.execute("SELECT count(*) FROM raw_events").fetchone()[0]
        connection.execute("DROP TABLE raw_events")
    assert stored == sum(counts.values()), (stored, dict(counts))
    print(f"{stored / elapsed:.0f}")


if __name__ == "__main__":
    main()
