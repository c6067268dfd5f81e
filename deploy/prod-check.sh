#!/usr/bin/env bash
# make prod-check: Passerelle with production settings on this machine, then a smoke test.
#
# Creates (afresh) the PostgreSQL database passerelle_prodcheck, migrates it and loads the
# reference data and item bank, collects the static files, starts gunicorn (deploy/gunicorn.conf.py,
# 4 x cores workers, connection pooling, the read-replica router with the same database as
# the replica) and one task worker on a free loopback port, runs deploy/smoke.py, then stops both.
# Exits non-zero when anything failed. The database is kept for `make backup-check`.
#
# The HTTPS redirect stays on: the smoke test sends X-Forwarded-Proto: https as the load balancer
# does (SECURE_PROXY_SSL_HEADER; gunicorn accepts it from 127.0.0.1 only, forwarded_allow_ips).
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG=${PRODCHECK_PG:-postgres://postgres@127.0.0.1:5432}
DB=${PRODCHECK_DB:-passerelle_prodcheck}
LOGS=var/prod-check
mkdir -p "$LOGS"

step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }
fail() { printf '\nprod-check FAILED: %s\n' "$*" >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=college.settings
export DEBUG=0
SECRET_KEY="prodcheck-$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
# Required with DEBUG=0; set to the served address once the port is chosen below.
export SITE_URL=https://localhost
export DATABASE_URL="$PG/$DB"
# The replica is the same database under another name, so the smoke test can see it used.
export DATABASE_REPLICA_URL="$PG/$DB?application_name=passerelle_replica"
export DATABASE_POOL=1
export REDIS_URL=${PRODCHECK_REDIS_URL:-redis://127.0.0.1:6379/2}
unset EMAIL_HOST  # console e-mail: the worker's log shows what would be sent
export LOG_LEVEL=WARNING

step "PostgreSQL and Redis are reachable"
pg_isready -d "$PG/postgres" -q || fail "PostgreSQL does not answer at $PG"
$PY -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$REDIS_URL" \
  || fail "Redis does not answer at $REDIS_URL"
echo "ok: $PG, $REDIS_URL"

step "Database $DB: created afresh, migrated, reference data and item bank loaded"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
$PY -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS_URL"
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference_data -v 0
$PY manage.py load_item_bank -v 0 >/dev/null
fingerprint=$($PY deploy/static_fingerprint.py)
if [ -f var/static/staticfiles.json ] && [ "$(cat var/static/.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "static files already collected and unchanged"
else
  echo "collecting and compressing static files (slow the first time)"
  $PY manage.py collectstatic --noinput -v 0
  echo "$fingerprint" >var/static/.fingerprint
fi

step "Deployment checks (check --deploy)"
# With the SMTP settings production has: the servers below use the console e-mail backend on
# purpose (no mail leaves this machine), which check --deploy rightly refuses for production.
EMAIL_HOST=smtp.passerelle.example $PY manage.py check --deploy --fail-level WARNING

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SITE_URL="https://localhost:$PORT"
BASE="http://127.0.0.1:$PORT"

gunicorn_pid=""
worker_pid=""
stop() {
  [ -n "$worker_pid" ] && kill -TERM "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null
  [ -n "$gunicorn_pid" ] && kill -TERM "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
  return 0
}
trap stop EXIT

step "Starting gunicorn on $BASE and one task worker"
GUNICORN_BIND="127.0.0.1:$PORT" .venv/bin/gunicorn -c deploy/gunicorn.conf.py \
  >"$LOGS/gunicorn.log" 2>&1 &
gunicorn_pid=$!
$PY manage.py db_worker --no-reload --interval 0.5 --worker-id "prodcheck-$$" \
  >"$LOGS/worker.log" 2>&1 &
worker_pid=$!

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$LOGS/gunicorn.log"; fail "gunicorn exited"; }
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE/healthz" || { tail -50 "$LOGS/gunicorn.log"; fail "gunicorn never answered"; }
kill -0 "$worker_pid" 2>/dev/null || { cat "$LOGS/worker.log"; fail "the task worker exited"; }
cores=$($PY -c 'import os; print(len(os.sched_getaffinity(0)))')
workers=$(pgrep -P "$gunicorn_pid" | wc -l)
echo "gunicorn master $gunicorn_pid with $workers workers ($cores cores: 4 x $cores = $((4 * cores)))"
[ -n "${GUNICORN_WORKERS:-}" ] || [ "$workers" -eq $((4 * cores)) ] \
  || fail "expected $((4 * cores)) gunicorn workers, found $workers"

step "Smoke test"
status=0
$PY deploy/smoke.py "$BASE" || status=$?

stop
trap - EXIT
if grep -q "Traceback" "$LOGS/gunicorn.log" "$LOGS/worker.log"; then
  echo "Tracebacks in the logs ($LOGS/):"
  grep -h -A3 "Traceback" "$LOGS/gunicorn.log" "$LOGS/worker.log" | head -40
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "Logs: $LOGS/gunicorn.log, $LOGS/worker.log"
  fail "see the checks above"
fi
printf '\nprod-check passed: gunicorn (%s workers) + task worker on PostgreSQL %s and Redis %s\n' \
  "$workers" "$DB" "$REDIS_URL"
