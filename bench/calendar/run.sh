#!/usr/bin/env bash
# Builds and runs the calendar benchmark on one core; prints ops/s for add, count, solar->lunar.
set -euo pipefail
cd "$(dirname "$0")"
make -s bench_calendar
if command -v taskset >/dev/null 2>&1; then
  exec taskset -c 0 ./bench_calendar "${1:-20000000}"
fi
exec ./bench_calendar "${1:-20000000}"
