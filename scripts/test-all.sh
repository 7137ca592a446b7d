#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what it needs (Node 24, yarn, dependencies, Debian's Chromium and
# kubectl), then type check, lint, unit and integration tests (jest, against kube-sim over real HTTP), the
# production test, the benchmark smoke run and the browser end-to-end tests against the running demo app.
# Prints a table of the steps (result, duration) and a closing "N passed, N failed, N skipped" line; exits 1 when
# a step failed, or produced no results.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
START=$(date +%s)

RESULTS="$ROOT/.test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
# One line per step: id, exit code, seconds (scripts/summarize-tests.mjs reads it).
STEPS="$RESULTS/steps.tsv"
: >"$STEPS"
failed_steps=()

# step ID DESCRIPTION COMMAND...: runs the command, records its exit code and duration, never stops the run.
step() {
  local id="$1" what="$2"; shift 2
  log "$what"
  local started rc=0
  started=$(date +%s)
  "$@" || rc=$?
  printf '%s\t%s\t%s\n' "$id" "$rc" "$(( $(date +%s) - started ))" >>"$STEPS"
  if [ "$rc" -ne 0 ]; then failed_steps+=("$id"); log "$id failed (exit $rc)"; fi
}

setup() { ensure_node && ensure_deps && ensure_kubectl && ensure_chromium; }
step setup "toolchain and dependencies (Node 24, yarn install, kubectl, Chromium)" setup
step tsc "type check (tsc)" yarn tsc
# Both linters run even when the first fails, so one run shows every problem.
lint() {
  local rc=0
  yarn backstage-cli repo lint || rc=1
  yarn prettier --check . || rc=1
  # The committed API reports (plugins/*/report*.api.md) match the public API. They are read from dist-types of a
  # full (non-incremental) tsc: an incremental one prints inferred unions and object types in another order.
  # After an intended API change: yarn build:api-reports, and commit the reports.
  { yarn tsc --incremental false && yarn build:api-reports:only --ci; } || rc=1
  return "$rc"
}
step lint "lint (backstage-cli repo lint, prettier --check ., API reports)" lint
step victoria-metrics "VictoriaMetrics for the live-traffic tests" "$ROOT/scripts/victoria-metrics.sh" install
step jest "unit and integration tests (jest)" \
  env CI=true yarn backstage-cli repo test --json --outputFile="$RESULTS/jest.json"
step production "production: two backend replicas on PostgreSQL and Redis" \
  env MESH_TEST_RESULTS="$RESULTS" "$ROOT/scripts/production-test.sh" \
  --test-reporter=junit --test-reporter-destination="$RESULTS/production.xml"
step bench-smoke "benchmark smoke run (tiny sizes, counts judged, timings printed; the full run is yarn bench)" \
  node "$ROOT/test/bench/run.mjs" --smoke --junit "$RESULTS/bench-smoke.xml"
step e2e "browser end-to-end tests (headless Chromium)" "$ROOT/scripts/e2e.sh" "$RESULTS"

summary=0
node "$ROOT/scripts/summarize-tests.mjs" "$RESULTS" || summary=$?
log "finished in $(( $(date +%s) - START ))s"
if [ ${#failed_steps[@]} -gt 0 ] || [ "$summary" -ne 0 ]; then
  echo "failed steps: ${failed_steps[*]:-none} (summary exit $summary)" >&2
  exit 1
fi
