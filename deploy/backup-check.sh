#!/usr/bin/env bash
# make backup-check: backs up the prod-check database with deploy/backup.sh, restores the dump
# into a scratch database with deploy/restore.sh, and compares the row count of every table
# and a checksum of its rows (the main tables are listed). Exits non-zero on any difference. Run `make prod-check` first.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
cd "$(dirname "$0")/.."

PG=${PRODCHECK_PG:-postgres://postgres@127.0.0.1:5432}
SOURCE_DB=${PRODCHECK_DB:-passerelle_prodcheck}
SCRATCH_DB=${SOURCE_DB}_restore
DIR=var/backup-check
MAIN_TABLES="college_user college_skill college_role college_commune employers_employer
employers_vacancy employers_vacancyranking assessments_item authtoken_token
django_tasks_database_dbtaskresult django_migrations"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nbackup-check FAILED: %s\n' "$*" >&2; exit 1; }

exists=$(psql -Atq "$PG/postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$SOURCE_DB'")
[ "$exists" = 1 ] || fail "no database $SOURCE_DB: run make prod-check first"

counts() {
  # Every table of the public schema: "table rows md5-of-its-sorted-rows", one line each.
  psql -Atq -F ' ' "$PG/$1" -c "
    WITH t AS (
      SELECT table_name, query_to_xml(format(
        'SELECT count(*) AS c, md5(coalesce(string_agg(r::text, chr(10) ORDER BY r::text), %L)) AS h
         FROM %I.%I r', '', table_schema, table_name), false, true, '') AS x
      FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
    SELECT table_name, (xpath('/row/c/text()', x))[1]::text, (xpath('/row/h/text()', x))[1]::text
    FROM t ORDER BY table_name"
}

step "Backup of $SOURCE_DB (pg_dump, custom format)"
rm -rf "$DIR"
dump=$(BACKUP_KEEP_DAYS=1 DATABASE_URL="$PG/$SOURCE_DB" deploy/backup.sh --dir "$DIR")
counts "$SOURCE_DB" >"$DIR/source.counts"

step "Restore into the scratch database $SCRATCH_DB"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)" \
  -c "CREATE DATABASE $SCRATCH_DB"
trap 'psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)"' EXIT
deploy/restore.sh "$dump" "$PG/$SCRATCH_DB"
counts "$SCRATCH_DB" >"$DIR/restored.counts"

step "Row counts: $SOURCE_DB vs the restored copy"
printf '%-40s %10s %10s\n' table source restored
for table in $MAIN_TABLES; do
  printf '%-40s %10s %10s\n' "$table" \
    "$(awk -v t="$table" '$1 == t {print $2}' "$DIR/source.counts")" \
    "$(awk -v t="$table" '$1 == t {print $2}' "$DIR/restored.counts")"
done
tables=$(wc -l <"$DIR/source.counts")
rows=$(awk '{s += $2} END {print s}' "$DIR/source.counts")
if ! diff -u "$DIR/source.counts" "$DIR/restored.counts" >"$DIR/counts.diff"; then
  cat "$DIR/counts.diff"
  fail "the restored copy differs (above)"
fi

step "Django sees the restored schema as fully migrated"
DEBUG=1 DATABASE_URL="$PG/$SCRATCH_DB" .venv/bin/python manage.py migrate --check -v 0 \
  || fail "the restored database has unapplied migrations"
echo "ok"

printf '\nbackup-check passed: %s (%s) restored into %s; %s tables, %s rows, every count and checksum equal\n' \
  "$dump" "$(du -h "$dump" | cut -f1)" "$SCRATCH_DB" "$tables" "$rows"
