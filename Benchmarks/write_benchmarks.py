#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the sections one `Benchmarks/run.sh` made, keeping the others.

    write_benchmarks.py BENCHMARKS.md SECTIONS_DIR KEY...

SECTIONS_DIR holds `header.md` and one `KEY.md` per section that run made. Every section in BENCHMARKS.md starts
with the line `<!-- bench:KEY -->`; the file is rewritten as the new header followed by the sections in the order
of the KEY arguments, each taken from SECTIONS_DIR when this run made it and kept from the old file otherwise,
so `BENCH_ONLY=…` refreshes some figures without losing the rest.
"""

import os
import re
import sys

MARKER = re.compile(r"^<!-- bench:([a-z0-9-]+) -->$", re.MULTILINE)


def old_sections(text):
    """The old file's sections by key, each from its marker to the next one (or the end), without trailing blanks."""
    matches = list(MARKER.finditer(text))
    sections = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections[match.group(1)] = text[match.start():end].rstrip("\n")
    return sections


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    target, directory, keys = argv[0], argv[1], argv[2:]
    old = {}
    if os.path.exists(target):
        with open(target, encoding="utf-8") as handle:
            old = old_sections(handle.read())
    with open(os.path.join(directory, "header.md"), encoding="utf-8") as handle:
        parts = [handle.read().rstrip("\n")]
    for key in keys:
        path = os.path.join(directory, f"{key}.md")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                section = handle.read().rstrip("\n")
            if not section.startswith(f"<!-- bench:{key} -->"):
                print(f"{path} does not start with its marker", file=sys.stderr)
                return 1
            parts.append(section)
        elif key in old:
            parts.append(old[key])
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(parts) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
