#!/usr/bin/env bash
# Installs each MSI silently as IT departments do (installer/windows/README.md), checks where the
# app and its start-menu shortcut went, runs the installed executables, then uninstalls and checks
# that nothing of the install is left. Windows only (Git Bash on the CI runner, which is an
# administrator, so that the per-machine package can be tried too).
#
#   installer/windows/check-msi.sh dist/*.msi
set -euo pipefail

fail() {
    echo "check-msi.sh: $*" >&2
    exit 1
}

# Git Bash would take msiexec's /options for paths and rewrite them.
msiexec_quiet() {
    local code=0
    MSYS2_ARG_CONV_EXCL='*' msiexec.exe "$@" || code=$?
    # 3010: done, a reboot is asked for (never by this package, but it is a success).
    [[ $code == 0 || $code == 3010 ]] || return "$code"
}

(($#)) || fail "usage: $0 FILE.msi..."
for msi in "$@"; do
    case $msi in
        *-per-user.msi)
            folder="$(cygpath -u "$LOCALAPPDATA")/Programs/MonSisra bureau"
            shortcut="$(cygpath -u "$APPDATA")/Microsoft/Windows/Start Menu/Programs/MonSisra bureau.lnk"
            ;;
        *-per-machine.msi)
            folder="$(cygpath -u "$PROGRAMFILES")/MonSisra bureau"
            shortcut="$(cygpath -u "$PROGRAMDATA")/Microsoft/Windows/Start Menu/Programs/MonSisra bureau.lnk"
            ;;
        *) fail "$msi: neither -per-user.msi nor -per-machine.msi" ;;
    esac
    log=$(mktemp --suffix=.log)
    msiexec_quiet /i "$(cygpath -w "$msi")" /qn /l*v "$(cygpath -w "$log")" \
        || { cat "$log"; fail "$msi: installation failed"; }
    [[ -f $folder/monsisra.exe && -f $folder/monsisra-cli.exe ]] || fail "$msi: nothing installed in $folder"
    [[ -f $shortcut ]] || fail "$msi: no start-menu shortcut at $shortcut"
    "$folder/monsisra-cli.exe" --version
    "$folder/monsisra.exe" --version
    msiexec_quiet /x "$(cygpath -w "$msi")" /qn /l*v "$(cygpath -w "$log")" \
        || { cat "$log"; fail "$msi: uninstallation failed"; }
    [[ ! -e $folder ]] || fail "$msi: $folder is still there after uninstallation"
    [[ ! -e $shortcut ]] || fail "$msi: $shortcut is still there after uninstallation"
    echo "check-msi.sh: $msi installs, runs and uninstalls cleanly"
done
