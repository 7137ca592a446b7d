#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what it needs (Node 24, yarn, dependencies, Debian's Chromium and
# kubectl), then type check, lint, unit and integration tests (jest, against kube-sim over real HTTP), and the
# browser end-to-end tests against the running demo app. Prints a closing "N passed, N failed" line.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
START=$(date +%s)
ensure_node
ensure_deps
ensure_kubectl
ensure_chromium

RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
failed_steps=()

log "type check (tsc)"
yarn tsc || failed_steps+=(tsc)

log "lint (backstage-cli repo lint)"
yarn backstage-cli repo lint || failed_steps+=(lint)

log "VictoriaMetrics for the live-traffic tests"
"$ROOT/scripts/victoria-metrics.sh" install || failed_steps+=(victoria-metrics)

log "unit and integration tests (jest)"
CI=true yarn backstage-cli repo test --json --outputFile="$RESULTS/jest.json" || failed_steps+=(jest)

log "production: two backend replicas on PostgreSQL and Redis"
"$ROOT/scripts/production-test.sh" --test-reporter=junit --test-reporter-destination="$RESULTS/production.xml" \
  || failed_steps+=(production)

log "benchmark smoke run (tiny sizes; the full run is yarn bench)"
node "$ROOT/test/bench/run.mjs" --smoke --junit "$RESULTS/bench-smoke.xml" || failed_steps+=(bench-smoke)

log "browser end-to-end tests (headless Chromium)"
"$ROOT/scripts/e2e.sh" "$RESULTS" || failed_steps+=(e2e)

node "$ROOT/scripts/summarize-tests.mjs" "$RESULTS"
log "finished in $(( $(date +%s) - START ))s"
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}" >&2
  exit 1
fi
