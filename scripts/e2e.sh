#!/usr/bin/env bash
# Starts the demo app (scripts/start.sh) in the background, runs the browser tests in test/e2e against it with
# headless Chromium (playwright-core), then stops it. $1: folder for the results (optional).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
RESULTS="${1:-$ROOT/.test-results}"; mkdir -p "$RESULTS"
APP_LOG="$RESULTS/app.log"

if curl -s -o /dev/null http://localhost:7007 || curl -s -o /dev/null http://localhost:3000; then
  echo "ports 3000/7007 are already in use: stop the running app first" >&2; exit 1
fi
# The demo's permission policy denies what this file lists (packages/backend/src/demoPermissionPolicy.ts): the
# browser tests write it to see the pages of a user without service-mesh.read, and remove it.
export DEMO_DENIED_PERMISSIONS_FILE="$RESULTS/denied-permissions.json"
rm -f "$DEMO_DENIED_PERMISSIONS_FILE"
setsid "$ROOT/scripts/start.sh" >"$APP_LOG" 2>&1 &
APP_PID=$!
stop_app() { kill -TERM -- -"$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }
trap stop_app EXIT

log "waiting for the backend (:7007) and the frontend (:3000)"
wait_for_url http://localhost:7007/api/service-mesh/health 600 || { tail -50 "$APP_LOG"; exit 1; }
wait_for_url http://localhost:3000 600 || { tail -50 "$APP_LOG"; exit 1; }

export E2E_BASE_URL=http://localhost:3000 E2E_BACKEND_URL=http://localhost:7007
export E2E_SCREENSHOTS="$ROOT/test/e2e/screenshots"
mkdir -p "$E2E_SCREENSHOTS"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$RESULTS/e2e.xml" test/e2e/*.test.ts
