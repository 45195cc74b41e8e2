#!/usr/bin/env bash
# A private PostgreSQL 15 for the tests: `pg.sh start` creates a throw-away cluster in a temp
# directory, listening on a free port of 127.0.0.1, and prints its base URL
# (postgres://kycuong@127.0.0.1:PORT); `pg.sh url` prints it again; `pg.sh stop` stops the
# server and removes everything. Idempotent; a stale directory from a killed run is replaced.
#
# PostgreSQL refuses to run as root, so when started by root (CI, sessions) the server runs as
# the `postgres` user that Debian's package creates, and owns its directory. Durability is
# switched off (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
set -euo pipefail

PG_BIN="${KC_PG_BIN:-/usr/lib/postgresql/15/bin}"
# One cluster per checkout, so two checkouts on one machine do not share a server.
ROOT="${KC_PG_DIR:-${TMPDIR:-/tmp}/kc-pg-$(id -u)-$(cd "$(dirname "$0")/.." && pwd | cksum | cut -d' ' -f1)}"
DATA="$ROOT/data"
SOCK="$ROOT/sock"
LOG="$ROOT/server.log"
PORT_FILE="$ROOT/port"

die() {
  echo "pg.sh: $*" >&2
  exit 1
}

# Runs a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    fi
  else
    "$@"
  fi
}

running() {
  [ -f "$PORT_FILE" ] && [ -f "$DATA/postmaster.pid" ] &&
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
  echo "postgres://kycuong@127.0.0.1:$(cat "$PORT_FILE")"
}

# A free TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  else
    node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

stop() {
  if [ -f "$DATA/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$ROOT"
}

start() {
  if running; then
    url
    return
  fi
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is not installed ($PG_BIN/initdb); run scripts/deps.sh"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the 'postgres' user (created by the postgresql-15 package)"
  fi
  stop # whatever a previous run left behind
  mkdir -p "$DATA" "$SOCK"
  chmod 700 "$ROOT" "$DATA"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$ROOT"
  # The owner must be able to reach ROOT through its parents (e.g. a TMPDIR under /root).
  as_owner test -w "$DATA" || die "user postgres cannot write to $DATA; set TMPDIR or KC_PG_DIR"

  as_owner "$PG_BIN/initdb" -D "$DATA" -U kycuong --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$ROOT/initdb.log" 2>&1 || {
    cat "$ROOT/initdb.log" >&2
    die "initdb failed"
  }
  local tries port
  for tries in 1 2 3; do
    port=$(free_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 -s start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$SOCK \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c max_connections=200 -c shared_buffers=64MB" >/dev/null 2>&1; then
      echo "$port" >"$PORT_FILE"
      url
      return
    fi
    # Another process may have taken the port between the probe and the start: try again.
    sleep 0.2
  done
  cat "$LOG" >&2 || true
  die "cannot start PostgreSQL"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url)
  running || die "not running (pg.sh start)"
  url
  ;;
*)
  echo "usage: $0 start|stop|url" >&2
  exit 2
  ;;
esac
