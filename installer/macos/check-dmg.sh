#!/usr/bin/env bash
# Checks the disk image as a user gets it: mounted read-only, the app and the /Applications link
# inside, and both executables of the app starting from the image and giving the version of the
# app's Info.plist (a frozen app that cannot find its files fails here, not on a user's Mac).
#
#   installer/macos/check-dmg.sh FILE.dmg
set -euo pipefail

fail() {
    echo "check-dmg.sh: $*" >&2
    exit 1
}

[[ $# == 1 && -f $1 ]] || fail "usage: $0 FILE.dmg"
dmg=$1
mountpoint=$(mktemp -d)
hdiutil attach -nobrowse -readonly -mountpoint "$mountpoint" "$dmg" >/dev/null
trap 'hdiutil detach "$mountpoint" >/dev/null || hdiutil detach -force "$mountpoint" >/dev/null' EXIT

[[ $(readlink "$mountpoint/Applications") == /Applications ]] || fail "no /Applications link in $dmg"
shopt -s nullglob
apps=("$mountpoint"/*.app)
((${#apps[@]} == 1)) || fail "expected one .app in $dmg, found ${#apps[@]}"
app=${apps[0]}
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
bundle_id=$(/usr/libexec/PlistBuddy -c "Print :CFBundleIdentifier" "$app/Contents/Info.plist")
[[ $bundle_id == fr.sante_ara.MonSisraBureau ]] || fail "bundle id $bundle_id, expected fr.sante_ara.MonSisraBureau"

for exe in monsisra monsisra-cli; do
    said=$("$app/Contents/MacOS/$exe" --version)
    [[ $said == *"$version"* ]] || fail "$exe --version said '$said', expected version $version"
    echo "check-dmg.sh: $exe --version: $said"
done
