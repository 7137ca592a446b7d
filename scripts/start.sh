#!/usr/bin/env bash
# Starts the demo: the Kubernetes API simulator with the demo mesh, then Backstage (frontend :3000, backend :7007).
# Usage: yarn start   (or ./scripts/start.sh on a fresh machine: it installs Node 24, yarn and dependencies)
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps

SIM_CONFIG="$ROOT/app-config.kube-sim.local.yaml"
SIM_KUBECONFIG="$ROOT/kubeconfig.kube-sim.local.yaml"
SIM_LOG="$ROOT/.kube-sim.log"
SIM_ENV="$ROOT/.kube-sim.env.local"
rm -f "$SIM_CONFIG" "$SIM_ENV"
log "starting kube-sim with the demo mesh (packages/kube-sim/scenarios/demo)"
(cd "$ROOT" && exec yarn kube-sim serve --scenario "$ROOT/packages/kube-sim/scenarios/demo" \
  --app-config-out "$SIM_CONFIG" --kubeconfig-out "$SIM_KUBECONFIG" --env-out "$SIM_ENV" >"$SIM_LOG" 2>&1) &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true; "$ROOT/scripts/victoria-metrics.sh" stop >/dev/null 2>&1 || true' EXIT INT TERM
for _ in $(seq 1 180); do grep -q 'kube-sim ready' "$SIM_LOG" 2>/dev/null && break; sleep 1; done
grep -q 'kube-sim ready' "$SIM_LOG" || { cat "$SIM_LOG"; echo "kube-sim did not start" >&2; exit 1; }
# The fake cloud's endpoints and demo credentials (cluster3 is read with the aws provider: EKS tokens).
# shellcheck disable=SC1090
source "$SIM_ENV"
log "demo clusters ready; kubeconfig: $SIM_KUBECONFIG (try: kubectl --kubeconfig $SIM_KUBECONFIG --context cluster1 get pods -A)"

# Live traffic: VictoriaMetrics on loopback with the demo mesh's Istio metrics, where it can be installed.
if VM_URL="$("$ROOT/scripts/victoria-metrics.sh" start)" && "$ROOT/scripts/victoria-metrics.sh" load-demo --url "$VM_URL"; then
  export APP_CONFIG_serviceMesh_metrics_url="$VM_URL"
  log "live traffic: VictoriaMetrics at $VM_URL"
else
  log "VictoriaMetrics unavailable: the traffic panels will show 'No live data'"
fi

cd "$ROOT"
yarn backstage-cli repo start --config "$ROOT/app-config.yaml" --config "$SIM_CONFIG" "$@"
