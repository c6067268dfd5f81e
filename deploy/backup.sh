#!/usr/bin/env bash
# Dumps Passerelle's PostgreSQL database in pg_dump's custom format (compressed, restorable table
# by table with pg_restore), checks the dump can be read, and deletes dumps older than
# BACKUP_KEEP_DAYS.
#
#   deploy/backup.sh [--dir DIR] [--media DIR]
#
# DATABASE_URL comes from the environment, or from the env file named by PASSERELLE_ENV
# (default /etc/passerelle/passerelle.env). Prints the dump's path on the last line.
# Run it from cron or a systemd timer on one machine, e.g. daily at 02:15 as the passerelle user,
# and copy the dumps off the machine (another site or an object store).
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-/var/backups/passerelle}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
MEDIA_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) BACKUP_DIR=$2; shift 2 ;;
    --media) MEDIA_DIR=$2; shift 2 ;;
    *) echo "usage: $0 [--dir DIR] [--media DIR]" >&2; exit 2 ;;
  esac
done

if [ -z "${DATABASE_URL:-}" ]; then
  env_file=${PASSERELLE_ENV:-/etc/passerelle/passerelle.env}
  [ -r "$env_file" ] || { echo "DATABASE_URL is not set and $env_file cannot be read" >&2; exit 2; }
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$env_file" | tail -1)
fi
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backups need a PostgreSQL DATABASE_URL" >&2; exit 2 ;;
esac

mkdir -p "$BACKUP_DIR"
umask 077  # dumps hold personal data
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$BACKUP_DIR/passerelle-$stamp.dump"

# --no-owner/--no-privileges: restorable under another role name; the schema and data are whole.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
pg_restore --list "$dump.partial" >/dev/null  # a truncated or corrupt dump fails here
mv "$dump.partial" "$dump"

if [ -n "$MEDIA_DIR" ] && [ -d "$MEDIA_DIR" ]; then
  tar -czf "$BACKUP_DIR/passerelle-media-$stamp.tar.gz" -C "$MEDIA_DIR" .
fi

find "$BACKUP_DIR" -maxdepth 1 -name 'passerelle-*' -mtime +"$KEEP_DAYS" -delete
echo "$(du -h "$dump" | cut -f1) $dump" >&2
echo "$dump"
