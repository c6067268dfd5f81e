#!/usr/bin/env bash
# Load figures for Passerelle: gunicorn + PostgreSQL + Redis on the loopback, the demo
# data scaled to 100,000 job-seekers and 2,000 vacancies, first the ceiling (the minimal view,
# /healthz, at saturation: bench/locust_ceiling.py), then the locust scenario of
# bench/locustfile.py, headless and bounded in users and time, then the ceiling again, the mix
# reported as ratios to the two ceilings' mean (bench/load_report.py; no verdict when they lie
# more than 10 % apart). See bench/README.md, "Load".
#
#   bench/load.sh                         # ceiling 30 s; then as many people as offer 45 % of it,
#                                         # 60 s warm-up then 60 s measured
#   USERS=300 RUN_TIME=120s bench/load.sh
#   SKIP_DATA=1 USERS=10 WARMUP=0 RUN_TIME=20s bench/load.sh Employer Candidate   # some only
#   LOAD_DB=passerelle_bench_small CANDIDATES=5000 VACANCIES=300 CEILING_TIME=10s USERS=30 \
#     WARMUP=10s RUN_TIME=20s bench/load.sh          # a small run, end to end, in a few minutes
#
# Settings (environment): LOAD_DB (scratch database; its name must contain "bench"), PG_URL
# (the server, default postgres://postgres@127.0.0.1:5432), REDIS_URL (default
# redis://127.0.0.1:6379/3: a Redis database of its own, emptied at the start), PORT (8765),
# USERS (auto: as many people as offer OFFERED_SHARE, 0.45, of the ceiling's throughput at their
# pace, 1.5 s between steps on average: the goal is the mix at 40 % of the ceiling; a number
# sets them; without a ceiling, auto is 250), SPAWN_RATE (auto: every user has arrived half-way
# through the warm-up, at least 10 a second), WARMUP (60s: users arrive, sign in and the caches fill,
# outside the figures), RUN_TIME (60s, measured), SKIP_DATA=1 (reuse the data and rankings as
# they are), OUT (results folder), CANDIDATES (100000) and VACANCIES (2000): the synthetic data
# set's size, LOAD_CANDIDATES (200) and LOAD_EMPLOYERS (60): the scenario's accounts,
# CEILING_USERS (20: users requesting /healthz back to back) and CEILING_TIME (30s; 0 skips the
# ceiling). Times in seconds: 90, 90s or 2m.
# Exit status: locust's (non-zero when a request failed).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
LOAD_DB=${LOAD_DB:-passerelle_bench_load}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
PORT=${PORT:-8765}
USERS=${USERS:-auto}
SPAWN_RATE=${SPAWN_RATE:-auto}
OFFERED_SHARE=${OFFERED_SHARE:-0.45}
WARMUP=${WARMUP:-60s}
RUN_TIME=${RUN_TIME:-60s}
OUT=${OUT:-var/load/$(date -u +%Y%m%dT%H%M%SZ)}
CANDIDATES=${CANDIDATES:-100000}
VACANCIES=${VACANCIES:-2000}
LOAD_CANDIDATES=${LOAD_CANDIDATES:-200}
LOAD_EMPLOYERS=${LOAD_EMPLOYERS:-60}
CEILING_USERS=${CEILING_USERS:-20}
CEILING_TIME=${CEILING_TIME:-30s}
PASSWORD=${LOAD_PASSWORD:-passerelle-demo}
HOST=http://127.0.0.1:$PORT
status=0

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
CEILING_SECONDS=$(seconds "$CEILING_TIME")
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
# The address the scenario's requests claim (X-Forwarded-Proto: https), as in production: the
# API's answers kept ahead are those of the site's own address.
export SITE_URL=${SITE_URL:-https://127.0.0.1:$PORT}
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
  "$BIN/python" manage.py scale_demo --password "$PASSWORD" --candidates "$CANDIDATES" \
    --vacancies "$VACANCIES" --load-candidates "$LOAD_CANDIDATES" \
    --load-employers "$LOAD_EMPLOYERS" | tail -1 | tee "$OUT/data.json"
fi
"$BIN/python" manage.py collectstatic --noinput -v 0
# Planner statistics as a production database keeps them: its autovacuum analyses a table once a
# tenth of it has changed. Where autovacuum is off (the development machine's PostgreSQL), the
# rows the earlier runs wrote (attempts, answers) were never analysed, and the planner, counting
# 12,000 answers where 34,000 were, read all of them at each step of each attempt (3.3 ms of the
# database's CPU, against 0.05 ms with the statistics current).
echo "PostgreSQL autovacuum: $(psql "$PG_URL/$LOAD_DB" -Atc 'SHOW autovacuum'); analysing $LOAD_DB"
psql "$PG_URL/$LOAD_DB" -qc 'VACUUM (ANALYZE)'
# An empty cache, as after a deployment: the warm-up fills it. Then the deployment's step that
# renders every published vacancy ahead for the new code (deploy/compose.yaml's render-ahead).
"$BIN/python" manage.py shell -v 0 -c 'from django.core.cache import cache; cache.clear()'
"$BIN/python" manage.py render_vacancies_ahead | tee "$OUT/render_ahead.txt"

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
echo "gunicorn on $HOST ($(pgrep -P "$SERVER" | wc -l) workers)"

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
# The ceiling, in the same run: the minimal view (/healthz: the middleware stack and one indexed
# read) requested back to back by CEILING_USERS users, the throughput, latency and CPU per request
# the same gunicorn, database and cache reach on this machine now. The mix is reported against it.
run_json() { "$BIN/python" -c 'import json, sys; print(json.dumps(dict(zip(sys.argv[1::2], map(json.loads, sys.argv[2::2])))))' "$@"; }
# measure_ceiling NAME: the ceiling's phase, written to $OUT/NAME_stats.csv and $OUT/NAME.json.
measure_ceiling() {
  echo "$1: /healthz, $CEILING_USERS users back to back for $CEILING_SECONDS s"
  "$BIN/locust" -f bench/locust_ceiling.py --headless --host "$HOST" \
    --users "$CEILING_USERS" --spawn-rate "$CEILING_USERS" --run-time "${CEILING_SECONDS}s" \
    --stop-timeout 5 --csv "$OUT/$1" --only-summary --loglevel WARNING \
    >"$OUT/$1.log" 2>&1 &
  LOCUST=$!
  sleep 1 # every user has arrived: the measure starts
  local started before after ended
  started=$(date +%s.%N)
  before=$(cpu_ticks)
  wait "$LOCUST" || status=$?
  after=$(cpu_ticks)
  ended=$(date +%s.%N)
  unset LOCUST
  run_json started_at "$started" ended_at "$ended" before "$before" \
    after "$after" users "$CEILING_USERS" seconds "$CEILING_SECONDS" cores "$(nproc)" \
    clock_ticks "$(getconf CLK_TCK)" >"$OUT/$1.json"
}
if [ "$CEILING_SECONDS" -gt 0 ]; then
  measure_ceiling ceiling
fi
# The mix's people: by default as many as, at a person's pace (a step every 1.5 s on average,
# bench/locustfile.py), offer OFFERED_SHARE of the ceiling's throughput. If the server keeps up,
# the mix's throughput is that share and its latencies stay low; if not, people wait for their
# answers, the throughput falls short and the p95 grows: the goal (40 %, p95 < 300 ms) is met
# only when the server carries the load.
if [ "$USERS" = auto ]; then
  if [ -s "$OUT/ceiling_stats.csv" ]; then
    USERS=$("$BIN/python" -c 'import csv, math, sys
row = next(r for r in csv.DictReader(open(sys.argv[1])) if r["Name"] == "Aggregated")
print(max(10, math.ceil(float(sys.argv[2]) * float(row["Requests/s"]) * 1.5)))' \
      "$OUT/ceiling_stats.csv" "$OFFERED_SHARE")
  else
    USERS=250
  fi
fi
if [ "$SPAWN_RATE" = auto ]; then
  SPAWN_RATE=$(( USERS * 2 / (WARMUP_SECONDS > 0 ? WARMUP_SECONDS : 1) ))
  [ "$SPAWN_RATE" -ge 10 ] || SPAWN_RATE=10
fi
echo "mix: $USERS users arriving $SPAWN_RATE a second, $WARMUP_SECONDS s warm-up, $RUN_SECONDS s measured"
# Locust runs warm-up and measure in one go (the same users stay signed in); when the warm-up
# ends, the scenario restarts its statistics and writes warmup.json, and the CPU count starts.
rm -f "$OUT/warmup.json"
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

mix_ended=$(date +%s.%N)
locust_cpu=$("$BIN/python" -c 'import json, sys; used = sum(map(float, sys.argv[1].split()[-2:])); print(used - json.loads(sys.argv[2])["locust"] / int(sys.argv[3]))' \
  "$(tail -1 "$OUT/locust.cpu")" "$before" "$(getconf CLK_TCK)")
run_json ended_at "$mix_ended" before "$before" after "$after" users "$USERS" \
  offered_share "$OFFERED_SHARE" seconds "$RUN_SECONDS" spawn_rate "$SPAWN_RATE" locust_cpu_seconds "$locust_cpu" >"$OUT/mix.json"
# The ceiling again, right after the mix: a machine shared with other work changes speed, and a
# ratio means something only while the ceiling holds (the report compares the two).
if [ "$CEILING_SECONDS" -gt 0 ]; then
  sleep 2
  measure_ceiling ceiling_after
fi
# The summary: the ceiling, the mix (per endpoint, CPU per request and per view), and the mix as
# ratios to the ceiling, with the verdict on the goals (bench/load_report.py).
"$BIN/python" bench/load_report.py "$OUT" | tee "$OUT/summary.md"
echo "results in $OUT"
exit "$status"
