#!/usr/bin/env bash
# Load figures for Passerelle (issue 8): gunicorn + PostgreSQL + Redis on the loopback, the demo
# data scaled to 100,000 job-seekers and 2,000 vacancies, and the locust scenario of
# bench/locustfile.py, headless and bounded in users and time. See bench/README.md, "Load".
#
#   bench/load.sh                         # 250 users, 60 s, on passerelle_bench_load
#   USERS=300 RUN_TIME=120s bench/load.sh
#   SKIP_DATA=1 USERS=10 RUN_TIME=20s bench/load.sh Employer Candidate   # some user classes only
#
# Settings (environment): LOAD_DB (scratch database; its name must contain "bench"), PG_URL
# (the server, default postgres://postgres@127.0.0.1:5432), REDIS_URL (default
# redis://127.0.0.1:6379/3), PORT (8765), USERS (250), SPAWN_RATE (50), RUN_TIME (60s),
# SKIP_DATA=1 (reuse the data and rankings as they are), OUT (results folder).
# Exit status: locust's (non-zero when a request failed).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
LOAD_DB=${LOAD_DB:-passerelle_bench_load}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
PORT=${PORT:-8765}
USERS=${USERS:-250}
SPAWN_RATE=${SPAWN_RATE:-50}
RUN_TIME=${RUN_TIME:-60s}
OUT=${OUT:-var/load/$(date -u +%Y%m%dT%H%M%SZ)}
PASSWORD=${LOAD_PASSWORD:-passerelle-demo}
HOST=http://127.0.0.1:$PORT

case "$LOAD_DB" in *bench*) ;; *) echo "LOAD_DB must name a scratch database containing 'bench'." >&2; exit 2 ;; esac
if ! "$BIN/python" -c 'import locust' 2>/dev/null; then
  echo "Installing the load benchmark's tools (requirements-bench.txt)…"
  "$BIN/python" -m pip install --quiet -r requirements-bench.txt
fi
mkdir -p "$OUT"

export DATABASE_URL=$PG_URL/$LOAD_DB
# Production-like settings for the server (and collectstatic's manifest).
export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))')}
export ALLOWED_HOSTS=127.0.0.1,localhost
export REDIS_URL
export DATABASE_CONN_MAX_AGE=${DATABASE_CONN_MAX_AGE:-600}
# Each simulated person sends its own X-Forwarded-For, as the reverse proxy of the production
# setup would (TRUSTED_PROXIES=1), so per-client throttles and limits count per person. The
# limits on signing in and on tokens (20 an hour per client) are raised for the run all the
# same: a person of the scenario signs in far more often than anyone would.
export TRUSTED_PROXIES=1
export RATE_LIMIT_LOGIN=${RATE_LIMIT_LOGIN:-100000/hour}
export RATE_LIMIT_TOKEN=${RATE_LIMIT_TOKEN:-100000/hour}
export RATE_LIMIT_MFA=${RATE_LIMIT_MFA:-100000/hour}

if ! psql "$PG_URL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$LOAD_DB'" | grep -q 1; then
  echo "Creating the scratch database $LOAD_DB"
  psql "$PG_URL/postgres" -qc "CREATE DATABASE $LOAD_DB"
fi
"$BIN/python" manage.py migrate --noinput -v 0
if [ "${SKIP_DATA:-0}" != 1 ]; then
  # Demo data, 100,000 job-seekers and 2,000 vacancies (built once, then reused), passwords of
  # the scenario's job-seekers, and the kept rankings of the shortlists the scenario reads.
  "$BIN/python" manage.py scale_demo --password "$PASSWORD" | tail -1 | tee "$OUT/data.json"
fi
"$BIN/python" manage.py collectstatic --noinput -v 0

if [ -f deploy/gunicorn.conf.py ]; then
  GUNICORN_BIND=127.0.0.1:$PORT "$BIN/gunicorn" -c deploy/gunicorn.conf.py >"$OUT/gunicorn.log" 2>&1 &
else
  "$BIN/gunicorn" college.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers $((2 * $(nproc) + 1)) >"$OUT/gunicorn.log" 2>&1 &
fi
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fsS -H 'X-Forwarded-Proto: https' "$HOST/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS -H 'X-Forwarded-Proto: https' "$HOST/healthz" >/dev/null
echo "gunicorn on $HOST ($(pgrep -P "$SERVER" | wc -l) workers); locust: $USERS users, $RUN_TIME"

# CPU time used by the server (gunicorn's workers, live and reaped, and the database's
# backends for LOAD_DB), read from /proc before and after: per request, it says what the
# machine can serve whatever else runs on it (other processes only stretch the latencies).
cpu_ticks() {
  "$BIN/python" - "$SERVER" "$(psql "$PG_URL/postgres" -Atc \
    "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE datname = '$LOAD_DB'")" <<'PY'
import json, os, sys
def ticks(pid, children=False):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
master = int(sys.argv[1])
workers = [int(pid) for pid in os.popen(f"pgrep -P {master}").read().split()]
print(json.dumps({
    "app": ticks(master, children=True) + sum(ticks(pid) for pid in workers),
    "db": {pid: ticks(pid) for pid in sys.argv[2].split()},
}))
PY
}
# Warm-up, outside the figures: every worker compiles its templates and loads its catalogues.
for path in /vacancies/ /vacancies/feed/ /api/v1/vacancies/ /api/v1/skills/?q=agent /api/v1/modules/ \
  "/vacancies/$("$BIN/python" manage.py shell -v 0 -c 'from employers.models import Vacancy; print(Vacancy.objects.published().first().pk)' 2>/dev/null)/"; do
  for language in fr nl en fr nl en fr nl en fr; do echo "$language $path"; done
done | xargs -P 5 -L 1 sh -c 'curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" \
  -H "X-Forwarded-For: 10.254.0.$$" -H "Accept-Language: $0" "'"$HOST"'$1"' || true
before=$(cpu_ticks)
status=0
/usr/bin/time -f '%U %S' -o "$OUT/locust.cpu" env LOAD_PASSWORD="$PASSWORD" \
  "$BIN/locust" -f bench/locustfile.py --headless --host "$HOST" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 10 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING "$@" >"$OUT/locust.log" 2>&1 || status=$?
after=$(cpu_ticks)

"$BIN/python" - "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" "$USERS" "$RUN_TIME" "$(nproc)" \
  "$before" "$after" "$(tail -1 "$OUT/locust.cpu")" "$(getconf CLK_TCK)" <<'PY' | tee "$OUT/summary.md"
import csv, json, sys

stats, failures, users, run_time, cores = sys.argv[1:6]
before, after = json.loads(sys.argv[6]), json.loads(sys.argv[7])
locust_cpu = sum(float(value) for value in sys.argv[8].split()[-2:])
tick = 1000 / int(sys.argv[9])
rows = list(csv.DictReader(open(stats)))
total = next(row for row in rows if row["Name"] == "Aggregated")
print(f"{users} users for {run_time}, {cores} cores\n")
print("| endpoint | requests | failures | p50 ms | p95 ms | max ms |")
print("|---|---:|---:|---:|---:|---:|")
for row in sorted(rows, key=lambda row: -int(row["Request Count"])):
    name = row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}".replace("GET ", "")
    name = name.replace("POST POST ", "POST ")
    print(f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
          f"| {row['95%']} | {float(row['Max Response Time']):.0f} |")
rps, p95, errors = float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])
print(f"\noverall: {rps:.1f} requests/s, p50 {total['50%']} ms, p95 {total['95%']} ms, "
      f"{errors} failed of {total['Request Count']}")
print("goal (>= 150 requests/s, p95 < 300 ms, no errors): "
      + ("met" if rps >= 150 and p95 < 300 and errors == 0 else "NOT met"))
count = max(1, int(total["Request Count"]))
app = (after["app"] - before["app"]) * tick / count
db = sum(ticks - before["db"].get(pid, 0) for pid, ticks in after["db"].items()) * tick / count
load = locust_cpu * 1000 / count
print(f"CPU per request: server {app:.1f} ms, database {db:.1f} ms (backends alive at the end), "
      f"locust {load:.1f} ms; so {int(cores)} cores serve at most about "
      f"{int(cores) * 1000 / (app + db + load):.0f} requests/s with this mix "
      f"({int(cores) * 1000 / (app + db):.0f} with the load generated elsewhere)")
for row in csv.DictReader(open(failures)):
    print(f"failure: {row['Method']} {row['Name']} x{row['Occurrences']}: {row['Error'][:200]}")
PY
echo "results in $OUT"
exit "$status"
