#!/usr/bin/env bash
# Runs a command N times in a row and reports how many runs passed; stops at the first failure unless
# REPEAT_ALL=1. For flakiness hunts before resolving an issue:
#
#   scripts/repeat.sh 5 make test
#   REPEAT_ALL=1 scripts/repeat.sh 10 scripts/api-conformance.sh
#
# Each run's output goes to $REPEAT_LOGS (default /tmp/recsmith-repeat)/run-K.log; a failing run's tail is printed.
set -uo pipefail
if [ $# -lt 2 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/repeat.sh N COMMAND [ARGS...]" >&2
    exit 2
fi
runs=$1
shift
logs=${REPEAT_LOGS:-/tmp/recsmith-repeat}
mkdir -p "$logs"
passed=0
failed=0
for run in $(seq 1 "$runs"); do
    started=$(date +%s)
    if "$@" > "$logs/run-$run.log" 2>&1; then
        passed=$((passed + 1))
        echo "repeat: run $run/$runs passed in $(( $(date +%s) - started ))s"
    else
        failed=$((failed + 1))
        echo "repeat: run $run/$runs FAILED in $(( $(date +%s) - started ))s; the end of $logs/run-$run.log:"
        tail -n 40 "$logs/run-$run.log"
        [ "${REPEAT_ALL:-0}" = 1 ] || break
    fi
done
echo "repeat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
