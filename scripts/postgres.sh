#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `scripts/postgres.sh start|stop|url|status`.
# Uses Debian's server binaries off PATH (/usr/lib/postgresql/*/bin). initdb refuses to run as
# root, so as root the cluster is created and run as the `postgres` user. Listens on 127.0.0.1
# only (port NICSIM_PG_PORT, default 55432) with trust authentication and fsync off: test
# data only (a killed server process loses nothing without fsync; a power cut would).
set -euo pipefail
PORT="${NICSIM_PG_PORT:-55432}"
DIR="${NICSIM_PG_DIR:-/tmp/nicsim-pg-$PORT}"
BIN="${NICSIM_PG_BIN:-}"
if [ -z "$BIN" ]; then
  for v in 17 16 15 14 13; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then BIN="/usr/lib/postgresql/$v/bin"; break; fi
  done
fi
URL="postgresql://postgres@127.0.0.1:$PORT/postgres"

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

running() { [ -n "$BIN" ] && as_owner "'$BIN/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1; }

case "${1:-}" in
  start)
    if [ -z "$BIN" ]; then
      echo "scripts/postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin;" \
           "install them with: apt-get install postgresql-15 (or set NICSIM_PG_BIN)" >&2
      exit 1
    fi
    if running; then echo "$URL"; exit 0; fi
    mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && { id postgres >/dev/null 2>&1 || as_owner true; chown postgres "$DIR"; }
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      as_owner "'$BIN/initdb' -D '$DIR/data' -U postgres -A trust -E UTF8 --no-locale" >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    as_owner "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -t 60 -o \"-p $PORT -c listen_addresses=127.0.0.1 -k '$DIR' -c fsync=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null \
      || { tail -20 "$DIR/server.log" >&2; exit 1; }
    echo "$URL"
    ;;
  stop)
    if running; then as_owner "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >/dev/null; fi
    rm -rf "$DIR"
    ;;
  url) echo "$URL" ;;
  status) if running; then echo "running: $URL"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: scripts/postgres.sh start|stop|url|status" >&2; exit 2 ;;
esac
