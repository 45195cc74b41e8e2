#!/usr/bin/env bash
# Tasks benchmark (issue 5): 200,000 tasks over 600 units. wrk against a filtered, paged task
# list (50 per page), the per-unit statistics of a year timed with curl, and one scheduler
# pass timed with `kycuong tick`. Run by hand; results go to docs/performance.md.
#   BENCH_TASKS (200000)  BENCH_UNITS (600)  BENCH_SECONDS (10)  BENCH_CONNECTIONS (16)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${KYCUONG_BIN:-build/kycuong}
N=${BENCH_TASKS:-200000}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-16}
PORT=${BENCH_PORT:-18282}
DIR=bench/var
DB=${BENCH_DB:-$DIR/tasks-$N.db} # BENCH_DB: an existing database, e.g. postgres://…
PW=bench-admin-password
mkdir -p $DIR
if [ -z "${BENCH_DB:-}" ] && [ ! -f "$DB" ]; then
  echo "bench: creating $DB with $N tasks over ${BENCH_UNITS:-600} units (kept for later runs)"
  KYCUONG_ADMIN_PASSWORD=$PW "$BIN" init --db "$DB.tmp" --demo --bench-tasks "$N" >/dev/null
  mv "$DB.tmp" "$DB"
  for ext in -wal -shm; do [ -f "$DB.tmp$ext" ] && mv "$DB.tmp$ext" "$DB$ext"; done
fi
KYCUONG_ACCESS_LOG=off KYCUONG_TICK_INTERVAL=0 "$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT --threads 2 2>$DIR/serve-tasks.log &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.05; done
COOKIE=$(curl -s -D - -o /dev/null -X POST http://127.0.0.1:$PORT/api/v1/session \
  -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PW\"}" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(kc_session=[^;]*\).*/\1/p')
[ -n "$COOKIE" ] || { echo "bench: login failed"; exit 1; }
U=http://127.0.0.1:$PORT/api/v1
TOTAL=$(curl -s -H "Cookie: $COOKIE" "$U/tasks?limit=1" | sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
UNITS=$(curl -s -H "Cookie: $COOKIE" "$U/units?limit=1" | sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
# a district with many tasks in its subtree
LEAD=$(curl -s -H "Cookie: $COOKIE" "$U/units?kind=district&limit=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
echo "bench: $TOTAL tasks, $UNITS units, 2 server threads, $CONNS connections, ${SECS}s per run, $(nproc) cores"
echo
echo "| request | req/s | p50 | p99 | server CPU/request | load before |"
echo "|---|---|---|---|---|---|"
# The server's CPU time per request (user + system, from /proc) varies far less than req/s
# when other work shares the two cores; the load average says how busy they were.
cpu_ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
run() {
  local name=$1 url=$2 out t0 t1 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H "Cookie: $COOKIE" "$url")
  t1=$(cpu_ticks)
  printf '| %s | %s | %s | %s | %s us | %s |\n' "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f", t / hz * 1e6 / $1}' <<<"$out")" \
    "$load"
}
run "tasks?lead_unit_id=$LEAD&status=open (50/page)" "$U/tasks?lead_unit_id=$LEAD&status=open&limit=50"
run "tasks?due_from=2017-04-01&due_to=2017-04-30 (50/page)" "$U/tasks?due_from=2017-04-01&due_to=2017-04-30&limit=50"
run "tasks?status=in_progress_overdue&offset=1000 (50/page)" "$U/tasks?status=in_progress_overdue&limit=50&offset=1000"
echo
for i in 1 2 3; do
  curl -s -o /dev/null -w "stats/tasks for 2017 (all units): %{time_total}s\n" -H "Cookie: $COOKIE" "$U/stats/tasks?from=2017-01-01&to=2017-12-31"
done
kill $PID; wait $PID 2>/dev/null || true
trap - EXIT
if [ -n "${BENCH_DB:-}" ]; then
  echo "(scheduler pass timing: run on a SQLite copy only)"
  exit 0
fi
cp "$DB" "$DIR/tick.db"
/usr/bin/time -f "scheduler pass (first, with the whole backlog, 2018-03-05): %es, %MKB max RSS" "$BIN" tick --db "$DIR/tick.db" --now 2018-03-05T08:00:00+07:00
/usr/bin/time -f "scheduler pass (next working day, 2018-03-06): %es, %MKB max RSS" "$BIN" tick --db "$DIR/tick.db" --now 2018-03-06T08:00:00+07:00
rm -f "$DIR/tick.db"*
