#!/usr/bin/env bash
# Stops what start.sh started under STATE_DIR: the processes whose ids it recorded (Cyrus's master,
# the SMTP relay, the optional syslog sink) and the master's own children, nothing else.
#
#   scripts/interop/cyrus/stop.sh STATE_DIR [--wipe]      (--wipe also deletes STATE_DIR)
set -uo pipefail

STATE=${1:-${CYRUS_STATE:-}}
log() { echo "[cyrus-stop] $*" >&2; }
[ -n "$STATE" ] || { log "usage: $0 STATE_DIR [--wipe]"; exit 2; }

# A process that has exited but waits to be reaped (a zombie) counts as gone.
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# pid is alive and its command line mentions `want` (a recycled pid is left alone)
ours() { [ -n "$1" ] && alive "$1" && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$2"; }

children_of() {  # every descendant of pid $1 (one pass over the process table)
  ps -e -o pid= -o ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      for (i = 1; i <= NR; i++) {
        p = pids[i]; q = parent[p]; depth = 0
        while (q != "" && q != 0 && q != root && depth < 64) { q = parent[q]; depth++ }
        if (q == root) print p
      }
    }'
}

wait_gone() {
  local pid=$1
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.05; done
  return 1
}

stop_pidfile() {  # stop_pidfile FILE WANT
  local file=$1 want=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if ours "$pid" "$want"; then
    kill -TERM "$pid"
    wait_gone "$pid" || { log "pid $pid did not exit, killing it"; kill -KILL "$pid" 2>/dev/null; }
    log "stopped $want (pid $pid)"
  fi
  rm -f "$file"
}

stop_pidfile "$STATE/run/smtp-relay.pid" "smtp-relay.py"

CONF="$STATE/imapd.conf"
if [ -f "$STATE/run/master.pid" ]; then
  master=$(cat "$STATE/run/master.pid")
  if ours "$master" "$CONF"; then
    children=$(children_of "$master")
    stop_pidfile "$STATE/run/master.pid" "$CONF"   # the master stops its children itself
    for pid in $children; do
      if ours "$pid" "$CONF"; then
        log "child $pid still there, stopping it"
        kill -TERM "$pid" 2>/dev/null
        wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null
      fi
    done
  else
    rm -f "$STATE/run/master.pid"
  fi
fi

if [ -f "$STATE/run/syslog-sink.pid" ]; then
  stop_pidfile "$STATE/run/syslog-sink.pid" "syslog-sink.py"
  [ -S /dev/log ] && rm -f /dev/log
fi

if [ "${2:-}" = "--wipe" ]; then
  case "$STATE" in /|"") log "refusing to wipe '$STATE'" ;; *) rm -rf "$STATE"; log "wiped $STATE" ;; esac
fi
exit 0
