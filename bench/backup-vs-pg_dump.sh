#!/usr/bin/env bash
# What a backup through Autobus costs against plain `pg_dump -Fc -f FILE` on the same database:
# wall time and peak memory, one run each. Results go to docs/benchmarks.md by hand.
#   bench/backup-vs-pg_dump.sh [size_gb]     (default 1; the database is created once and kept)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
use_jdk21
SIZE_GB=${1:-1}
DB=autobus_bench_${SIZE_GB}gb
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)

if [ "$("${PSQL[@]}" -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ]; then
  log "creating $DB (~${SIZE_GB} GB of random hex text; takes a few minutes)"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
  "${PSQL[@]}" -d "$DB" -c "CREATE TABLE payload (id bigint PRIMARY KEY, n int, body text)"
  for chunk in $(seq 1 $((SIZE_GB * 10))); do
    "${PSQL[@]}" -d "$DB" -c "INSERT INTO payload SELECT i, i % 1000,
        (SELECT string_agg(md5(random()::text || i || j), '') FROM generate_series(1, 28) j)
      FROM generate_series(($chunk - 1) * 100000 + 1, $chunk * 100000) i"
  done
  "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE payload"
fi
log "database size: $("${PSQL[@]}" -d "$DB" -c "SELECT pg_size_pretty(pg_database_size('$DB'))")"

OUT=$(mktemp -d)
log "plain pg_dump -Fc -f FILE"
/usr/bin/time -f "pg_dump seconds=%e peak_rss_mb=%M" -o "$OUT/time.txt" \
  pg_dump -Fc -h 127.0.0.1 -U postgres -f "$OUT/plain.dump" "$DB"
awk '{ split($3, a, "="); printf "%s %s peak_rss_mb=%d bytes='"$(stat -c %s "$OUT/plain.dump")"'\n", $1, $2, a[2] / 1024 }' "$OUT/time.txt"
rm -f "$OUT/plain.dump"

mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -pl app
CP="app/target/classes:app/target/test-classes:$(cat app/target/bench.classpath)"
for store in local s3; do
  log "Autobus pipeline into the $store store (JVM capped at -Xmx256m)"
  "$JAVA_HOME/bin/java" -Xmx256m -Ds3proxy.jar=app/target/test-tools/s3proxy.jar -Ds3proxy.heap=3g -cp "$CP" \
    io.autobus.bench.BackupBenchmark "postgres://postgres@127.0.0.1:5432/$DB" "$store" 2>/dev/null | grep -v '^$' || true
done
rm -rf "$OUT"
