# Shared helpers for the project's scripts. Every step is idempotent: a second run skips what is in place.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"
export PATH="$TOOLCHAIN/node_modules/.bin:$PATH"
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=6144"
# Debian's kubectl, extracted next to the toolchain (the image may carry another kubectl on PATH).
export KUBECTL="$TOOLCHAIN/kubectl/usr/bin/kubectl"

log() { printf '\033[1m[%s] %s\033[0m\n' "$(date +%H:%M:%S)" "$*"; }

# Node 24 and the yarn launcher from the npm registry (the repo pins Yarn 4 in .yarn/releases).
ensure_node() {
  if [ -x "$TOOLCHAIN/node_modules/.bin/node" ] && "$TOOLCHAIN/node_modules/.bin/node" --version | grep -q '^v24\.' \
     && [ -x "$TOOLCHAIN/node_modules/.bin/yarn" ]; then
    return
  fi
  log "installing Node 24 and yarn into .toolchain"
  npm install --prefix "$TOOLCHAIN" --no-audit --no-fund --loglevel=error node@24 yarn@1
}

# Workspace dependencies; skipped when node_modules is newer than the lockfile and every package.json.
ensure_deps() {
  local state="$ROOT/node_modules/.yarn-state.yml"
  if [ -f "$state" ] && [ -z "$(find "$ROOT/yarn.lock" "$ROOT/package.json" "$ROOT"/packages/*/package.json "$ROOT"/plugins/*/package.json -newer "$state" 2>/dev/null)" ]; then
    return
  fi
  log "installing workspace dependencies (yarn install)"
  (cd "$ROOT" && if [ -n "${CI:-}" ]; then yarn install --immutable; else yarn install; fi)
  touch "$state"
}

apt_ready=""
apt_install() {
  # $@: Debian packages; installs only the missing ones.
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$apt_ready" ]; then apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_kubectl() {
  [ -x "$KUBECTL" ] && return
  log "extracting Debian's kubectl (kubernetes-client) into .toolchain/kubectl"
  if [ -z "$apt_ready" ]; then apt-get update -qq; apt_ready=1; fi
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download -qq kubernetes-client 2>/dev/null && dpkg -x kubernetes-client_*.deb "$TOOLCHAIN/kubectl")
  rm -rf "$tmp"
  "$KUBECTL" version --client >/dev/null
}

ensure_chromium() {
  apt_install chromium fonts-dejavu-core
}

# Waits until URL answers (any HTTP status), up to $2 seconds.
wait_for_url() {
  local url="$1" limit="${2:-180}" i=0
  until curl -s -o /dev/null "$url"; do
    i=$((i + 1)); [ "$i" -ge "$limit" ] && { echo "timed out waiting for $url" >&2; return 1; }
    sleep 1
  done
}
