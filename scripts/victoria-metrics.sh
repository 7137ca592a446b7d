#!/usr/bin/env bash
# VictoriaMetrics for the demo and the tests: Debian's `victoria-metrics`, on loopback only.
#
#   scripts/victoria-metrics.sh install                         apt-get install it when missing (root needed)
#   scripts/victoria-metrics.sh start [--port P] [--data DIR]   start it (or reuse the one listening on P);
#                                                               prints its URL on stdout
#   scripts/victoria-metrics.sh load-demo [--url URL] [--scenario demo|ignore-destination-rule]
#                                                               load the demo mesh's Istio metrics (24h back,
#                                                               24h ahead, one sample a minute); replaces any
#                                                               istio_request* series already there
#   scripts/victoria-metrics.sh stop [--data DIR]               stop the one this script started
#   scripts/victoria-metrics.sh status [--port P]               exit 0 when it answers on P
#
# Defaults: port 8428 (the demo ServiceMesh resources' prometheusURL is http://127.0.0.1:8428), data in
# .victoria-metrics/ at the repository root. Logs go to stderr; `start` prints only the URL on stdout.
source "$(dirname "$0")/lib.sh"
log() { printf '\033[1m[%s] %s\033[0m\n' "$(date +%H:%M:%S)" "$*" >&2; }

PORT=8428
DATA="$ROOT/.victoria-metrics"
URL=""
SCENARIO=demo
CMD="${1:-}"; shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --url) URL="$2"; shift 2 ;;
    --scenario) SCENARIO="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
URL="${URL:-http://127.0.0.1:$PORT}"
PID_FILE="$DATA/victoria-metrics.pid"

vm_binary() {
  if [ -n "${VICTORIA_METRICS_BIN:-}" ]; then echo "$VICTORIA_METRICS_BIN"; return; fi
  command -v victoria-metrics 2>/dev/null || { [ -x /usr/bin/victoria-metrics ] && echo /usr/bin/victoria-metrics; } || true
}

# True when a VictoriaMetrics answers at $1 (its /health says OK and it serves the query API).
is_vm() {
  [ "$(curl -s -m 2 "$1/health" 2>/dev/null)" = "OK" ] &&
    curl -s -m 2 "$1/api/v1/query?query=1" 2>/dev/null | grep -q '"status":"success"'
}

install_vm() {
  [ -n "$(vm_binary)" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "victoria-metrics is not installed and cannot be installed here (needs root and apt-get)"
    return 1
  fi
  log "installing Debian's victoria-metrics"
  apt_install victoria-metrics
  # The package enables a system service on :8428; this script runs its own instance instead.
  if command -v systemctl >/dev/null && systemctl is-active --quiet victoria-metrics 2>/dev/null; then
    systemctl stop victoria-metrics >/dev/null 2>&1 || true
  fi
  [ -n "$(vm_binary)" ]
}

start_vm() {
  if is_vm "http://127.0.0.1:$PORT"; then
    log "VictoriaMetrics already listens on 127.0.0.1:$PORT: reusing it"
    echo "http://127.0.0.1:$PORT"; return 0
  fi
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:$PORT" 2>/dev/null; then
    log "port $PORT is taken by something that is not VictoriaMetrics: use --port"
    return 1
  fi
  install_vm || return 1
  local bin; bin="$(vm_binary)"
  mkdir -p "$DATA/data"
  log "starting VictoriaMetrics on 127.0.0.1:$PORT (data: $DATA)"
  # Loopback only. latencyOffset=0 and no response cache: imported samples are queryable at once.
  nohup "$bin" -httpListenAddr="127.0.0.1:$PORT" -storageDataPath="$DATA/data" -retentionPeriod=3d \
    -search.latencyOffset=0s -search.disableCache -loggerLevel=WARN -memory.allowedPercent=20 \
    >"$DATA/victoria-metrics.log" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 300); do  # up to 60 s: generous for a loaded machine
    is_vm "http://127.0.0.1:$PORT" && { echo "http://127.0.0.1:$PORT"; return 0; }
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break
    sleep 0.2
  done
  log "VictoriaMetrics did not start:"; tail -20 "$DATA/victoria-metrics.log" >&2 || true
  return 1
}

load_demo() {
  is_vm "$URL" || { log "no VictoriaMetrics at $URL (run: $0 start)"; return 1; }
  log "loading the demo mesh's traffic ($SCENARIO) into $URL"
  # Replaces earlier loads: two loads' counters interleaved would read as counter resets.
  curl -s -m 30 -o /dev/null -X POST "$URL/api/v1/admin/tsdb/delete_series" \
    --data-urlencode 'match[]={__name__=~"istio_request.*"}' || true
  (cd "$ROOT" && node --require "$ROOT/node_modules/@backstage/cli/config/nodeTransform.cjs" \
    plugins/service-mesh-backend/dev/loadDemoTraffic.ts --url "$URL" --scenario "$SCENARIO") >&2
}

stop_vm() {
  [ -f "$PID_FILE" ] || { log "no VictoriaMetrics started by this script ($PID_FILE missing)"; return 0; }
  local pid; pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping VictoriaMetrics (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
}

case "$CMD" in
  install) install_vm ;;
  start) start_vm ;;
  load-demo) load_demo ;;
  stop) stop_vm ;;
  status) is_vm "$URL" ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
