#!/usr/bin/env bash
# What the database tools themselves cost, for the paragraphs of docs/BENCHMARKS.md: the same
# dumps without Autobus at other compression settings, and the server's bare row output.
# Medians of 3 runs. Needs the data sets bench/run made (1 GB pgbench on PostgreSQL, 1 GB text
# on MariaDB).
#   bench/tool-floors.sh
set -euo pipefail
PG=autobus_bench_pg_68
MY=autobus_bench_my_text
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

median() { # COMMAND...: median wall seconds of 3 runs of a bash -c string
  for _ in 1 2 3; do
    /usr/bin/time -f %e -o "$OUT/t" bash -c "$1" >/dev/null 2>&1
    cat "$OUT/t"
  done | sort -n | sed -n 2p
}

printf '%-62s %s\n' "command (median of 3, seconds)" ""
for row in \
  "psql -h 127.0.0.1 -U postgres -d $PG -c 'COPY pgbench_accounts TO STDOUT' >/dev/null" \
  "pg_dump -Fc -h 127.0.0.1 -U postgres -f $OUT/d $PG" \
  "pg_dump -Fc -Z0 -h 127.0.0.1 -U postgres -f $OUT/d $PG" \
  "pg_dump -Fc -Z1 -h 127.0.0.1 -U postgres -f $OUT/d $PG" \
  "mysqldump -uroot -h127.0.0.1 --single-transaction --quick $MY >/dev/null" \
  "mysqldump -uroot -h127.0.0.1 --single-transaction --quick $MY | gzip > $OUT/m" \
  "mysqldump -uroot -h127.0.0.1 --single-transaction --quick $MY | gzip -1 > $OUT/m" \
  "mysqldump -uroot -h127.0.0.1 --single-transaction --quick $MY | pigz -1 > $OUT/m"; do
  printf '%-62s %s\n' "$(echo "$row" | sed "s#$OUT/##g; s# -h *127.0.0.1##; s# -U postgres##; s# -uroot##")" "$(median "$row")"
done
