#!/usr/bin/env bash
# Fetches MovieLens latest-small from its publisher (GroupLens) and converts its ratings into Recsmith's events.csv.
#
#   scripts/movielens.sh [--zip FILE] [--output DIR]      (make movielens)
#
# Downloads https://files.grouplens.org/datasets/movielens/ml-latest-small.zip (curl, at most MOVIELENS_TIMEOUT
# seconds, default 300), or reads the copy --zip names, and writes into DIR (default var/ml-latest-small/ in the
# repository, where the tests and benchmarks look first after RECSMITH_MOVIELENS):
#
#   ratings.csv   userId,movieId,rating,timestamp   as published
#   movies.csv    movieId,title,genres              as published
#   README.txt    the data set's description and licence (research use, no commercial use without permission)
#   events.csv    user,item,timestamp,weight        the ratings, the rating as weight: what `recsmith import` and
#                                                   `recsmith evaluate --data` read
#
# The three CSV files are checked against pinned SHA-256 sums before anything is moved into DIR, so a changed or
# truncated download fails here rather than as odd figures later. Nothing is downloaded when DIR already holds
# them with the right sums.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
url=https://files.grouplens.org/datasets/movielens/ml-latest-small.zip
zip=""
output="$root/var/ml-latest-small"
while [ $# -gt 0 ]; do
    case "$1" in
        --zip) zip=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) echo "usage: $0 [--zip FILE] [--output DIR]" >&2; exit 2 ;;
    esac
done

# The sums of the files as published on 2018-09-26 (events.csv: as converted below).
declare -A sha256=(
    [ratings.csv]=aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646
    [movies.csv]=5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07
    [events.csv]=85337d5c477281cf03c145436e404894369312639091da3a534dc90201ac000d
)

# Prints the names among ratings.csv, movies.csv and events.csv in directory $1 whose sum is not the pinned one.
mismatched() {
    local name
    for name in ratings.csv movies.csv events.csv; do
        [ -f "$1/$name" ] && [ "$(sha256sum < "$1/$name" | cut -d' ' -f1)" = "${sha256[$name]}" ] || echo "$name"
    done
}

if [ -z "$(mismatched "$output")" ]; then
    echo "movielens: $output already holds ml-latest-small (sums checked)"
    exit 0
fi

"$root/scripts/install-deps.sh" curl unzip
work=$(mktemp -d "${TMPDIR:-/tmp}/recsmith-movielens.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -z "$zip" ]; then
    echo "movielens: downloading $url"
    curl --fail --silent --show-error --location --connect-timeout 20 --max-time "${MOVIELENS_TIMEOUT:-300}" \
        --output "$work/ml-latest-small.zip" "$url"
    zip="$work/ml-latest-small.zip"
fi
unzip -q -j "$zip" ml-latest-small/ratings.csv ml-latest-small/movies.csv ml-latest-small/README.txt -d "$work"

# The conversion (README.md's "Real data: MovieLens" shows the same command): reorder the columns, rename the
# header, drop the CR of the published files' CRLF line ends.
awk -F, 'BEGIN { OFS = "," } { sub(/\r$/, "") } NR == 1 { print "user", "item", "timestamp", "weight"; next } { print $1, $2, $4, $3 }' \
    "$work/ratings.csv" > "$work/events.csv"

bad=$(mismatched "$work")
if [ -n "$bad" ]; then
    for name in $bad; do
        echo "movielens: $name has SHA-256 $(sha256sum < "$work/$name" | cut -d' ' -f1), expected ${sha256[$name]}" >&2
    done
    echo "movielens: the download differs from the published ml-latest-small; nothing was written to $output" >&2
    exit 1
fi
mkdir -p "$output"
mv "$work/ratings.csv" "$work/movies.csv" "$work/README.txt" "$work/events.csv" "$output/"
echo "movielens: $(($(wc -l < "$output/events.csv") - 1)) ratings in $output/events.csv (with ratings.csv, movies.csv, README.txt)"
