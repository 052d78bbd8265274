"""Compares the allocation gate's measurements with the committed thresholds (Benchmarks/alloc/gate.sh).

    thresholds.py check    THRESHOLDS.json ALLOCATIONS.json INSTRUCTIONS.json
    thresholds.py update   THRESHOLDS.json ALLOCATIONS.json INSTRUCTIONS.json
    thresholds.py markdown THRESHOLDS.json ALLOCATIONS.json INSTRUCTIONS.json

ALLOCATIONS.json and INSTRUCTIONS.json are Benchmarks/alloc/drive.py's results. `check` and `update` print one row
per scenario: allocations, bytes asked for and instructions per request, with the limits. `check` exits 1 when a
scenario is above a limit (its threshold plus the file's tolerance), naming the scenario with the measured figure
beside the threshold; a figure below its threshold by more than the tolerance is reported (not failed) so the gain
can be locked in. `update` rewrites the thresholds from the measurement and keeps the rest of the file.
`markdown` prints the figures and thresholds as a Markdown table (BENCHMARKS.md's requests section).
"""

import json
import sys


def load(path):
    with open(path) as file:
        return json.load(file)


def per_request(measurements, key):
    return {name: result[key] / result["requests"] for name, result in measurements["scenarios"].items()}


def show_allocations(value):
    return f"{value:.1f}"


def show_instructions(value):
    return f"{value:,.0f}"


class Gate:
    """The measured figures per request beside the thresholds and their tolerance."""

    def __init__(self, thresholds, allocation_run, instruction_run):
        self.thresholds = thresholds
        self.summaries = {name: result["summary"] for name, result in allocation_run["scenarios"].items()}
        self.allocations = per_request(allocation_run, "allocations")
        self.bytes = per_request(allocation_run, "bytes")
        self.instructions = per_request(instruction_run, "instructions")
        self.requests = {name: f"{result['requests']:,} / {instruction_run['scenarios'][name]['requests']:,}"
                         for name, result in allocation_run["scenarios"].items() if name in instruction_run["scenarios"]}
        self.tolerance = thresholds["tolerance"]

    def figure(self, metric, name):
        return (self.allocations if metric == "allocations" else self.instructions)[name]

    def threshold(self, metric, name):
        return self.thresholds["scenarios"][name][f"{metric}_per_request"]

    def limit(self, metric, name):
        return (self.threshold(metric, name) * (1 + self.tolerance[f"{metric}_relative"])
                + self.tolerance.get(f"{metric}_absolute", 0))

    def floor(self, metric, name):
        return (self.threshold(metric, name) * (1 - self.tolerance[f"{metric}_relative"])
                - self.tolerance.get(f"{metric}_absolute", 0))

    def update(self):
        self.thresholds["scenarios"] = {
            name: {
                "summary": self.summaries[name],
                "allocations_per_request": round(self.allocations[name], 1),
                "instructions_per_request": round(self.instructions[name]),
            }
            for name in self.allocations
        }

    def verdicts(self):
        """(failures, notes): one line each, naming the scenario, the figure and the threshold."""
        failures, notes = [], []
        for name in self.allocations:
            if name not in self.thresholds["scenarios"] or name not in self.instructions:
                failures.append(f"{name}: no threshold (run `make test-alloc-update` to add one)")
                continue
            for metric, show in (("allocations", show_allocations), ("instructions", show_instructions)):
                measured, threshold = self.figure(metric, name), self.threshold(metric, name)
                if measured > self.limit(metric, name):
                    failures.append(f"{name}: {show(measured)} {metric} per request, above the threshold "
                                    f"{show(threshold)} (limit {show(self.limit(metric, name))} with the tolerance)")
                elif measured < self.floor(metric, name):
                    notes.append(f"{name}: {show(measured)} {metric} per request, well below the threshold "
                                 f"{show(threshold)}: lock the gain in with `make test-alloc-update`")
        return failures, notes

    def text_table(self, failed):
        header = ("scenario", "allocs/req", "limit", "bytes/req", "instructions/req", "limit", "")
        rows = [header]
        for name in self.allocations:
            known = name in self.thresholds["scenarios"]
            rows.append((
                name, show_allocations(self.allocations[name]),
                show_allocations(self.limit("allocations", name)) if known else "—", f"{self.bytes[name]:,.0f}",
                show_instructions(self.instructions[name]),
                show_instructions(self.limit("instructions", name)) if known else "—",
                "FAIL" if name in failed else "ok",
            ))
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        return "\n".join(
            "  " + "  ".join(cell.ljust(widths[i]) if i in (0, 6) else cell.rjust(widths[i])
                             for i, cell in enumerate(row)).rstrip()
            for row in rows)

    def markdown_table(self):
        lines = ["| scenario | requests measured (allocations / instructions) | allocations per request | threshold "
                 "| bytes asked for per request | instructions per request | threshold |",
                 "|---|---|---|---|---|---|---|"]
        for name in self.allocations:
            known = name in self.thresholds["scenarios"]
            lines.append(f"| {self.summaries[name]} | {self.requests[name]} "
                         f"| {show_allocations(self.allocations[name])} "
                         f"| {show_allocations(self.threshold('allocations', name)) if known else '—'} "
                         f"| {self.bytes[name]:,.0f} | {show_instructions(self.instructions[name])} "
                         f"| {show_instructions(self.threshold('instructions', name)) if known else '—'} |")
        tolerance = self.tolerance
        lines += ["", f"A scenario fails above threshold × {1 + tolerance['allocations_relative']:g} + "
                      f"{tolerance.get('allocations_absolute', 0):g} allocations or threshold × "
                      f"{1 + tolerance['instructions_relative']:g} instructions per request."]
        return "\n".join(lines)


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("check", "update", "markdown"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, thresholds_path = sys.argv[1:3]
    gate = Gate(load(thresholds_path), load(sys.argv[3]), load(sys.argv[4]))
    if mode == "markdown":
        print(gate.markdown_table())
        return 0
    if mode == "update":
        gate.update()
        with open(thresholds_path, "w") as file:
            json.dump(gate.thresholds, file, indent=2)
            file.write("\n")
    failures, notes = gate.verdicts()
    print(gate.text_table({failure.split(":")[0] for failure in failures}))
    for note in notes:
        print(f"alloc-gate: note: {note}")
    if mode == "update":
        print(f"alloc-gate: wrote {thresholds_path}")
        return 0
    for failure in failures:
        print(f"alloc-gate: FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("alloc-gate: every scenario within its thresholds")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
