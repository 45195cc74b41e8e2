#!/usr/bin/env bash
# Runs every test suite on both backends: unit, API and browser tests on the normal build,
# then unit and API tests on the AddressSanitizer + UndefinedBehaviorSanitizer build, all on
# SQLite; then, on a private PostgreSQL 15 (scripts/pg.sh), the tests labelled `pg` (the
# driver's unit tests) with the API and browser suites on the normal build, and the `pg` and
# API tests on the sanitizer build; then tests/multi (two servers on one PostgreSQL behind
# nginx, one killed mid-way) on the normal build. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export KC_ARTIFACTS_DIR="${KC_ARTIFACTS_DIR:-$PWD/build/artifacts}"
mkdir -p "$KC_ARTIFACTS_DIR"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The SQLite runs must not pick up a PostgreSQL server from the caller's environment.
unset KC_TEST_DB_URL_BASE

status=0
echo "== tests: normal build, SQLite =="
(cd build && ctest --output-on-failure -j2) || status=1
echo "== tests: sanitizer build (ASan + UBSan), SQLite =="
(cd build-asan && ctest --output-on-failure -j2 -LE browser) || status=1

# The server is stopped and its directory removed however the runs end.
trap 'bash scripts/pg.sh stop' EXIT
if base=$(bash scripts/pg.sh start); then
  export KC_TEST_DB_URL_BASE="$base"
  echo "== tests: normal build, PostgreSQL ($base) =="
  (cd build && ctest --output-on-failure -j2 -L 'pg|api|browser') || status=1
  echo "== tests: sanitizer build (ASan + UBSan), PostgreSQL ($base) =="
  (cd build-asan && ctest --output-on-failure -j2 -L 'pg|api' -LE browser) || status=1
  echo "== tests: two servers behind nginx, PostgreSQL ($base) =="
  KYCUONG_BIN="$PWD/build/kycuong" KC_SOURCE_DIR="$PWD" node --test tests/multi/ || status=1
else
  echo "== tests: PostgreSQL could not be started (see above) =="
  status=1
fi
exit $status
