#!/usr/bin/env bash
# A table of random hex text, ~1 GB per 1,000,000 rows: the data where compression, not the
# database, decides the time (the shape the benchmarks issue quotes: 946 MB of text).
#   bench/text-table.sh postgres|mysql ROWS DATABASE        (creates DATABASE; fails if it exists)
set -euo pipefail
ENGINE=$1
ROWS=$2
DB=$3
CHUNK=100000
if [ "$ENGINE" = postgres ]; then
  PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
  "${PSQL[@]}" -d "$DB" -c "CREATE TABLE payload (id bigint PRIMARY KEY, n int, body text)"
  for ((from = 1; from <= ROWS; from += CHUNK)); do
    "${PSQL[@]}" -d "$DB" -c "INSERT INTO payload SELECT i, i % 1000,
        (SELECT string_agg(md5(random()::text || i || j), '') FROM generate_series(1, 28) j)
      FROM generate_series($from, least($from + $CHUNK - 1, $ROWS)) i"
  done
  "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE payload"
else
  MYSQL=(mysql -uroot -h127.0.0.1 --batch)
  "${MYSQL[@]}" -e "CREATE DATABASE \`$DB\`"
  "${MYSQL[@]}" "$DB" -e "CREATE TABLE payload (id bigint NOT NULL PRIMARY KEY, n int, body text)"
  MD5S=$(for j in $(seq 1 28); do printf "MD5(RAND()),"; done)
  for ((from = 1; from <= ROWS; from += CHUNK)); do
    to=$((from + CHUNK - 1 < ROWS ? from + CHUNK - 1 : ROWS))
    echo "INSERT INTO payload SELECT seq, seq % 1000, CONCAT(${MD5S%,}) FROM seq_${from}_to_${to};"
  done | "${MYSQL[@]}" "$DB"
  "${MYSQL[@]}" "$DB" -e "ANALYZE TABLE payload" > /dev/null
fi
