#!/usr/bin/env bash
# Foundation benchmark: wrk against /healthz and an authenticated officials search over
# 100,000 officials, then the server's RSS. Run by hand (`make bench`); results go to
# docs/performance.md. Loopback only; each wrk run is bounded in time.
#   BENCH_OFFICIALS (100000)  BENCH_SECONDS (10)  BENCH_CONNECTIONS (16)  BENCH_THREADS (2)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KYCUONG_BIN:-build/kycuong}
N=${BENCH_OFFICIALS:-100000}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18181}
DIR=bench/var
DB=${BENCH_DB:-$DIR/officials-$N.db} # BENCH_DB: an existing database, e.g. postgres://…
PW=bench-admin-password
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)"; exit 1; }
mkdir -p $DIR

if [ -z "${BENCH_DB:-}" ] && [ ! -f "$DB" ]; then
  echo "bench: creating $DB with $N officials (once; kept for later runs)"
  KYCUONG_ADMIN_PASSWORD=$PW "$BIN" init --db "$DB.tmp" --demo --officials "$N" >/dev/null
  mv "$DB.tmp" "$DB"
  for ext in -wal -shm; do [ -f "$DB.tmp$ext" ] && mv "$DB.tmp$ext" "$DB$ext"; done
fi

KYCUONG_ACCESS_LOG=off "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT --threads "$THREADS" \
  2>$DIR/serve.log &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.05; done

COOKIE=$(curl -s -D - -o /dev/null -X POST http://127.0.0.1:$PORT/api/v1/session \
  -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PW\"}" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(kc_session=[^;]*\).*/\1/p')
[ -n "$COOKIE" ] || { echo "bench: login failed"; exit 1; }

run() { # name url [header]
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local errs
  errs=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errs:-none}"
}

TOTAL=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/v1/officials?limit=1" |
  sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
echo "bench: $TOTAL officials, $THREADS server threads, $CONNS connections, ${SECS}s per run, $(nproc) cores"
echo
echo "| endpoint | req/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
run "GET /healthz" "http://127.0.0.1:$PORT/healthz"
run "GET /api/v1/officials?q=nguyen van an" "http://127.0.0.1:$PORT/api/v1/officials?q=nguyen%20van%20an" -H "Cookie: $COOKIE"
run "GET /api/v1/officials?q=tran thi" "http://127.0.0.1:$PORT/api/v1/officials?q=tran%20thi" -H "Cookie: $COOKIE"
run "GET /api/v1/officials (first page)" "http://127.0.0.1:$PORT/api/v1/officials" -H "Cookie: $COOKIE"
echo
awk '/VmRSS|VmHWM/ {printf "%s %s %s\n", $1, $2, $3}' /proc/$PID/status
