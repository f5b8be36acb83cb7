#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on a loopback port.
# Usage: scripts/with-postgres.sh <command...>   (DATABASE_URL is exported)
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PORT=${PG_TEST_PORT:-55432}
D=$(mktemp -d /tmp/portal-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" = 0 ] && chown postgres: "$D"
cleanup() { as_pg "$PGBIN/pg_ctl -D $D -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$D"; }
trap cleanup EXIT
as_pg "$PGBIN/initdb -D $D -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_pg "$PGBIN/pg_ctl -D $D -l $D/log -w -o '-c listen_addresses=127.0.0.1 -p $PORT -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' start" >/dev/null
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE ROLE portal LOGIN PASSWORD 'portal' CREATEDB" -c "CREATE DATABASE portal OWNER portal" >/dev/null
export DATABASE_URL="postgres://portal:portal@127.0.0.1:$PORT/portal"
"$@"
