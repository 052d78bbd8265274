# Sourced by the benchmarks: where MovieLens latest-small is. The same lookup as the tests'
# Tests/Support/MovieLensFiles.swift:
#
#   movielens_file NAME    prints the path of NAME (events.csv, ratings.csv, movies.csv); status 1 when absent
#   movielens_skip NAME    prints why a part that needs NAME is skipped: where it was looked for, how to get it
#
# The directory RECSMITH_MOVIELENS names when it is set (only that one, so a mistyped path is not silently replaced
# by another copy; a relative one is taken from the repository root), else var/ml-latest-small/ in the repository
# (scripts/movielens.sh fills it), else ../shared/data/ml-latest-small/ beside the repository (the development
# checkout).
movielens_repository=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The directories searched, one a line, in order.
movielens_candidates() {
    if [ -n "${RECSMITH_MOVIELENS:-}" ]; then
        case "$RECSMITH_MOVIELENS" in
            /*) echo "$RECSMITH_MOVIELENS" ;;
            *) echo "$movielens_repository/$RECSMITH_MOVIELENS" ;;
        esac
    else
        echo "$movielens_repository/var/ml-latest-small"
        echo "$(dirname "$movielens_repository")/shared/data/ml-latest-small"
    fi
}

movielens_file() {
    local directory
    while IFS= read -r directory; do
        if [ -f "$directory/$1" ]; then
            echo "$directory/$1"
            return 0
        fi
    done < <(movielens_candidates)
    return 1
}

movielens_skip() {
    local looked
    looked=$(movielens_candidates | paste -sd, - | sed 's/,/, /g')
    echo "ml-latest-small's $1 is absent (looked in $looked; scripts/movielens.sh downloads it into var/ml-latest-small/, RECSMITH_MOVIELENS names another directory)"
}
