#!/usr/bin/env bash
# Creates (once) and fills the Python venv of the implicit peer from Benchmarks/peer/requirements.txt.
#   Benchmarks/peer/install.sh VENV
# Each step is bounded by `timeout` (PEER_INSTALL_TIMEOUT seconds, default 600); exits non-zero when the venv
# cannot be made or filled.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 VENV" >&2; exit 2; }
venv=$1
limit=${PEER_INSTALL_TIMEOUT:-600}
requirements="$(cd "$(dirname "$0")" && pwd)/requirements.txt"
[ -x "$venv/bin/python" ] || timeout "$limit" python3 -m venv "$venv"
if ! timeout "$limit" "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"; then
    echo "cannot install $requirements into $venv: no implicit peer" >&2
    exit 1
fi
