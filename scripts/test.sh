#!/usr/bin/env bash
# Runs every test suite: unit, API and browser tests on the normal build, then unit and API
# tests on the AddressSanitizer + UndefinedBehaviorSanitizer build. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export KC_ARTIFACTS_DIR="${KC_ARTIFACTS_DIR:-$PWD/build/artifacts}"
mkdir -p "$KC_ARTIFACTS_DIR"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

status=0
echo "== tests: normal build =="
(cd build && ctest --output-on-failure -j2) || status=1
echo "== tests: sanitizer build (ASan + UBSan) =="
(cd build-asan && ctest --output-on-failure -j2 -LE browser) || status=1
exit $status
