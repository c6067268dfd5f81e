#!/usr/bin/env bash
# Load figures for Passerelle: gunicorn + PostgreSQL + Redis on the loopback, the demo
# data scaled to 100,000 job-seekers and 2,000 vacancies, and the locust scenario of
# bench/locustfile.py, headless and bounded in users and time. See bench/README.md, "Load".
#
#   bench/load.sh                         # 250 users, 60 s warm-up then 60 s measured
#   USERS=300 RUN_TIME=120s bench/load.sh
#   SKIP_DATA=1 USERS=10 WARMUP=0 RUN_TIME=20s bench/load.sh Employer Candidate   # some only
#
# Settings (environment): LOAD_DB (scratch database; its name must contain "bench"), PG_URL
# (the server, default postgres://postgres@127.0.0.1:5432), REDIS_URL (default
# redis://127.0.0.1:6379/3: a Redis database of its own, emptied at the start), PORT (8765),
# USERS (250), SPAWN_RATE (10 a second), WARMUP (60s: users arrive, sign in and the caches fill,
# outside the figures), RUN_TIME (60s, measured), SKIP_DATA=1 (reuse the data and rankings as
# they are), OUT (results folder). Times in seconds: 90, 90s or 2m.
# Exit status: locust's (non-zero when a request failed).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
LOAD_DB=${LOAD_DB:-passerelle_bench_load}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
PORT=${PORT:-8765}
USERS=${USERS:-250}
SPAWN_RATE=${SPAWN_RATE:-10}
WARMUP=${WARMUP:-60s}
RUN_TIME=${RUN_TIME:-60s}
OUT=${OUT:-var/load/$(date -u +%Y%m%dT%H%M%SZ)}
PASSWORD=${LOAD_PASSWORD:-passerelle-demo}
HOST=http://127.0.0.1:$PORT

case "$LOAD_DB" in *bench*) ;; *) echo "LOAD_DB must name a scratch database containing 'bench'." >&2; exit 2 ;; esac
case "$REDIS_URL" in */0 | */ | *6379) echo "REDIS_URL must name a Redis database of its own (not 0): it is emptied." >&2; exit 2 ;; esac
seconds() {
  case "$1" in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
WARMUP_SECONDS=$(seconds "$WARMUP")
RUN_SECONDS=$(seconds "$RUN_TIME")
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
export SITE_URL=${SITE_URL:-$HOST}
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
# An empty cache, as after a deployment: the warm-up fills it.
"$BIN/python" manage.py shell -v 0 -c 'from django.core.cache import cache; cache.clear()'

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
echo "gunicorn on $HOST ($(pgrep -P "$SERVER" | wc -l) workers); locust: $USERS users, $WARMUP_SECONDS s warm-up, $RUN_SECONDS s measured"

# CPU time used by the server (gunicorn's workers, live and reaped, and the database's
# backends for LOAD_DB), read from /proc before and after: per request, it says what the
# machine can serve whatever else runs on it (other processes only stretch the latencies).
cpu_ticks() {
  "$BIN/python" - "$SERVER" "${LOCUST:-0}" "$(psql "$PG_URL/postgres" -Atc \
    "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE datname = '$LOAD_DB'")" <<'PY'
import json, os, sys
def ticks(pid, children=False):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
master, timer = int(sys.argv[1]), int(sys.argv[2])
workers = [int(pid) for pid in os.popen(f"pgrep -P {master}").read().split()]
generators = [int(pid) for pid in os.popen(f"pgrep -P {timer}").read().split()] if timer else []
print(json.dumps({
    "app": ticks(master, children=True) + sum(ticks(pid) for pid in workers),
    "db": {pid: ticks(pid) for pid in sys.argv[3].split()},
    "locust": sum(ticks(pid) for pid in generators),
}))
PY
}
# Warm-up, outside the figures: every worker compiles its templates and loads its catalogues.
for path in /vacancies/ /vacancies/feed/ /api/v1/vacancies/ /api/v1/skills/?q=agent /api/v1/modules/ \
  "/vacancies/$("$BIN/python" manage.py shell -v 0 -c 'from employers.models import Vacancy; print(Vacancy.objects.published().first().pk)' 2>/dev/null)/"; do
  for language in fr nl en fr nl en fr nl en fr; do echo "$language $path"; done
done | xargs -P 5 -L 1 sh -c 'curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" \
  -H "X-Forwarded-For: 10.254.0.$$" -H "Accept-Language: $0" "'"$HOST"'$1"' || true
# Locust runs warm-up and measure in one go (the same users stay signed in); when the warm-up
# ends, the scenario restarts its statistics and writes warmup.json, and the CPU count starts.
rm -f "$OUT/warmup.json"
status=0
/usr/bin/time -f '%U %S' -o "$OUT/locust.cpu" env LOAD_PASSWORD="$PASSWORD" \
  LOAD_WARMUP_SECONDS="$WARMUP_SECONDS" LOAD_WARMUP_REPORT="$OUT/warmup.json" \
  "$BIN/locust" -f bench/locustfile.py --headless --host "$HOST" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$((WARMUP_SECONDS + RUN_SECONDS))s" \
  --stop-timeout 10 --csv "$OUT/locust" --only-summary --loglevel WARNING "$@" \
  >"$OUT/locust.log" 2>&1 &
LOCUST=$!
if [ "$WARMUP_SECONDS" -gt 0 ]; then
  for _ in $(seq $((WARMUP_SECONDS * 4 + 240))); do
    [ -s "$OUT/warmup.json" ] || ! kill -0 "$LOCUST" 2>/dev/null && break
    sleep 0.25
  done
else
  echo '{"seconds": 0, "ended_at": 0}' >"$OUT/warmup.json"
fi
before=$(cpu_ticks)
wait "$LOCUST" || status=$?
after=$(cpu_ticks)
[ -s "$OUT/warmup.json" ] || echo '{"seconds": 0, "ended_at": 0}' >"$OUT/warmup.json"

"$BIN/python" - "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" "$USERS" "$RUN_SECONDS" "$(nproc)" \
  "$before" "$after" "$(tail -1 "$OUT/locust.cpu")" "$(getconf CLK_TCK)" "$OUT/warmup.json" \
  "$SPAWN_RATE" <<'PY' | tee "$OUT/summary.md"
import csv, json, sys

stats, failures, users, run_time, cores = sys.argv[1:6]
before, after = json.loads(sys.argv[6]), json.loads(sys.argv[7])
tick = 1000 / int(sys.argv[9])
# Locust's CPU over the measured part: its whole run (time) less what it had used by then.
locust_cpu = sum(float(value) for value in sys.argv[8].split()[-2:]) - before["locust"] * tick / 1000
warmup = json.load(open(sys.argv[10]))
rows = list(csv.DictReader(open(stats)))
total = next(row for row in rows if row["Name"] == "Aggregated")
if warmup.get("seconds"):
    print(f"warm-up, left out: {warmup['seconds']:.0f} s, {users} users arriving {sys.argv[11]} a "
          f"second, empty caches: {warmup['requests']} requests, {warmup['failures']} failed, "
          f"{warmup['requests_per_second']} requests/s, p50 {warmup['p50_ms']} ms, "
          f"p95 {warmup['p95_ms']} ms\n")
print(f"measured: {users} users for {run_time} s, {cores} cores\n")
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
# Where the server's CPU goes: each request's cpu_ms (the request log of college/core/middleware.py)
# per view and public-cache outcome, the figures behind the "server" line above.
"$BIN/python" - "$OUT/gunicorn.log" "$OUT/warmup.json" <<'PY' | tee -a "$OUT/summary.md"
import collections, datetime, json, sys

measured_from = json.load(open(sys.argv[2])).get("ended_at", 0)
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    entry = json.loads(line)
    if entry.get("message") != "request" or "cpu_ms" not in entry:
        continue
    if datetime.datetime.fromisoformat(entry["time"]).timestamp() < measured_from:
        continue
    key = (entry["method"], entry["view"] or "(no view)", entry.get("public_cache") or "")
    rows[key].append(entry["cpu_ms"])
total = sum(sum(values) for values in rows.values()) or 1
print("\n| view | public cache | requests | CPU ms each (mean) | share of the server's CPU |")
print("|---|---|---:|---:|---:|")
for (method, view, cached), values in sorted(rows.items(), key=lambda item: -sum(item[1]))[:25]:
    print(f"| {method} {view} | {cached or '-'} | {len(values)} | {sum(values) / len(values):.1f} "
          f"| {100 * sum(values) / total:.1f} % |")
PY
echo "results in $OUT"
exit "$status"
