#!/usr/bin/env bash
# The pgbench data set (`pgbench -i -s SCALE`) for MySQL/MariaDB: the same four tables, the same
# columns and the same number of rows, generated on the server (MariaDB's sequence engine).
#   bench/mysql-pgbench.sh SCALE DATABASE        (creates DATABASE; fails if it exists)
set -euo pipefail
SCALE=$1
DB=$2
MYSQL=(mysql -uroot -h127.0.0.1 --batch)
"${MYSQL[@]}" -e "CREATE DATABASE \`$DB\`"
"${MYSQL[@]}" "$DB" <<SQL
CREATE TABLE pgbench_branches (bid int NOT NULL PRIMARY KEY, bbalance int, filler char(88));
CREATE TABLE pgbench_tellers (tid int NOT NULL PRIMARY KEY, bid int, tbalance int, filler char(84));
CREATE TABLE pgbench_accounts (aid int NOT NULL PRIMARY KEY, bid int, abalance int, filler char(84));
CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime datetime, filler char(22));
INSERT INTO pgbench_branches SELECT seq, 0, NULL FROM seq_1_to_${SCALE};
INSERT INTO pgbench_tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, NULL FROM seq_1_to_$((SCALE * 10));
SQL
# One branch (100,000 accounts) per statement: bounded transactions, as pgbench's COPY per scale.
for branch in $(seq 1 "$SCALE"); do
  echo "INSERT INTO pgbench_accounts SELECT seq, $branch, 0, '' FROM seq_$(((branch - 1) * 100000 + 1))_to_$((branch * 100000));"
done | "${MYSQL[@]}" "$DB"
"${MYSQL[@]}" "$DB" -e "ANALYZE TABLE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history" > /dev/null
