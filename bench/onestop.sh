#!/usr/bin/env bash
# One-stop benchmark (issue 6): 1,000,000 dossiers over two years, 742 units, 50 procedures
# (`kycuong init --demo --bench-dossiers N`). wrk against desk receipts (POST /dossiers with a
# bearer token of the desk account motcua), public lookups by code (random existing codes),
# receipt PDFs; the year's statistics by unit and by procedure timed with curl. Run by hand;
# results go to docs/performance.md. Targets: receipts >= 1,000/s, lookups >= 10,000 req/s,
# statistics for a year by unit <= 200 ms, a receipt PDF <= 20 ms.
#   BENCH_DOSSIERS (1000000)  BENCH_SECONDS (20)  BENCH_CONNECTIONS (16)  KYCUONG_BIN (build/kycuong)
#   BENCH_FROM/BENCH_TO (2025-11-27/2026-11-26: the statistics' year)
#   BENCH_DB: a PostgreSQL URL to use instead of the cached SQLite file (filled on first use;
#   the receipts then stay in it). SQLite runs on a copy of the cached file, so it stays as made.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KYCUONG_BIN:-build/kycuong}
N=${BENCH_DOSSIERS:-1000000}
SECS=${BENCH_SECONDS:-20}
CONNS=${BENCH_CONNECTIONS:-16}
PORT=${BENCH_PORT:-18383}
FROM=${BENCH_FROM:-2025-11-27}
TO=${BENCH_TO:-2026-11-26}
DIR=bench/var
CACHE=$DIR/onestop-$N.db
PW=bench-admin-password
DEMO_PW=demo-kycuong-2017
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)"; exit 1; }
mkdir -p $DIR

sql() { # one query against the benchmark database, rows on stdout
  if [ -n "${BENCH_DB:-}" ]; then psql "$BENCH_DB" -qAtc "$1"; else sqlite3 "$DB" "$1"; fi
}

if [ -n "${BENCH_DB:-}" ]; then
  DB=$BENCH_DB
  HAVE=$(psql "$DB" -qAtc "SELECT COUNT(*) FROM dossiers" 2>/dev/null || echo 0)
  if [ "$HAVE" -lt "$N" ]; then
    echo "bench: filling $DB with $N dossiers"
    /usr/bin/time -f "bench: generated in %es, %MKB max RSS" \
      env KYCUONG_ADMIN_PASSWORD=$PW "$BIN" init --db "$DB" --demo --bench-dossiers "$N" >/dev/null
  fi
else
  if [ ! -f "$CACHE" ]; then
    echo "bench: creating $CACHE with $N dossiers (once; kept for later runs)"
    rm -f "$CACHE.tmp"*
    /usr/bin/time -f "bench: generated in %es, %MKB max RSS" \
      env KYCUONG_ADMIN_PASSWORD=$PW "$BIN" init --db "$CACHE.tmp" --demo --bench-dossiers "$N" >/dev/null
    sqlite3 "$CACHE.tmp" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$CACHE.tmp" "$CACHE"
    rm -f "$CACHE.tmp-wal" "$CACHE.tmp-shm"
  fi
  DB=$DIR/onestop-run.db
  rm -f "$DB" "$DB-wal" "$DB-shm"
  cp --reflink=auto "$CACHE" "$DB"
  echo "bench: $CACHE is $(du -m "$CACHE" | cut -f1) MB"
fi

KYCUONG_ACCESS_LOG=off KYCUONG_TICK_INTERVAL=0 KYCUONG_PUBLIC_LOOKUPS=0 \
  "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT --threads 2 2>$DIR/serve-onestop.log &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.05; done
U=http://127.0.0.1:$PORT/api/v1

login() { # user password → "cookie csrf"
  local out
  out=$(curl -s -D - -X POST "$U/session" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}")
  printf '%s %s\n' "$(sed -n 's/^[Ss]et-[Cc]ookie: \(kc_session=[^;]*\).*/\1/p' <<<"$out")" \
    "$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<<"$out")"
}
read -r ADMIN _ < <(login admin $PW)
read -r LEADER _ < <(login lanhdao $DEMO_PW)
read -r DESK DESK_CSRF < <(login motcua $DEMO_PW)
[ -n "$ADMIN" ] && [ -n "$LEADER" ] && [ -n "$DESK" ] || { echo "bench: login failed"; exit 1; }
TOKEN=$(curl -s -X POST "$U/tokens" -H "Cookie: $DESK" -H "X-CSRF-Token: $DESK_CSRF" \
  -H 'content-type: application/json' -d '{"name":"bench onestop"}' |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: token failed"; exit 1; }
# a district procedure of Ba Đình's catalog, which motcua receives at its own desk
PROC=$(sql "SELECT id FROM procedures WHERE code = 'HN-TTHC-B14'")
[ -n "$PROC" ] || { echo "bench: procedure HN-TTHC-B14 missing (not a --bench-dossiers database?)"; exit 1; }

TOTAL=$(sql "SELECT COUNT(*) FROM dossiers")
UNITS=$(sql "SELECT COUNT(*) FROM units")
PROCS=$(sql "SELECT COUNT(*) FROM procedures")
echo "bench: $TOTAL dossiers, $UNITS units, $PROCS procedures; 2 server threads, $CONNS connections, ${SECS}s per run, $(nproc) cores"

# random existing codes and ids for the lookups and the PDFs
LUA=$DIR/onestop-data.lua
{
  echo "codes = {"
  sql "SELECT code FROM dossiers WHERE id % 97 = 13 ORDER BY code LIMIT 10000" | sed 's/.*/"&",/'
  echo "}"
  echo "ids = {"
  sql "SELECT id FROM dossiers WHERE id % 991 = 7 ORDER BY id LIMIT 1000" | sed 's/.*/&,/'
  echo "}"
} >"$LUA"

cat >$DIR/onestop-receive.lua <<EOF
local fam = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"}
local mid = {"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Xuân"}
local giv = {"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hương", "Khánh", "Linh", "Nam", "Phúc", "Quân", "Thảo", "Tú", "Yến"}
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $TOKEN"}
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function request()
  local body = string.format('{"procedure_id":$PROC,"applicant":{"name":"%s %s %s","id_number":"001%09d","phone":"09%08d","address":"Số %d phố Đội Cấn, Hà Nội"},"channel":"in_person"}',
    fam[math.random(#fam)], mid[math.random(#mid)], giv[math.random(#giv)],
    math.random(0, 999999999), math.random(0, 99999999), math.random(1, 300))
  return wrk.format("POST", "/api/v1/dossiers", headers, body)
end
EOF
cat >$DIR/onestop-lookup.lua <<EOF
dofile("$LUA")
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function request() return wrk.format("GET", "/api/v1/public/dossiers/" .. codes[math.random(#codes)]) end
EOF
cat >$DIR/onestop-pdf.lua <<EOF
dofile("$LUA")
local headers = {["Cookie"] = "$ADMIN"}
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function request() return wrk.format("GET", "/api/v1/dossiers/" .. ids[math.random(#ids)] .. "/receipt.pdf", headers) end
EOF

declare -a SUMMARY
run() { # name script target
  local name=$1 script=$2 target=$3 out rps p50 p99 errs load
  load=$(cut -d' ' -f1 /proc/loadavg)
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$script" "http://127.0.0.1:$PORT")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  SUMMARY+=("| $name | $rps req/s, p50 $p50, p99 $p99 | $target | ${errs:-none} | $load |")
  echo "$name: $rps req/s, p50 $p50, p99 $p99 ${errs:+($errs)} (load before: $load)"
}
timeit() { # name count target url cookie → min/median/max ms over `count` sequential requests
  local name=$1 n=$2 target=$3 url=$4 cookie=$5 load times code
  load=$(cut -d' ' -f1 /proc/loadavg)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url")
  [ "$code" = 200 ] || echo "bench: $url answered $code"
  times=$(for _ in $(seq "$n"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" "$url"
  done | awk '{printf "%.1f\n", $1 * 1000}' | sort -n)
  local min med max
  min=$(head -1 <<<"$times")
  max=$(tail -1 <<<"$times")
  med=$(awk -v n="$n" 'NR == int((n + 1) / 2) {print}' <<<"$times")
  SUMMARY+=("| $name | min $min ms, median $med ms, max $max ms ($n sequential) | $target | | $load |")
  echo "$name: min $min ms, median $med ms, max $max ms over $n (load before: $load)"
}

echo
run "desk receipts: POST /dossiers" $DIR/onestop-receive.lua "≥ 1,000/s"
run "public lookups: GET /public/dossiers/{code}" $DIR/onestop-lookup.lua "≥ 10,000 req/s"
timeit "stats/dossiers, a year by unit (lanhdao)" 20 "≤ 200 ms" \
  "$U/stats/dossiers?from=$FROM&to=$TO" "$LEADER"
timeit "stats/dossiers, a year by procedure" 20 "—" \
  "$U/stats/dossiers?from=$FROM&to=$TO&group_by=procedure" "$LEADER"
ID=$(sed -n '/^ids/,$p' "$LUA" | sed -n '2s/,//p')
timeit "receipt PDF, one dossier" 50 "≤ 20 ms" "$U/dossiers/$ID/receipt.pdf" "$ADMIN"
run "receipt PDFs: GET /dossiers/{id}/receipt.pdf" $DIR/onestop-pdf.lua "—"
echo
awk '/VmRSS|VmHWM/ {printf "server %s %s %s\n", $1, $2, $3}' /proc/$PID/status
echo "dossiers now: $(sql "SELECT COUNT(*) FROM dossiers")"
echo
echo "| measurement | result | target | errors | load (1 min) |"
echo "|---|---|---|---|---|"
printf '%s\n' "${SUMMARY[@]}"
