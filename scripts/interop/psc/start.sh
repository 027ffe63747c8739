#!/usr/bin/env bash
# A private, loopback-only OpenID provider dressed as Pro Santé Connect (provider.mjs: npm
# oidc-provider 9, pinned by package-lock.json) for the interop tests (issue 15 §3).
#
#   scripts/interop/psc/start.sh STATE_DIR
#
# Installs the pinned packages with `npm ci` into node_modules here when they are missing or older
# than package-lock.json (needs the npm registry once; later starts are offline), starts the provider
# on a free port of 127.0.0.1 (PSC_PORT to choose one), waits until its discovery answers, and prints
# KEY=VALUE lines on stdout: ISSUER, DISCOVERY_URL (PSC's non-standard path), TEST_URL (the phone's
# test hooks), CLIENT_ID, CLIENT_SECRET, PORT, PID, PSC_STATE. The environment variables of
# provider.mjs pass through (PSC_CLIENT_ID, PSC_CLIENT_SECRET — a random one when unset —,
# PSC_REDIRECT_URIS, PSC_USERINFO_SIGNED, PSC_AUTHORIZE_HOST, PSC_CIBA_TTL).
# `stop.sh STATE_DIR` stops it. Exit code 3: cannot run here (node or npm missing, or a Node older
# than 20.18); any other failure: 1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${1:-${PSC_STATE:-}}
log() { echo "[psc-start] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cannot() { log "$*"; exit 3; }

[ -n "$STATE" ] || die "usage: $0 STATE_DIR"
case "$STATE" in /*) ;; *) STATE=$(pwd)/$STATE ;; esac

# ---------------------------------------------------------------- 1. node, npm, packages
command -v node >/dev/null || cannot "node is missing: Node.js 20.18 or later with npm is needed (as root, scripts/system-deps.sh interop installs it)"
command -v npm >/dev/null || cannot "npm is missing: Node.js 20.18 or later with npm is needed (as root, scripts/system-deps.sh interop installs it)"
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 18) ? 0 : 1)' \
  || cannot "Node $(node --version) is too old for oidc-provider 9 (it needs 20.18 or later)"

# One install at a time (parallel test runs), and only when package-lock.json changed.
stamp="$HERE/node_modules/.monsisra-lock-sha256"
want=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
exec 9>"$HERE/.npm-ci.lock"
flock 9
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  log "npm ci (oidc-provider, from package-lock.json) ..."
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed"
  echo "$want" > "$stamp"
fi
flock -u 9

# ---------------------------------------------------------------- 2. start and wait
if [ -f "$STATE/provider.pid" ] && kill -0 "$(cat "$STATE/provider.pid")" 2>/dev/null; then
  die "already running under $STATE (pid $(cat "$STATE/provider.pid")); run stop.sh first"
fi
mkdir -p "$STATE"
rm -f "$STATE/ready"
export PSC_STATE="$STATE"
export PSC_CLIENT_SECRET=${PSC_CLIENT_SECRET:-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')}
cd "$HERE"
setsid node "$HERE/provider.mjs" >"$STATE/provider.log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$STATE/provider.pid"

for _ in $(seq 300); do   # up to 30 s
  [ -f "$STATE/ready" ] && break
  kill -0 "$pid" 2>/dev/null || die "the provider exited:
$(tail -n 30 "$STATE/provider.log")"
  sleep 0.1
done
[ -f "$STATE/ready" ] || die "the provider did not get ready in 30 s:
$(tail -n 30 "$STATE/provider.log")"

discovery=$(sed -n 's/^DISCOVERY_URL=//p' "$STATE/ready")
python3 - "$discovery" <<'PY' || die "discovery did not answer at $discovery"
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    assert "issuer" in json.load(r)
PY

cat "$STATE/ready"
echo "CLIENT_SECRET=$PSC_CLIENT_SECRET"
echo "PSC_STATE=$STATE"
log "ready: $(sed -n 's/^ISSUER=//p' "$STATE/ready")"
