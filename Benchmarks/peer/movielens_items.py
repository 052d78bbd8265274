#!/usr/bin/env python3
"""Turns MovieLens `movies.csv` (movieId,title,genres) into item records for `recsmith evaluate --items`.

One JSON object per line, the public item record shape: `item` = movieId (the item ids of the shared
`events.csv`), `categories` = the `|`-separated genres (none for "(no genres listed)"), `text` = the title
without its trailing year, e.g. "Toy Story (1995)" -> "Toy Story".

    movielens_items.py var/ml-latest-small/movies.csv > /tmp/movies.jsonl

Standard library only.
"""

import csv
import json
import re
import sys

# "(1995)", "(2006-2007)" or an open range "(2007- )" at the end of a title (MovieLens writes an en dash or
# a hyphen); some titles have none.
YEAR = re.compile(r"\s*\(\d{4}(?:\s*[-\u2013]\s*(?:\d{4})?\s*)?\)\s*$")
NO_GENRES = "(no genres listed)"


def records(rows):
    for row in rows:
        genres = [] if row["genres"] == NO_GENRES else [g for g in row["genres"].split("|") if g]
        yield {"item": row["movieId"], "categories": genres, "text": YEAR.sub("", row["title"]).strip()}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], newline="", encoding="utf-8") as source:
        for record in records(csv.DictReader(source)):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
