#!/usr/bin/env bash
# What verifying a snapshot costs against a plain `pg_restore` of the same dump into an empty
# database, on the database bench/backup-vs-pg_dump.sh creates. One run each.
#   bench/verify-vs-pg_restore.sh [size_gb]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
use_jdk21
SIZE_GB=${1:-1}
DB=autobus_bench_${SIZE_GB}gb
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
[ "$("${PSQL[@]}" -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 1 ] \
  || { log "run bench/backup-vs-pg_dump.sh $SIZE_GB first (it creates $DB)"; exit 1; }

OUT=$(mktemp -d)
pg_dump -Fc -h 127.0.0.1 -U postgres -f "$OUT/plain.dump" "$DB"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS autobus_bench_restore" -c "CREATE DATABASE autobus_bench_restore"
log "plain pg_restore of the same dump into an empty database"
/usr/bin/time -f "pg_restore seconds=%e peak_rss_mb=%M" -o "$OUT/time.txt" \
  pg_restore --no-owner --no-acl -h 127.0.0.1 -U postgres -d autobus_bench_restore "$OUT/plain.dump"
awk '{ split($3, a, "="); printf "%s %s peak_rss_mb=%d\n", $1, $2, a[2] / 1024 }' "$OUT/time.txt"
"${PSQL[@]}" -d postgres -c "DROP DATABASE autobus_bench_restore"
rm -rf "$OUT"

mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -pl app
CP="app/target/classes:app/target/test-classes:$(cat app/target/bench.classpath)"
log "Autobus: backup, then verification (stream back, SHA-256, pg_restore into a scratch database, exact counts)"
"$JAVA_HOME/bin/java" -Xmx256m -cp "$CP" io.autobus.bench.BackupBenchmark \
  "postgres://postgres@127.0.0.1:5432/$DB" local verify "postgres://postgres@127.0.0.1:5432/postgres" 2>/dev/null | grep -v '^$' || true
