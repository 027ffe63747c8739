#!/usr/bin/env bash
# Puts the MonSisra bureau .app that PyInstaller's BUNDLE made into a compressed disk image, beside
# a link to /Applications: the user drags the app onto the link. The app keeps no data inside
# itself (it is in ~/Library/Application Support/MonSisra), so replacing it keeps everything.
#
#   installer/macos/make-dmg.sh [--app PATH] [--out DIR]
#
# --app defaults to the one .app in dist/; --out to dist/. Writes
# OUT/monsisra-bureau-VERSION-macos-ARCH.dmg (VERSION from the app's Info.plist, ARCH of this Mac)
# and prints its path on the last line. Sign the app before (sign-and-notarize.sh app), and the
# image after (sign-and-notarize.sh dmg). macOS only (hdiutil, ditto, PlistBuddy).
set -euo pipefail

app=
out=dist
while (($#)); do
    case $1 in
        --app) app=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "make-dmg.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

fail() {
    echo "make-dmg.sh: $*" >&2
    exit 1
}

if [[ -z $app ]]; then
    shopt -s nullglob
    apps=(dist/*.app)
    ((${#apps[@]} == 1)) || fail "expected one .app in dist/, found ${#apps[@]}: build it first (pyinstaller build.spec) or pass --app"
    app=${apps[0]}
fi
[[ -d $app/Contents/MacOS ]] || fail "$app is not an application bundle"

version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg=$out/monsisra-bureau-$version-macos-$(uname -m).dmg
mkdir -p "$out"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps what cp may lose in a bundle: symbolic links, extended attributes, signatures.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"

hdiutil create -volname "MonSisra bureau" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "$dmg"
