#!/usr/bin/env bash
# Installs the system packages Recsmith builds against, only those missing, and says what it installs.
set -euo pipefail
# The libraries Recsmith links, pkg-config to find them, and what `make test` runs besides swift test:
# python3-venv for the spec and API checks, curl and openssl for the end-to-end and TLS tests, chromium (and a font
# for its screenshots) for the browser tests of the HTML report (scripts/headless-browser.py).
# libpq-dev is the PostgreSQL store's client library; the server for its tests comes with scripts/postgres-test-cluster.sh.
# nginx-light is the proxy of the compose topology's smoke test (scripts/compose-smoke.py).
packages=(libsqlite3-dev libopenblas-dev libssl-dev libnghttp2-dev libpq-dev pkg-config python3-venv curl openssl chromium
          fonts-dejavu-core nginx-light)
packages+=("$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
