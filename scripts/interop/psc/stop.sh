#!/usr/bin/env bash
# Stops the provider start.sh started under STATE_DIR (the pid it recorded, if it is still
# provider.mjs), nothing else.
#
#   scripts/interop/psc/stop.sh STATE_DIR [--wipe]      (--wipe also deletes STATE_DIR)
set -uo pipefail

STATE=${1:-${PSC_STATE:-}}
log() { echo "[psc-stop] $*" >&2; }
[ -n "$STATE" ] || { log "usage: $0 STATE_DIR [--wipe]"; exit 2; }

alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

if [ -f "$STATE/provider.pid" ]; then
  pid=$(cat "$STATE/provider.pid")
  if [ -n "$pid" ] && alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF provider.mjs; then
    kill -TERM "$pid"
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
    if alive "$pid"; then log "pid $pid did not exit, killing it"; kill -KILL "$pid" 2>/dev/null; fi
    log "stopped the provider (pid $pid)"
  fi
  rm -f "$STATE/provider.pid"
fi

if [ "${2:-}" = "--wipe" ]; then
  case "$STATE" in /|"") log "refusing to wipe '$STATE'" ;; *) rm -rf "$STATE"; log "wiped $STATE" ;; esac
fi
exit 0
