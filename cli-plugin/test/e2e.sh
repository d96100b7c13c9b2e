#!/usr/bin/env bash
# End to end, as a user runs it: the real `heroku` CLI from npm with this plugin linked, a
# stand-in for Heroku's Platform API (the only thing we cannot run here), and the real Autobus
# service from app/target/autobus.jar with its embedded defaults. Captures a snapshot, lists it,
# downloads it and restores the file into a fresh database with pg_restore, with autobus:restore
# --local, and by the service (one table, alongside).
# Needs: the jar (mvn package), node/npm, PostgreSQL on 127.0.0.1:5432 (scripts/test sees to it).
set -euo pipefail
cd "$(dirname "$0")/.."
PLUGIN=$PWD
ROOT=$(cd .. && pwd)
JAVA=${JAVA_HOME:-/usr}/bin/java
WORK=$(mktemp -d)
APP=e2e-sushi
TOKEN=e2e-user-heroku-token
SUFFIX=$RANDOM$RANDOM
SOURCE=e2e_source_$SUFFIX
RESTORED=e2e_restored_$SUFFIX
TARGET=e2e_target_$SUFFIX
PSQL=(psql -h 127.0.0.1 -U postgres -qAt -v ON_ERROR_STOP=1)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $SOURCE WITH (FORCE)" -c "DROP DATABASE IF EXISTS $RESTORED WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $TARGET WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "e2e: the heroku CLI from npm"
mkdir -p .e2e
[ -f .e2e/package.json ] || echo '{"name": "autobus-e2e", "private": true}' > .e2e/package.json
[ -x .e2e/node_modules/.bin/heroku ] || (cd .e2e && npm install --no-audit --no-fund --loglevel=error heroku@11)
HEROKU=$PLUGIN/.e2e/node_modules/.bin/heroku
npm run build --silent

echo "e2e: a customer database"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $SOURCE"
"${PSQL[@]}" -d "$SOURCE" -c "CREATE TABLE orders (id int PRIMARY KEY, total numeric)" \
  -c "INSERT INTO orders SELECT i, i * 1.5 FROM generate_series(1, 321) i"

echo "e2e: Autobus with its embedded defaults"
PORT=$(free_port)
# exec: $! is then java itself, which cleanup stops (a subshell's pid would leave java running)
(cd "$WORK" && exec env -i PATH="$PATH" PORT="$PORT" "$JAVA" -jar "$ROOT/app/target/autobus.jar" > autobus.log 2>&1) &
PIDS+=($!)
for _ in $(seq 1 90); do grep -q "Autobus is running" "$WORK/autobus.log" 2>/dev/null && break; sleep 1; done
grep -q "Autobus is running" "$WORK/autobus.log" || { cat "$WORK/autobus.log"; exit 1; }
PASSWORD=$(grep -oP 'password \K\S+' "$WORK/autobus.log")
SALT=$(grep -oP 'SSO salt \K\S+' "$WORK/autobus.log")
BASE=http://localhost:$PORT
ADDON=$(python3 -c 'import uuid; print(uuid.uuid4())')
AUTOBUS_URL=$(curl -sf -u "autobus:$PASSWORD" -H 'Content-Type: application/json' \
  -d '{"uuid":"'"$ADDON"'","plan":"travel","region":"amazon-web-services::us-east-1","oauth_grant":{"code":"e2e"}}' \
  "$BASE/heroku/resources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["AUTOBUS_URL"])')
# Without Heroku, the database is attached on the dashboard (SSO, then the form).
NOW=$(date +%s)
SIGNATURE=$(printf '%s' "$ADDON:$SALT:$NOW" | sha1sum | cut -d' ' -f1)
curl -sf -c "$WORK/cookies" -o /dev/null -d "resource_id=$ADDON&timestamp=$NOW&resource_token=$SIGNATURE&email=e2e@example.com&app=$APP" "$BASE/sso/login"
CSRF=$(curl -sf -b "$WORK/cookies" "$BASE/dashboard" | grep -oP 'name="csrf" value="\K[0-9a-f]+' | head -1)
curl -sf -b "$WORK/cookies" -o /dev/null --data-urlencode "csrf=$CSRF" -d name=DATABASE \
  --data-urlencode "url=postgres://postgres@127.0.0.1:5432/$SOURCE" "$BASE/dashboard/databases"

echo "e2e: the stand-in for Heroku's Platform API"
FAKE=$(free_port)
node test/e2e/fake-heroku.mjs "$FAKE" "$APP" "$TOKEN" \
  '{"AUTOBUS_URL": "'"$AUTOBUS_URL"'", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/'"$SOURCE"'",
    "STAGING_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/'"$TARGET"'"}' > "$WORK/fake.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 20); do grep -q "fake Heroku API" "$WORK/fake.log" && break; sleep 0.5; done

export HOME=$WORK/home HEROKU_HOST=http://127.0.0.1:$FAKE HEROKU_API_KEY=$TOKEN
export HEROKU_DISABLE_AUTOUPDATE=1 DISABLE_TELEMETRY=true HEROKU_SKIP_NEW_VERSION_CHECK=true
mkdir -p "$HOME"
"$HEROKU" plugins:link "$PLUGIN" >/dev/null 2>&1 || "$HEROKU" plugins:link "$PLUGIN"

echo "e2e: heroku autobus:capture --wait"
ID=$("$HEROKU" autobus:capture --wait -a "$APP" --description e2e | tail -1)
[[ "$ID" =~ ^[0-9a-f]{24}$ ]] || { echo "capture printed '$ID'"; exit 1; }

echo "e2e: heroku autobus:snapshots"
"$HEROKU" autobus:snapshots -a "$APP" | tee "$WORK/list.txt"
grep -q "$ID" "$WORK/list.txt" && grep -q verified "$WORK/list.txt"

echo "e2e: heroku autobus:download"
"$HEROKU" autobus:download "$ID" -a "$APP" -o "$WORK/snapshot.dump"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $RESTORED"
pg_restore --no-owner --no-acl -h 127.0.0.1 -U postgres -d "$RESTORED" "$WORK/snapshot.dump"
[ "$("${PSQL[@]}" -d "$RESTORED" -c "SELECT count(*) || ':' || sum(total) FROM orders")" = "$("${PSQL[@]}" -d "$SOURCE" -c "SELECT count(*) || ':' || sum(total) FROM orders")" ]
echo "e2e: heroku autobus:restore --local (into another of the app's databases)"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $TARGET"
if "$HEROKU" autobus:restore "$ID" -a "$APP" --local --to STAGING_DATABASE_URL >/dev/null 2>&1; then
  echo "restore ran without --confirm"; exit 1
fi
"$HEROKU" autobus:restore "$ID" -a "$APP" --local --to STAGING_DATABASE_URL --confirm "$APP" 2>"$WORK/restore.log" \
  || { cat "$WORK/restore.log"; exit 1; }
[ "$("${PSQL[@]}" -d "$TARGET" -c "SELECT count(*) FROM orders")" = 321 ]
echo "e2e: heroku autobus:tables, then autobus:restore --table run by the service (alongside, followed to its end)"
"$HEROKU" autobus:tables "$ID" -a "$APP" | tee "$WORK/tables.txt"
grep -q "public.orders" "$WORK/tables.txt"
"$HEROKU" autobus:restore "$ID" -a "$APP" --table orders >"$WORK/service-restore.out" 2>"$WORK/service-restore.err" \
  || { cat "$WORK/service-restore.out" "$WORK/service-restore.err"; exit 1; }
cat "$WORK/service-restore.err" "$WORK/service-restore.out"
grep -q "Restoring snapshot $ID into DATABASE_URL" "$WORK/service-restore.err"
grep -q "restored_$ID" "$WORK/service-restore.out"
grep -q "public.orders.*321.*321" "$WORK/service-restore.out"
[ "$("${PSQL[@]}" -d "$SOURCE" -c "SELECT count(*) || ':' || sum(total) FROM restored_$ID.orders")" = "$("${PSQL[@]}" -d "$SOURCE" -c "SELECT count(*) || ':' || sum(total) FROM orders")" ]
echo "e2e: passed (snapshot $ID captured, verified, listed, downloaded, restored by pg_restore, by autobus:restore --local and by the service)"
