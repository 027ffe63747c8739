#!/usr/bin/env bash
# Checks the Debian packages a target needs and installs the missing ones.
# As root it runs apt-get; otherwise it stops and prints the exact line to run.
# Usage: scripts/system-deps.sh venv|qt|demo|test|screenshots|package|interop
set -euo pipefail

# `python3 -m venv` (Debian splits ensurepip out of python3: without it the venv has no pip).
VENV="python3-venv"

# Qt's runtime libraries for offscreen tests, and fonts (without them text renders as empty boxes).
QT_RUNTIME="libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 fonts-dejavu-core"
# A real window under Xvfb (screenshots, xcb platform).
XVFB="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0 libxcb-glx0 \
libxcb-util1 libxkbcommon-x11-0 libx11-xcb1"
# A desktop session bus for the tests that check what the app says on D-Bus (dbus-run-session).
DBUS="dbus-daemon"
# Issue 13 §2: the teleconsultation room's test runs two headless Chromiums (fake camera) in a
# network namespace of loopback only (unshare, from util-linux; `ip` brings loopback up).
BROWSER="chromium iproute2"
# Issue 17 §3: the clock tests jump the wall clock of a running child (libfaketime's LD_PRELOAD
# library, its timestamp file re-read at each call; the monotonic clock left alone).
CLOCK="faketime"
# Building and checking the installed app: strip/objdump, the .deb and its checks, the MSI
# tables (msitools, wixl), the installer scripts, a clean chroot, driving the installed window;
# and the libraries the bundle links to without shipping them (Qt's Wayland plugins), which the
# .deb's Depends is computed from (installer/linux/build-deb.sh maps each to its package).
PACKAGE="binutils dpkg-dev fakeroot desktop-file-utils appstream msitools wixl shellcheck \
debootstrap xdotool file lintian libwayland-client0 libwayland-cursor0 libwayland-egl1"

# Issue 15 §3: the interop tests' OpenID provider (scripts/interop/psc) is npm's oidc-provider 9,
# which calls crypto.hash and URL.parse (Node.js 20.18 or later; it asks for 22 LTS and warns on
# 20). Debian 12's nodejs is 18: where node/npm are missing or older, as root this adds NodeSource's
# apt repository for Node.js 22 (its nodejs package carries npm). Cyrus installs itself (start.sh).
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=18
NODE_SOURCE_MAJOR=22
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
  node -e "const [a, b] = process.versions.node.split('.').map(Number);
    process.exit(a > $NODE_MIN_MAJOR || (a === $NODE_MIN_MAJOR && b >= $NODE_MIN_MINOR) ? 0 : 1)"
}
node_setup() {  # NodeSource's documented manual set-up (deb.nodesource.com), then nodejs
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y --no-install-recommends ca-certificates curl gnupg
  install -d -m 755 /etc/apt/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key \
    | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
  echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_$NODE_SOURCE_MAJOR.x nodistro main" \
    > /etc/apt/sources.list.d/nodesource.list
  apt-get update -qq
  apt-get install -y --no-install-recommends nodejs
}
check_node() {
  node_ok && return 0
  if [ "$(id -u)" -eq 0 ] && command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: installing Node.js $NODE_SOURCE_MAJOR (NodeSource) for the interop tests' OpenID provider"
    node_setup
    node_ok && return 0
  fi
  echo "system-deps: the interop tests need Node.js $NODE_MIN_MAJOR.$NODE_MIN_MINOR or later with npm" \
    "(found: $(node --version 2>/dev/null || echo none)). As root, scripts/system-deps.sh interop" \
    "installs Node.js $NODE_SOURCE_MAJOR from NodeSource." >&2
  return 1
}

# Qt's own tools (pyside6-lrelease compiles the translations) need QT_RUNTIME; the demo's window
# needs the xcb libraries on a desktop, and Xvfb without one (scripts/demo.py).
case "${1:-test}" in
  venv) wanted="$VENV" ;;
  qt) wanted="$QT_RUNTIME" ;;
  demo) wanted="$VENV $QT_RUNTIME $XVFB" ;;
  test|screenshots) wanted="$VENV $QT_RUNTIME $XVFB $DBUS $BROWSER $CLOCK" ;;
  package) wanted="$VENV $QT_RUNTIME $XVFB $DBUS $BROWSER $CLOCK $PACKAGE" ;;
  interop) wanted="" ;;
  *) echo "usage: $0 venv|qt|demo|test|screenshots|package|interop" >&2; exit 2 ;;
esac
case "${1:-test}" in test|interop) check_node || exit 1 ;; esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; install Qt's runtime libraries, Xvfb and fonts yourself." >&2
  exit 0
fi

missing=()
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $line
else
  echo "system-deps: missing Debian packages. Run as root:" >&2
  echo "  sudo $line" >&2
  exit 1
fi
