#!/usr/bin/env bash
# Restores a dump made by deploy/backup.sh into a PostgreSQL database.
#
#   deploy/restore.sh DUMP TARGET_DATABASE_URL [--clean]
#
# The target database must exist (createdb). It must be empty unless --clean is given, which
# drops the dumped objects first: stop gunicorn and the task workers before restoring over a
# live database. Everything is restored in one transaction: on any error nothing is changed.
# Afterwards run `manage.py migrate` with the same code version (a no-op when they match).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ] || { [ $# -eq 3 ] && [ "$3" != "--clean" ]; }; then
  echo "usage: $0 DUMP TARGET_DATABASE_URL [--clean]" >&2
  exit 2
fi
dump=$1
target=$2
clean=${3:-}
[ -r "$dump" ] || { echo "cannot read $dump" >&2; exit 2; }

tables=$(psql -Atq "$target" -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
options=(--no-owner --no-privileges --exit-on-error --single-transaction)
if [ "$tables" -gt 0 ]; then
  if [ "$clean" != "--clean" ]; then
    echo "the target database already has $tables tables: restore into an empty database," >&2
    echo "or pass --clean to replace them" >&2
    exit 1
  fi
  options+=(--clean --if-exists)
fi

pg_restore "${options[@]}" --dbname="$target" "$dump"
echo "restored $dump ($(psql -Atq "$target" -c \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") tables)"
