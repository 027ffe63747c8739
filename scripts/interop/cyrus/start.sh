#!/usr/bin/env bash
# A private, loopback-only Cyrus IMAP 3.6 (Debian 12 "cyrus-imapd" + "cyrus-caldav") with JMAP, for
# the interop tests and the interop benchmark. Everything (config, spool, databases, sasldb, logs)
# lives under the state folder the caller gives; nothing listens beyond 127.0.0.1.
#
#   scripts/interop/cyrus/start.sh STATE_DIR
#
# As root on Debian it installs the missing packages (apt-get, quiet, non-interactive) and keeps the
# packaged system service from starting. It creates the users alice@example.com / alicepass and
# bob@example.com / bobpass (HTTP Basic, IMAP LOGIN), waits until JMAP answers for each, and prints
# KEY=VALUE lines on stdout (JMAP_SESSION_URL, IMAP_PORT, LMTP_PORT, …). Ports are free ones picked
# here unless CYRUS_HTTP_PORT / CYRUS_IMAP_PORT / CYRUS_LMTP_PORT / CYRUS_SMTP_PORT are set.
# `stop.sh STATE_DIR` stops exactly the processes this started. Exit code 3: cannot run here
# (not Debian, or packages missing and not root); any other failure: 1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${1:-${CYRUS_STATE:-}}
DOMAIN=example.com
USERS="alice:alicepass bob:bobpass"   # login is <name>@$DOMAIN
ADMIN_PW=cyrus-admin-pass             # admin login "cyrus" (loopback-only test instance)
CYRBIN=/usr/lib/cyrus/bin
BIND=127.0.0.1
PACKAGES="cyrus-imapd cyrus-caldav sasl2-bin curl"
export PATH="$PATH:/usr/sbin:/sbin"

log() { echo "[cyrus-start] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cannot() { log "$*"; exit 3; }

[ -n "$STATE" ] || die "usage: $0 STATE_DIR"
case "$STATE" in /*) ;; *) STATE=$(pwd)/$STATE ;; esac

# ---------------------------------------------------------------- 1. install (Debian, as root)
apt_install() {  # quiet, non-interactive; the packaged service must not start on *:143 etc.
  local guard=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; guard=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  local status=$?
  [ $guard = 1 ] && rm -f /usr/sbin/policy-rc.d
  return $status
}
debian_root() { command -v apt-get >/dev/null && [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ]; }
if [ ! -x $CYRBIN/httpd ] || [ ! -x $CYRBIN/master ] || ! command -v saslpasswd2 >/dev/null \
   || ! command -v curl >/dev/null; then
  command -v apt-get >/dev/null && [ -f /etc/debian_version ] \
    || cannot "not a Debian system: install Cyrus IMAP 3.6 with JMAP (cyrus-imapd, cyrus-caldav) yourself"
  [ "$(id -u)" = 0 ] || cannot "Cyrus is not installed and this is not root; run: sudo apt-get install $PACKAGES eatmydata"
  log "installing $PACKAGES eatmydata ..."
  apt_install $PACKAGES eatmydata || die "apt-get install failed"
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now cyrus-imapd >/dev/null 2>&1 || true
  fi
elif ! command -v eatmydata >/dev/null && debian_root; then
  apt_install eatmydata || log "eatmydata not installed: deliveries will be slower"
fi
command -v python3 >/dev/null || die "python3 is needed for the SMTP relay"

# ---------------------------------------------------------------- 2. ports and state
if [ -f "$STATE/run/master.pid" ] && kill -0 "$(cat "$STATE/run/master.pid")" 2>/dev/null; then
  die "already running under $STATE (pid $(cat "$STATE/run/master.pid")); run stop.sh first"
fi
# Four distinct free ports (held open together while the system picks them).
read -r P1 P2 P3 P4 < <(python3 -c '
import socket
held = [socket.socket() for _ in range(4)]
for s in held:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))')
HTTP_PORT=${CYRUS_HTTP_PORT:-$P1}
IMAP_PORT=${CYRUS_IMAP_PORT:-$P2}
LMTP_PORT=${CYRUS_LMTP_PORT:-$P3}
SMTP_PORT=${CYRUS_SMTP_PORT:-$P4}
for p in $HTTP_PORT $IMAP_PORT $LMTP_PORT $SMTP_PORT; do
  if (exec 3<>/dev/tcp/$BIND/$p) 2>/dev/null; then die "port $BIND:$p already in use"; fi
done
if [ "$(id -u)" = 0 ]; then RUNUSER=cyrus; RUNGROUP=mail; else RUNUSER=$(id -un); RUNGROUP=$(id -gn); fi

mkdir -p "$STATE"/{conf,spool,search,sieve,run/socket,run/proc,run/lock,log}
CONF=$STATE/imapd.conf
sed -e "s|@STATE@|$STATE|g" -e "s|@RUNUSER@|$RUNUSER|g" -e "s|@RUNGROUP@|$RUNGROUP|g" \
    -e "s|@DOMAIN@|$DOMAIN|g" -e "s|@SMTP@|$BIND:$SMTP_PORT|g" "$HERE/imapd.conf.in" > "$CONF"
sed -e "s|@CONF@|$CONF|g" -e "s|@STATE@|$STATE|g" -e "s|@HTTP@|$BIND:$HTTP_PORT|g" \
    -e "s|@IMAP@|$BIND:$IMAP_PORT|g" -e "s|@LMTP@|$BIND:$LMTP_PORT|g" \
    "$HERE/cyrus.conf.in" > "$STATE/cyrus.conf"

# ---------------------------------------------------------------- 3. users (a private sasldb)
echo -n "$ADMIN_PW" | saslpasswd2 -p -c -f "$STATE/sasldb2" -u localhost cyrus
for up in $USERS; do
  echo -n "${up#*:}" | saslpasswd2 -p -c -f "$STATE/sasldb2" -u "$DOMAIN" "${up%%:*}"
done
[ "$(id -u)" = 0 ] && chown -R "$RUNUSER:$RUNGROUP" "$STATE"
chmod 750 "$STATE"
if [ "$(id -u)" = 0 ] && ! runuser -u "$RUNUSER" -- test -w "$STATE/conf"; then
  die "user $RUNUSER cannot reach $STATE (a parent folder is not world-traversable)"
fi

# ---------------------------------------------------------------- 4. optional syslog sink (debugging)
if [ "${CYRUS_SYSLOG_SINK:-0}" = 1 ] && [ ! -e /dev/log ] && [ "$(id -u)" = 0 ]; then
  nohup python3 "$HERE/syslog-sink.py" /dev/log "$STATE/log/syslog.log" >/dev/null 2>&1 &
  echo $! > "$STATE/run/syslog-sink.pid"
  for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.05; done
fi

# ---------------------------------------------------------------- 5. start
t0=$(date +%s.%N)
trap 'log "startup failed, stopping what was started"; "$HERE/stop.sh" "$STATE" >&2 || true' ERR
# A throw-away test instance: eatmydata turns fsync off (deliveries are I/O bound without it).
PREFIX=""
command -v eatmydata >/dev/null && PREFIX=eatmydata
$PREFIX $CYRBIN/master -C "$CONF" -M "$STATE/cyrus.conf" -p "$STATE/run/master.pid" -d -L "$STATE/log/master.log"
nohup python3 "$HERE/smtp-relay.py" --listen "$BIND:$SMTP_PORT" --lmtp "$BIND:$LMTP_PORT" \
    --local-domains "$DOMAIN" --outbox "$STATE/outbox.jsonl" >"$STATE/log/smtp-relay.log" 2>&1 &
echo $! > "$STATE/run/smtp-relay.pid"
up=0
for _ in $(seq 200); do
  if [ -f "$STATE/run/master.pid" ] && (exec 3<>/dev/tcp/$BIND/$HTTP_PORT) 2>/dev/null \
     && (exec 3<>/dev/tcp/$BIND/$IMAP_PORT) 2>/dev/null && (exec 3<>/dev/tcp/$BIND/$LMTP_PORT) 2>/dev/null \
     && (exec 3<>/dev/tcp/$BIND/$SMTP_PORT) 2>/dev/null; then up=1; break; fi
  sleep 0.05
done
[ $up = 1 ] || { log "services did not come up; master log:"; tail -20 "$STATE/log/master.log" >&2 || true; false; }

# The first IMAP login creates INBOX and the special-use folders (a JMAP login does not).
for up in $USERS; do
  curl -sS --max-time 20 "imap://$BIND:$IMAP_PORT/" -u "${up%%:*}@$DOMAIN:${up#*:}" >/dev/null \
    || { log "IMAP login for ${up%%:*}@$DOMAIN failed (CYRUS_SYSLOG_SINK=1 shows why)"; false; }
done
for up in $USERS; do
  ok=0
  for _ in $(seq 100); do
    if curl -sf -L --max-time 5 -u "${up%%:*}@$DOMAIN:${up#*:}" \
         "http://$BIND:$HTTP_PORT/.well-known/jmap" 2>/dev/null | grep -q '"apiUrl"'; then ok=1; break; fi
    sleep 0.1
  done
  [ $ok = 1 ] || { log "JMAP did not answer for ${up%%:*}@$DOMAIN"; false; }
done
trap - ERR
log "up in $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N)-$t0}") s under $STATE"

cat <<OUT
CYRUS_STATE=$STATE
SERVER_URL=http://$BIND:$HTTP_PORT
JMAP_SESSION_URL=http://$BIND:$HTTP_PORT/.well-known/jmap
HTTP_PORT=$HTTP_PORT
IMAP_PORT=$IMAP_PORT
LMTP_PORT=$LMTP_PORT
SMTP_PORT=$SMTP_PORT
SMTP_OUTBOX=$STATE/outbox.jsonl
USERS=$(for up in $USERS; do printf '%s@%s:%s,' "${up%%:*}" "$DOMAIN" "${up#*:}"; done | sed 's/,$//')
OUT
