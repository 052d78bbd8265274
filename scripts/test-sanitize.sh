#!/usr/bin/env bash
# `make test-sanitize`: the unit and end-to-end suites built with ThreadSanitizer, then with AddressSanitizer,
# and the API conformance run against each sanitized server. Any report fails the run: a sanitized `recsmith`
# exits non-zero after a report, which the end-to-end tests and the conformance script check.
#
#   scripts/test-sanitize.sh [thread|address ...]     (default: thread address)
#
# Builds go to .build-tsan and .build-asan beside .build. ThreadSanitizer's suppressions (one, for BPR's
# lock-free Hogwild updates) are in scripts/tsan-suppressions.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(thread address)
export TSAN_OPTIONS="suppressions=$root/scripts/tsan-suppressions.txt halt_on_error=0 exitcode=66 second_deadlock_stack=1"
# Leak checking is off: the Swift runtime's and Foundation's process-lifetime caches read as leaks at exit.
export ASAN_OPTIONS="detect_leaks=0 abort_on_error=0 exitcode=67"
for sanitizer in "${sanitizers[@]}"; do
    case $sanitizer in
        thread) scratch=.build-tsan ;;
        address) scratch=.build-asan ;;
        *) echo "test-sanitize: unknown sanitizer $sanitizer (thread or address)" >&2; exit 2 ;;
    esac
    echo "== test-sanitize: $sanitizer: build"
    mkdir -p "$scratch"
    if ! swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" > "$scratch/sanitize-build.log" 2>&1; then
        grep -E "error" "$scratch/sanitize-build.log" | head -40
        echo "test-sanitize: the $sanitizer build failed (log: $scratch/sanitize-build.log)" >&2
        exit 1
    fi
    echo "== test-sanitize: $sanitizer: swift test"
    swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch"
    echo "== test-sanitize: $sanitizer: api conformance"
    CONFORMANCE_SEEDS=${CONFORMANCE_SEEDS:-1} scripts/api-conformance.sh "$root/$scratch/debug/recsmith"
done
echo "test-sanitize: clean (${sanitizers[*]})"
