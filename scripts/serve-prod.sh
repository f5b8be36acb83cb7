#!/usr/bin/env bash
# `make serve-prod`: the production profile on this machine — gunicorn with
# several workers and one background worker, against PostgreSQL.
# Run it on every app server; they share the database (sessions, cache,
# task queue, login throttling) and PORTAL_MEDIA_ROOT (shared storage).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  echo "请设置 DATABASE_URL，例如 postgres://portal:密码@db.internal:5432/portal" >&2
  exit 2
fi
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  echo "请设置 DJANGO_SECRET_KEY（至少 50 个随机字符，各应用服务器相同）" >&2
  exit 2
fi
export PORTAL_PROFILE=production PORTAL_MANIFEST_STATIC=1 DJANGO_DEBUG=0
PY=.venv/bin/python
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"
BIND="${BIND:-0.0.0.0:8000}"

# Safe to run on every server at start: migrations take a lock and are
# idempotent, the cache table is created only when missing.
$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py collectstatic --noinput -v0

worker_pid=""
if [ "${PORTAL_DB_WORKER:-1}" != "0" ]; then
  $PY manage.py db_worker --no-reload --queue-name '*' &
  worker_pid=$!
fi
trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true' EXIT INT TERM

# Workers are recycled after a number of requests (memory stays flat); a
# request running longer than the timeout is killed and its worker replaced.
.venv/bin/gunicorn portal.wsgi \
  --workers "$WORKERS" \
  --bind "$BIND" \
  --max-requests 2000 --max-requests-jitter 200 \
  --timeout 60 --graceful-timeout 30 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - --error-logfile -
