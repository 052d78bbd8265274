"""The raw limit for ingest: a bare SQLite insert loop in one transaction, with Recsmith's schema.

Prints events/s for inserting N events (unique ids, users and items already present), in WAL mode with
synchronous=FULL, the way the store commits. Usage: python3 sqlite_raw_insert.py DB N
"""
import sqlite3
import sys
import time

path, count = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.executescript("""
CREATE TABLE users (id INTEGER PRIMARY KEY, external TEXT NOT NULL UNIQUE) STRICT;
CREATE TABLE items (id INTEGER PRIMARY KEY, external TEXT NOT NULL UNIQUE) STRICT;
CREATE TABLE events (seq INTEGER PRIMARY KEY, user INTEGER NOT NULL, item INTEGER NOT NULL, type TEXT NOT NULL,
                     weight REAL NOT NULL, timestamp REAL NOT NULL, external_id TEXT) STRICT;
CREATE UNIQUE INDEX events_external_id ON events(external_id) WHERE external_id IS NOT NULL;
""")
db.execute("BEGIN")
db.executemany("INSERT INTO users (external) VALUES (?)", ((f"u{n}",) for n in range(20000)))
db.executemany("INSERT INTO items (external) VALUES (?)", ((f"i{n}",) for n in range(10000)))
db.execute("COMMIT")
rows = [(n % 20000 + 1, (n * 7) % 10000 + 1, "view", 1.0, 1.7e9 + n, f"raw-{n}") for n in range(count)]
start = time.perf_counter()
db.execute("BEGIN")
db.executemany("INSERT INTO events (user, item, type, weight, timestamp, external_id) VALUES (?, ?, ?, ?, ?, ?)", rows)
db.execute("COMMIT")
elapsed = time.perf_counter() - start
print(f"{count / elapsed:.0f}")
