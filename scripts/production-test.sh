#!/usr/bin/env bash
# The production setup, tested: two backend replicas on one PostgreSQL database and one Redis cache, against the
# Kubernetes API simulator (test/production). Self-contained: installs Node 24 and the dependencies if needed,
# Debian's postgresql and redis-server if missing, starts both on loopback (non-default ports, a temporary
# folder, passwords required), runs the tests and stops everything. Prints a closing "N passed, N failed" line
# and exits non-zero on failure.
# Usage: scripts/production-test.sh [extra node --test reporter options, e.g.
#          --test-reporter=junit --test-reporter-destination=FILE]
#        MESH_TEST_RESULTS=DIR: also copy the jest part's report there (production-jest.json)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
START=$(date +%s)
ensure_node
ensure_deps
apt_install postgresql redis-server

PG_PORT="${MESH_TEST_PG_PORT:-55432}"
REDIS_PORT="${MESH_TEST_REDIS_PORT:-56390}"
STATE=/tmp/mesh-production-test
LOCK=/tmp/mesh-production-test.lock

# One run at a time on a machine; a run that was interrupted is cleaned up by the next one.
exec 9>"$LOCK"
flock 9

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_services() {
  if [ -f "$STATE/pg/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$STATE/redis.pid" ]; then
    local pid; pid="$(cat "$STATE/redis.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
}
stop_services
rm -rf "$STATE"
mkdir -p "$STATE"
chmod 755 "$STATE"
cleanup() {
  stop_services
  if [ -z "${MESH_TEST_KEEP:-}" ]; then rm -rf "$STATE"; fi
}
trap cleanup EXIT

export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$PG_PORT" POSTGRES_USER=backstage
export POSTGRES_PASSWORD="pg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT"
export REDIS_PASSWORD="redis-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

log "starting PostgreSQL on 127.0.0.1:$PG_PORT (data in $STATE/pg)"
mkdir -p "$STATE/pg" && chown postgres: "$STATE/pg" 2>/dev/null || true
printf '%s\n' "$POSTGRES_PASSWORD" >"$STATE/pgpass" && chown postgres: "$STATE/pgpass" 2>/dev/null || true
as_postgres "$PG_BIN/initdb" -D "$STATE/pg" -U "$POSTGRES_USER" --pwfile="$STATE/pgpass" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions >"$STATE/initdb.log" 2>&1 \
  || { cat "$STATE/initdb.log"; exit 1; }
rm -f "$STATE/pgpass"
as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg" -l "$STATE/pg/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$STATE/pg -c fsync=off -c max_connections=200" \
  start >/dev/null || { cat "$STATE/pg/postgres.log"; exit 1; }

log "starting Redis on 127.0.0.1:$REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" --save '' --appendonly no \
  --dir "$STATE" --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --daemonize yes
for _ in $(seq 1 300); do  # up to 30 s: generous for a loaded machine
  REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG \
  || { cat "$STATE/redis.log"; exit 1; }

export MESH_TEST_STATE="$STATE"
# What the fault tests need to stop and start PostgreSQL and Redis themselves (database and cache loss).
export MESH_TEST_PG_BIN="$PG_BIN" MESH_TEST_PG_DATA="$STATE/pg"
export MESH_TEST_PG_OPTS="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$STATE/pg -c fsync=off -c max_connections=200"
# The store's unit tests run on this PostgreSQL too (they use SQLite only otherwise).
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://$POSTGRES_USER:$POSTGRES_PASSWORD@127.0.0.1:$PG_PORT"

RESULTS="$STATE/results"
mkdir -p "$RESULTS"
status=0

# The SQLite variants run with the package's other tests (yarn test); only the PostgreSQL ones run here
# (storeTestDatabases reads MESH_TEST_DATABASES), so none is reported as skipped.
log "snapshot store unit tests on this PostgreSQL (jest)"
(cd "$ROOT/plugins/service-mesh-backend" && CI=true MESH_TEST_DATABASES=POSTGRES_15 yarn backstage-cli package test \
  src/snapshot/DatabaseSnapshotStore.test.ts src/snapshot/DatabaseSnapshotStore.faults.test.ts \
  src/snapshot/sharedSnapshot.test.ts src/trend/FindingsTrendStore.test.ts \
  --json --outputFile="$RESULTS/jest.json") || status=1

log "two replicas on PostgreSQL and Redis (node --test test/production)"
node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$RESULTS/production.tap" \
  "$@" test/production/*.test.ts || status=1

node -e '
  const fs = require("fs");
  const dir = process.argv[1];
  let passed = 0, failed = 0;
  try {
    const j = JSON.parse(fs.readFileSync(dir + "/jest.json", "utf8"));
    passed += j.numPassedTests; failed += j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0);
  } catch { failed += 1; console.log("jest: no results"); }
  try {
    const tap = fs.readFileSync(dir + "/production.tap", "utf8");
    const count = k => Number((tap.match(new RegExp("^# " + k + " (\\d+)$", "m")) ?? [0, 0])[1]);
    passed += count("pass"); failed += count("fail") + count("cancelled");
  } catch { failed += 1; console.log("node --test: no results"); }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$RESULTS" || status=1
# For the test command's summary (scripts/test-all.sh): the jest part's report (the node --test part writes its
# own with the reporter options above).
if [ -n "${MESH_TEST_RESULTS:-}" ] && [ -f "$RESULTS/jest.json" ]; then
  cp "$RESULTS/jest.json" "$MESH_TEST_RESULTS/production-jest.json"
fi
log "finished in $(( $(date +%s) - START ))s"
exit $status
