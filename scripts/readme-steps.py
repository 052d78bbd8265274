#!/usr/bin/env python3
"""The README's marked shell blocks as steps, and the checks of their answers, for scripts/newcomer.sh.

    readme-steps.py extract README.md PORT DIR   one step per file trio in DIR (see below); PORT replaces 8080
    readme-steps.py printed LOG PORT             the curl commands a server printed in LOG, NUL-separated
    readme-steps.py check EXPECTED.json OUTPUT   exit 1 (with the reason) when OUTPUT is not the answer shown;
                                                 prints "personalised" when it is a personalised recommendation

A marker is an HTML comment on the line right before a ```sh fence:

    <!-- newcomer -->                           run every command of the block
    <!-- newcomer: after stopping the server --> stop the server started before, then the same
    <!-- newcomer: background until "TEXT" -->  the block's one command starts a server, ready when it prints TEXT

`extract` writes, for step N (three digits, in README order), N.kind (run, stop or background), N.sh (the
command, with `127.0.0.1:8080` and `localhost:8080` on PORT), N.expected (a JSON list of the answers the README
shows after it: each line starting `# {` starts one, `#` lines indented further continue it, and a trailing
`   — remark` is dropped), N.ready (TEXT, for background) and N.line (where the command is in the README).

An answer matches when it is JSON with every key of a shown one. At the top level the values must be equal too,
except those the README says will differ (versions, job ids, job status, times, messages); inside, only `code`,
`field`, `index` and `name` are compared. A list has at least as many elements as shown, compared pairwise. `…`
in a shown answer stands for elided text, and a value shown as `"…"` for any value. A command that shows no
answer must not answer an error.
Standard library only.
"""
import json
import re
import shlex
import sys
from pathlib import Path

MARKER = re.compile(r'^<!-- newcomer(?:: (after stopping the server|background until "(.*)"))? -->$')
VARIES = {"version", "job", "status", "trained_at", "training_seconds", "message", "durations"}
NESTED = {"code", "field", "index", "name"}
IMPERSONAL = {"popular", "trending", "random", "softmax"}
# What a shown value of exactly "…" becomes: it matches any value.
ANY = "<any value>"


def on_port(text, port):
    return text.replace("127.0.0.1:8080", f"127.0.0.1:{port}").replace("localhost:8080", f"localhost:{port}")


def complete(text):
    """Whether `text` is a whole command: no trailing `\\`, no quote left open."""
    if text.endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return False
    return True


def commands(lines, first_line):
    """(line number, command, shown answers) for each command in a shell block's lines."""
    found = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            index += 1
            continue
        start = index
        text = line
        while not complete(text) and index + 1 < len(lines):
            index += 1
            text += "\n" + lines[index]
        index += 1
        answers = []
        while index < len(lines) and lines[index].startswith("#"):
            comment = lines[index]
            if comment.startswith("# {"):
                answers.append(comment[2:])
            elif answers and comment.startswith("#  "):
                answers[-1] += comment[1:].strip()
            else:
                break
            index += 1
        found.append((first_line + start, text, [re.split(r"\s{2,}— ", answer)[0].strip() for answer in answers]))
    return found


def extract(readme, port, directory):
    lines = Path(readme).read_text(encoding="utf-8").split("\n")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    steps = 0

    def write(kind, command="", line=0, expected=(), ready=""):
        nonlocal steps
        steps += 1
        stem = out / f"{steps:03d}"
        Path(f"{stem}.kind").write_text(kind)
        Path(f"{stem}.sh").write_text(on_port(command, port))
        Path(f"{stem}.expected").write_text(json.dumps([parse_shown(answer, line) for answer in expected]))
        Path(f"{stem}.ready").write_text(on_port(ready, port))
        Path(f"{stem}.line").write_text(str(line))

    for number, line in enumerate(lines):
        if not line.startswith("<!-- newcomer"):
            continue
        marker = MARKER.match(line)
        if not marker or number + 1 >= len(lines) or lines[number + 1] != "```sh":
            sys.exit(f"README.md:{number + 1}: a newcomer marker is one of the three forms, right before a ```sh fence")
        end = lines.index("```", number + 2)
        block = commands(lines[number + 2:end], number + 3)
        if marker.group(1) and marker.group(1).startswith("background"):
            if len(block) != 1:
                sys.exit(f"README.md:{number + 1}: a background block holds exactly one command")
            write("background", block[0][1], block[0][0], ready=marker.group(2))
            continue
        if marker.group(1):
            write("stop", line=number + 1)
        for command_line, command, answers in block:
            write("run", command, command_line, answers)
    if steps == 0:
        sys.exit("README.md has no newcomer blocks")


def parse_shown(answer, line):
    """A shown answer as JSON, `…` (elided text) removed."""
    text = re.sub(r",\s*…", "", answer.replace('"…"', f'"{ANY}"')).replace("…", "")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        sys.exit(f"README.md:{line}: the answer shown after the command is not JSON once `…` is elided ({error}): {answer}")


def mismatch(shown, actual, path, top):
    """Why `actual` is not the shown answer, or None."""
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return f"{path or 'the answer'} is not an object"
        for key, value in shown.items():
            if key not in actual:
                return f"{path}{key} is missing"
            if isinstance(value, (dict, list)):
                reason = mismatch(value, actual[key], f"{path}{key}.", False)
                if reason:
                    return reason
            elif (key not in VARIES if top else key in NESTED) and value != ANY and actual[key] != value:
                return f"{path}{key} is {json.dumps(actual[key])}, the README shows {json.dumps(value)}"
        return None
    if isinstance(shown, list):
        if not isinstance(actual, list) or len(actual) < len(shown):
            return f"{path.rstrip('.')} has fewer than the {len(shown)} elements shown"
        for position, (element, got) in enumerate(zip(shown, actual)):
            reason = mismatch(element, got, f"{path}{position}.", False)
            if reason:
                return reason
    return None


def check(expected_file, output_file):
    shown = json.loads(Path(expected_file).read_text())
    output = Path(output_file).read_text(encoding="utf-8", errors="replace").strip()
    try:
        actual = json.loads(output)
    except json.JSONDecodeError:
        actual = None
    if shown:
        if actual is None:
            sys.exit("the answer is not JSON")
        reasons = [mismatch(answer, actual, "", True) for answer in shown]
        if all(reasons):
            sys.exit("; or ".join(reasons))
    elif isinstance(actual, dict) and "error" in actual or output.startswith('{"error"'):
        sys.exit("the answer is an error")
    if (isinstance(actual, dict) and "user" in actual and actual.get("items")
            and actual.get("model") not in IMPERSONAL and actual.get("version") != "live"):
        print("personalised")


def printed(log, port):
    """The curl commands (with their continuation lines) a server printed, on `port`."""
    lines = Path(log).read_text(encoding="utf-8", errors="replace").split("\n")
    found = []
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        index += 1
        if not text.startswith("curl "):
            continue
        while text.endswith("\\") and index < len(lines):
            text += "\n" + lines[index]
            index += 1
        found.append(on_port(text, port))
    sys.stdout.write("".join(command + "\0" for command in found))


if __name__ == "__main__":
    verbs = {"extract": (extract, 3), "check": (check, 2), "printed": (printed, 2)}
    if len(sys.argv) < 2 or sys.argv[1] not in verbs or len(sys.argv) != verbs[sys.argv[1]][1] + 2:
        sys.exit(__doc__)
    verbs[sys.argv[1]][0](*sys.argv[2:])
