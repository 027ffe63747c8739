#!/usr/bin/env bash
# Signs MonSisra bureau for macOS and has Apple notarise it, so that Gatekeeper opens it without a
# warning. Each step runs when its credentials are in the environment, and otherwise says that it
# is skipped and why (a build without them is for testing, never for users).
#
#   installer/macos/sign-and-notarize.sh keychain      import the certificate into a temporary keychain
#   installer/macos/sign-and-notarize.sh app APP.app   sign the app (hardened runtime, entitlements.plist)
#   installer/macos/sign-and-notarize.sh dmg FILE.dmg  sign the disk image, notarise it, staple the ticket
#
# Environment (names also in installer/macos/README.md):
#   MACOS_SIGN_IDENTITY            "Developer ID Application: GCS SARA (TEAMID)"
#   MACOS_SIGN_P12_BASE64          that certificate and its key, .p12 in base64 (CI secrets), and
#   MACOS_SIGN_P12_PASSWORD        its password: for `keychain` only
#   MACOS_NOTARY_APPLE_ID          Apple ID, team and app-specific password of the notary service
#   MACOS_NOTARY_TEAM_ID
#   MACOS_NOTARY_PASSWORD
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() {
    echo "sign-and-notarize.sh: $*" >&2
    exit 1
}

skip() {
    echo "sign-and-notarize.sh: $*"
    exit 0
}

import_certificate() {
    [[ -n ${MACOS_SIGN_P12_BASE64:-} ]] || skip "no certificate to import (MACOS_SIGN_P12_BASE64 is not set): signing will be skipped"
    local keychain=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/monsisra-signing.keychain-db
    local keychain_password p12
    keychain_password=$(openssl rand -hex 24)
    p12=$(mktemp)
    # shellcheck disable=SC2064  # the path is fixed now, on purpose
    trap "rm -f '$p12'" EXIT
    base64 --decode <<<"$MACOS_SIGN_P12_BASE64" >"$p12"
    security create-keychain -p "$keychain_password" "$keychain"
    security set-keychain-settings -lut 3600 "$keychain"
    security unlock-keychain -p "$keychain_password" "$keychain"
    security import "$p12" -k "$keychain" -P "${MACOS_SIGN_P12_PASSWORD:-}" -T /usr/bin/codesign
    # codesign may use the key without a dialog (there is nobody to click on a runner).
    security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain" >/dev/null
    local existing=()
    while IFS= read -r line; do
        line=${line#"${line%%[![:space:]]*}"}
        existing+=("${line//\"/}")
    done < <(security list-keychains -d user)
    security list-keychains -d user -s "$keychain" "${existing[@]}"
    echo "sign-and-notarize.sh: certificate imported into $keychain"
}

sign_app() {
    local app=$1
    [[ -d $app/Contents/MacOS ]] || fail "$app is not an application bundle"
    [[ -n ${MACOS_SIGN_IDENTITY:-} ]] || skip "signing skipped (MACOS_SIGN_IDENTITY is not set): $app is not signed, Gatekeeper will refuse it"
    codesign --force --deep --timestamp --options runtime \
        --entitlements "$here/entitlements.plist" --sign "$MACOS_SIGN_IDENTITY" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
    echo "sign-and-notarize.sh: signed $app"
}

notarize_dmg() {
    local dmg=$1
    [[ -f $dmg ]] || fail "$dmg does not exist: run make-dmg.sh first"
    [[ -n ${MACOS_SIGN_IDENTITY:-} ]] || skip "signing and notarisation skipped (MACOS_SIGN_IDENTITY is not set): $dmg is not signed"
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
    codesign --verify --verbose=2 "$dmg"
    echo "sign-and-notarize.sh: signed $dmg"
    if [[ -z ${MACOS_NOTARY_APPLE_ID:-} || -z ${MACOS_NOTARY_TEAM_ID:-} || -z ${MACOS_NOTARY_PASSWORD:-} ]]; then
        skip "notarisation skipped (MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID and MACOS_NOTARY_PASSWORD are needed): Gatekeeper will warn on first opening"
    fi
    local credentials=(--apple-id "$MACOS_NOTARY_APPLE_ID" --team-id "$MACOS_NOTARY_TEAM_ID" --password "$MACOS_NOTARY_PASSWORD")
    local result
    result=$(mktemp)
    # shellcheck disable=SC2064  # the path is fixed now, on purpose
    trap "rm -f '$result'" EXIT
    # --wait returns when Apple has decided; the decision is read from the answer, not the exit code.
    xcrun notarytool submit "$dmg" "${credentials[@]}" --wait --output-format plist >"$result"
    local status id
    status=$(/usr/libexec/PlistBuddy -c "Print :status" "$result")
    id=$(/usr/libexec/PlistBuddy -c "Print :id" "$result")
    if [[ $status != Accepted ]]; then
        xcrun notarytool log "$id" "${credentials[@]}" >&2 || true
        fail "notarisation of $dmg: $status (submission $id, log above)"
    fi
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
    echo "sign-and-notarize.sh: notarised and stapled $dmg"
}

case ${1:-} in
    keychain) import_certificate ;;
    app) [[ $# == 2 ]] || fail "usage: $0 app APP.app"; sign_app "$2" ;;
    dmg) [[ $# == 2 ]] || fail "usage: $0 dmg FILE.dmg"; notarize_dmg "$2" ;;
    *) fail "usage: $0 keychain | app APP.app | dmg FILE.dmg" ;;
esac
