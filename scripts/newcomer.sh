#!/usr/bin/env bash
# A newcomer's first minutes, replayed: clones the repository into a temporary directory, runs the README's Quick
# start and Walk-through shell blocks there in order, and fails at the first command that does not do what the
# README says.
#
#   scripts/newcomer.sh [REPOSITORY]      (make newcomer)
#
# REPOSITORY is a local path (default: this checkout); its HEAD commit is what is tested, so commit first. The clone
# builds from scratch, which takes minutes: on a shared machine run `flock /tmp/recsmith-build.lock make newcomer`.
# NEWCOMER_PREBUILT=path/to/recsmith skips that build (the binary is copied into the clone and make's SWIFT is
# `true`), to check README edits in a minute. Not part of `make test`.
#
# The README marks the blocks a newcomer runs with an HTML comment on the line before the ```sh fence
# (scripts/readme-steps.py reads them, so the README and this script cannot drift):
#
#   <!-- newcomer -->                            each command runs with bash from the clone's root, for at most
#                                                NEWCOMER_STEP_TIMEOUT seconds (default 300); it must exit 0 and
#                                                answer what the README shows after it (`# {…}` lines), or, when it
#                                                shows nothing, not answer an error
#   <!-- newcomer: after stopping the server --> the same, once the server started before has stopped
#   <!-- newcomer: background until "TEXT" -->   the block's command starts a server in the background; it must
#                                                print TEXT within NEWCOMER_START_TIMEOUT seconds (default 1800:
#                                                make builds first). The curl commands it prints are run too, and
#                                                one of them must answer personalised recommendations.
#
# Servers listen on a free loopback port instead of 8080 (RECSMITH_PORT; the commands' 127.0.0.1:8080 and
# localhost:8080 are rewritten) and are stopped (SIGTERM to their process group, then SIGKILL) before the next one
# and when the script ends, however it ends. Other RECSMITH_* variables are unset, and TMPDIR is inside the
# temporary directory, which is deleted at the end (NEWCOMER_KEEP=1 keeps it). Prints the seconds from the start of
# the clone to each server's readiness and to every personalised answer.
set -euo pipefail
source_repository=$(cd "${1:-$(dirname "$0")/..}" && git rev-parse --show-toplevel)
step_timeout=${NEWCOMER_STEP_TIMEOUT:-300}
start_timeout=${NEWCOMER_START_TIMEOUT:-1800}
for variable in $(compgen -e | grep '^RECSMITH_' || true); do unset "$variable"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/recsmith-newcomer.XXXXXX")
clone="$work/recsmith"
server_group=""

stop_server() {
    [ -n "$server_group" ] || return 0
    kill -TERM -- "-$server_group" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 -- "-$server_group" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL -- "-$server_group" 2>/dev/null || true
    wait "$server_group" 2>/dev/null || true
    server_group=""
}

cleanup() {
    stop_server
    if [ "${NEWCOMER_KEEP:-0}" = 1 ]; then echo "newcomer: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "newcomer: FAILED: $*" >&2
    exit 1
}

# Shows a step's command and output after a failure.
show() {
    local output=$1
    {
        echo "--- command (README.md:$line, run in the clone):"
        echo "$command"
        echo "--- its standard output:"
        tail -n 40 "$output.out" 2>/dev/null || true
        echo "--- its standard error:"
        tail -n 40 "$output.err" 2>/dev/null || true
    } >&2
}

elapsed() { echo $(($(date +%s) - started)); }

# Runs $command; fails unless it exits 0 and answers what $expected shows. Sets $personalised when it did.
run_step() {
    local output="$work/step" verdict status=0
    (cd "$clone" && timeout --kill-after=10 "$step_timeout" bash -c "$command") > "$output.out" 2> "$output.err" || status=$?
    if [ "$status" -ne 0 ]; then
        show "$output"
        [ "$status" -eq 124 ] && fail "the command did not finish within $step_timeout s"
        fail "the command exited $status"
    fi
    if ! verdict=$(python3 "$clone/scripts/readme-steps.py" check "$expected" "$output.out" 2>&1); then
        show "$output"
        fail "the answer is not the one README.md:$line shows: $verdict"
    fi
    personalised=""
    [ "$verdict" = personalised ] && personalised=yes
    return 0
}

# Starts $command as a server in its own process group and waits for $ready in its output; then runs the curl
# commands it printed.
start_server() {
    local log="$work/server-$1.log" waited=0
    stop_server
    : > "$log"
    (cd "$clone" && exec setsid bash -c "$command") > "$log" 2>&1 < /dev/null &
    server_group=$!
    until grep -qF -- "$ready" "$log"; do
        if ! kill -0 "$server_group" 2>/dev/null; then
            tail -n 40 "$log" >&2
            fail "\`$command\` (README.md:$line) exited before printing \"$ready\""
        fi
        if [ "$waited" -ge $((start_timeout * 5)) ]; then
            tail -n 40 "$log" >&2
            fail "\`$command\` (README.md:$line) did not print \"$ready\" within $start_timeout s"
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    echo "newcomer: $(elapsed) s: \`$command\` printed \"$ready\""
    local printed=0 answered=""
    expected="$work/none.json"
    echo '[]' > "$expected"
    while IFS= read -r -d '' command; do
        printed=$((printed + 1))
        run_step
        if [ -n "$personalised" ] && [ -z "$answered" ]; then
            answered=yes
            echo "newcomer: $(elapsed) s: first personalised answer, from a command \`$2\` printed: $command"
        fi
    done < <(python3 "$clone/scripts/readme-steps.py" printed "$log" "$port")
    if [ "$printed" -gt 0 ] && [ -z "$answered" ]; then
        fail "none of the $printed curl commands \`$2\` printed answered personalised recommendations"
    fi
    [ "$printed" -eq 0 ] || echo "newcomer: the $printed curl commands \`$2\` printed work"
}

started=$(date +%s)
revision=$(git -C "$source_repository" rev-parse HEAD)
[ -z "$(git -C "$source_repository" status --porcelain)" ] \
    || echo "newcomer: $source_repository has uncommitted changes; testing its HEAD $revision without them"
git clone --quiet --no-checkout "$source_repository" "$clone"
git -C "$clone" checkout --quiet --detach "$revision"
echo "newcomer: cloned $source_repository at $revision into $clone"

mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export RECSMITH_PORT=$port
if [ -n "${NEWCOMER_PREBUILT:-}" ]; then
    mkdir -p "$clone/.build/release"
    cp "$NEWCOMER_PREBUILT" "$clone/.build/release/recsmith"
    export SWIFT=true
    echo "newcomer: using the prebuilt $NEWCOMER_PREBUILT instead of building"
fi
python3 "$clone/scripts/readme-steps.py" extract "$clone/README.md" "$port" "$work/steps"

servers=0
for kind_file in "$work"/steps/*.kind; do
    step=${kind_file%.kind}
    kind=$(cat "$kind_file")
    command=$(cat "$step.sh")
    expected="$step.expected"
    ready=$(cat "$step.ready")
    line=$(cat "$step.line")
    case "$kind" in
        background)
            servers=$((servers + 1))
            start_server "$servers" "$command"
            ;;
        stop)
            stop_server
            echo "newcomer: stopped the server (README.md:$line)"
            ;;
        run)
            run_step
            [ -z "$personalised" ] || echo "newcomer: $(elapsed) s: a personalised answer (README.md:$line)"
            ;;
    esac
done
echo "newcomer: passed: $(ls "$work"/steps/*.kind | wc -l) README steps in $(elapsed) s from the clone, on 127.0.0.1:$port"
