#!/usr/bin/env bash
# Installs the Debian packages and npm modules kycuong needs to build, run and test.
# Idempotent and quiet when everything is already there. Run as root or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build and runtime libraries, test tools, services used by tests and benchmarks (the tests
# run their own PostgreSQL through scripts/pg.sh and their own nginx (tests/multi); the
# packages' default cluster and site are not used).
pkgs=(
  build-essential cmake pkg-config git clang-format
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libsodium-dev libutf8proc-dev
  libcmocka-dev libcurl4-openssl-dev libxlsxwriter-dev unzip
  libpoppler-glib-dev zlib1g-dev
  libcairo2-dev libpango1.0-dev libqrencode-dev poppler-utils zbar-tools
  libpq-dev postgresql-15
  nginx
  python3-aiosmtpd
  nodejs
  chromium fonts-liberation2
  wrk
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm is shipped inside some nodejs builds and as its own package in Debian's.
if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# Front-end test tooling from npm, pinned by package-lock.json (no browser download:
# playwright-core drives Debian's chromium).
if [ -f package-lock.json ] && [ ! -d node_modules/playwright-core ]; then
  echo "deps: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
