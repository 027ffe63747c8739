#!/usr/bin/env bash
# Builds the two Windows Installer packages of MonSisra bureau, per user and per machine, from the
# PyInstaller folder and ONE WiX source (monsisra.wxs). The tools are GNOME msitools (wixl,
# wixl-heat, msibuild): the same on the Windows runner (MSYS2's package) as on Linux, where
# tests/package/test_installers.py compiles the packages from a fake bundle and reads their tables.
# So what CI ships is built by the recipe the tests check.
#
#   installer/windows/build-msi.sh [--bundle DIR] [--icon FILE] [--out DIR]
#
# Defaults: dist/monsisra-bureau (monsisra.exe, monsisra-cli.exe, _internal/), build/icons/monsisra.ico
# (scripts/icons.py), dist/. Writes OUT/monsisra-bureau-VERSION-x64-per-user.msi and -per-machine.msi;
# the version is pyproject.toml's, which must be three numbers (Windows Installer compares only
# major.minor.build and knows no pre-releases).
#
# Code signing (signtool, Windows only) happens when a certificate is configured, and is otherwise
# skipped with a message: the two executables are signed before they go into the packages, then
# the packages themselves.
#   WINDOWS_SIGN_CERT_SHA1       thumbprint of a certificate in the user's store (hardware token,
#                                cloud HSM, or a PFX imported beforehand), or
#   WINDOWS_SIGN_PFX             a .pfx file, with WINDOWS_SIGN_PFX_PASSWORD;
#   WINDOWS_SIGN_TIMESTAMP_URL   RFC 3161 time-stamping server (default http://timestamp.digicert.com)
#   SIGNTOOL                     signtool.exe, when not on the PATH (else the newest Windows SDK's).
# PYTHON (default python3) reads the version.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bundle=$root/dist/monsisra-bureau
icon=$root/build/icons/monsisra.ico
out=$root/dist

while (($#)); do
    case $1 in
        --bundle) bundle=$2; shift 2 ;;
        --icon) icon=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "build-msi.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

fail() {
    echo "build-msi.sh: $*" >&2
    exit 1
}

# wixl resolves sources relative to the current folder and refuses absolute paths: work from the
# top of the repository with relative paths (which MSYS2 also leaves alone when it calls a native
# program).
mkdir -p "$out"
bundle=$(realpath --relative-to="$root" "$bundle")
icon=$(realpath --relative-to="$root" "$icon")
out=$(realpath --relative-to="$root" "$out")
cd "$root"
# Inside the repository: a relative path from here to MSYS2's /tmp would not lead there for wixl,
# a Windows program.
mkdir -p build
work=$(mktemp -d build/msi.XXXXXX)
trap 'rm -rf "$work"' EXIT

for exe in monsisra.exe monsisra-cli.exe; do
    [[ -f $bundle/$exe ]] || fail "$bundle/$exe is missing: build the bundle first (pyinstaller build.spec)"
done
[[ -f $icon ]] || fail "$icon is missing: run scripts/icons.py --out build/icons first"
# A Windows Installer package holds files only: a link would be left out without a word.
links=$(find "$bundle" -type l)
[[ -z $links ]] || fail "$bundle holds symbolic links, which an MSI cannot install (a bundle built on Windows has none): $links"

version=$("${PYTHON:-python3}" -c '
import re, sys, tomllib
version = tomllib.load(open("pyproject.toml", "rb"))["project"]["version"]
parts = version.split(".")
if not re.fullmatch(r"\d+\.\d+\.\d+", version) or int(parts[0]) > 255 or int(parts[1]) > 255 or int(parts[2]) > 65535:
    sys.exit(f"version {version!r}: a Windows Installer version is three numbers, at most 255.255.65535")
print(version)
')

signtool_path() {
    if [[ -n ${SIGNTOOL:-} ]]; then
        echo "$SIGNTOOL"
    elif command -v signtool.exe >/dev/null; then
        command -v signtool.exe
    else
        # The Windows SDK installs one per version; the glob sorts them, the newest last.
        local found=("/c/Program Files (x86)/Windows Kits/10/bin/"10.*/x64/signtool.exe)
        [[ -f ${found[-1]} ]] || fail "a certificate is configured but signtool.exe was not found (set SIGNTOOL)"
        echo "${found[-1]}"
    fi
}

# Signs FILES... with signtool when a certificate is configured; says so and does nothing otherwise.
sign() {
    local how
    if [[ -n ${WINDOWS_SIGN_CERT_SHA1:-} ]]; then
        how=(/sha1 "$WINDOWS_SIGN_CERT_SHA1")
    elif [[ -n ${WINDOWS_SIGN_PFX:-} ]]; then
        how=(/f "$(cygpath -w "$WINDOWS_SIGN_PFX")" /p "${WINDOWS_SIGN_PFX_PASSWORD:-}")
    else
        echo "build-msi.sh: code signing skipped (no certificate: set WINDOWS_SIGN_CERT_SHA1 or WINDOWS_SIGN_PFX): $*"
        return 0
    fi
    command -v cygpath >/dev/null || fail "code signing needs Windows (signtool): unset the certificate variables here"
    local tool files=() file
    tool=$(signtool_path)
    for file in "$@"; do files+=("$(cygpath -w "$file")"); done
    # MSYS2 would take signtool's /options for paths and rewrite them.
    MSYS2_ARG_CONV_EXCL='*' "$tool" sign /fd SHA256 /td SHA256 \
        /tr "${WINDOWS_SIGN_TIMESTAMP_URL:-http://timestamp.digicert.com}" \
        /d "MonSisra bureau" "${how[@]}" "${files[@]}"
    MSYS2_ARG_CONV_EXCL='*' "$tool" verify /pa "${files[@]}"
}

sign "$bundle/monsisra.exe" "$bundle/monsisra-cli.exe"

# The component list of the bundle, generated from what PyInstaller collected. The two executables
# are declared in monsisra.wxs (the shortcut names its target).
find "$bundle" -type f | LC_ALL=C sort \
    | wixl-heat --prefix "$bundle/" --directory-ref INSTALLDIR --component-group BundleFiles \
        --var var.BundleDir --win64 --exclude monsisra.exe --exclude monsisra-cli.exe \
        >"$work/bundle.wxs"

for scope in perUser perMachine; do
    case $scope in
        perUser) msi=$out/monsisra-bureau-$version-x64-per-user.msi ;;
        perMachine) msi=$out/monsisra-bureau-$version-x64-per-machine.msi ;;
    esac
    wixl --arch x64 --output "$msi" \
        -D Scope="$scope" -D Version="$version" -D BundleDir="$bundle" -D IconFile="$icon" -D Win64=yes \
        "$(realpath --relative-to=. "$here/monsisra.wxs")" "$work/bundle.wxs"
    # The shortcut's AppUserModelID, so that notifications and the taskbar group under the app.
    msibuild "$msi" -i "$(realpath --relative-to=. "$here/MsiShortcutProperty.idt")"
    sign "$msi"
    echo "build-msi.sh: built $(realpath "$msi")"
done
