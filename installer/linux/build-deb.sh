#!/usr/bin/env bash
# The Debian package of MonSisra bureau, made from the frozen bundle (`make package`):
#
#   installer/linux/build-deb.sh BUNDLE_DIR ICONS_DIR OUT_DIR
#     → OUT_DIR/monsisra-bureau_<version>_<arch>.deb
#
# Why a script and not debian/rules: the package repackages a PyInstaller bundle that is already
# built (its own Python, Qt and libraries) instead of building from source. So `Depends` cannot
# come from build dependencies: it is computed from what the bundle really links to (every ELF's
# NEEDED entries, minus what the bundle ships, mapped to the Debian packages that hold them on
# this machine), libc6's minimum from the highest GLIBC_x.y symbol version the bundle references,
# plus the files read at run time that no ELF names. Build it on the oldest distribution we
# support (Debian 12): the libraries PyInstaller copies from the build machine set the glibc floor.
#
# Layout: the bundle in /opt/monsisra-bureau, /usr/bin/monsisra and /usr/bin/monsisra-cli as
# links to it (the bootloader finds its folder through its real path), their manual pages, the
# desktop file, hicolor icons, AppStream metainfo, copyright and changelog. No maintainer scripts: the desktop database,
# icon and AppStream caches are refreshed by the dpkg triggers of the packages that own them.
#
# Reproducible: every date is SOURCE_DATE_EPOCH (default: the last commit's time), files are
# sorted, owners are root, permissions normalised, and nothing names the build machine's paths.
# The version is the bundle's (`monsisra-cli --version`); VERSION=x.y.z overrides it.
set -euo pipefail

readonly PACKAGE=monsisra-bureau
readonly APP_ID=fr.sante_ara.MonSisraBureau
readonly PREFIX=/opt/monsisra-bureau
readonly MAINTAINER="GCS SARA <monsisra@sante-ara.fr>"
readonly ICON_SIZES="16 22 24 32 48 64 128 256 512"

# Files the app reads at run time that no ELF names, so the NEEDED scan cannot see them:
#   fonts-dejavu-core   the style sheets ask for "DejaVu Sans" (ui/theme.py FONT_FAMILY)
#   fontconfig-config   /etc/fonts/fonts.conf, read by the bundled libfontconfig
#   xkb-data            the keyboard maps the bundled libxkbcommon reads when the display server
#                       gives it none (an X server or compositor normally does: the smoke test
#                       types its login without xkb-data; kept for that fallback, as every
#                       desktop has it)
#   ca-certificates     the operating system's trust store, which every TLS connection uses
#                       (truststore; hospital IT adds its roots there)
readonly RUNTIME_FILES="ca-certificates fontconfig-config fonts-dejavu-core xkb-data"
# What opens the documents, links and portal pages the app hands to the desktop (xdg-open):
# present on every desktop, not needed to read and send messages.
readonly RECOMMENDS="xdg-utils"

die() {
    echo "build-deb: $*" >&2
    exit 1
}

[[ $# -eq 3 ]] || die "usage: $0 BUNDLE_DIR ICONS_DIR OUT_DIR"
bundle=$(realpath "$1")
icons=$(realpath "$2")
out=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

for f in monsisra monsisra-cli; do
    [[ -x $bundle/$f ]] || die "$bundle/$f is missing: run make package first"
done
[[ -d $bundle/_internal ]] || die "$bundle/_internal is missing: not a PyInstaller 6 onedir bundle"
notices=_internal/monsisra_resources/notices/THIRD-PARTY-NOTICES.txt
[[ -s $bundle/$notices ]] || die "$bundle/$notices is missing (the copyright file points to it)"
for n in $ICON_SIZES; do
    [[ -f $icons/hicolor/${n}x$n/apps/$APP_ID.png ]] || die "icon ${n}x$n missing in $icons"
done
[[ -f $icons/hicolor/scalable/apps/$APP_ID.svg ]] || die "scalable icon missing in $icons"
[[ -f $repo/LICENSE ]] || die "$repo/LICENSE is missing"

if [[ -z ${VERSION:-} ]]; then
    banner=$("$bundle/monsisra-cli" --version) || die "$bundle/monsisra-cli --version failed"
    VERSION=${banner#MonSisra bureau }
    [[ $VERSION != "$banner" ]] || die "unexpected --version output: $banner"
fi
[[ $VERSION =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "not a Debian version: $VERSION"
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
    SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct) ||
        die "SOURCE_DATE_EPOCH unset and $repo is no git checkout"
fi
export SOURCE_DATE_EPOCH
arch=$(dpkg --print-architecture)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root

# --- Files ---------------------------------------------------------------------------------------
mkdir -p "$root/opt" "$root/usr/bin"
cp -a "$bundle" "$root$PREFIX"
# A link into a missing library would be a broken file on the user's disk.
dangling=$(find "$root$PREFIX" -xtype l -printf '%P\n')
[[ -z $dangling ]] || die "dangling links in the bundle: $dangling"
ln -s "$PREFIX/monsisra" "$root/usr/bin/monsisra"
ln -s "$PREFIX/monsisra-cli" "$root/usr/bin/monsisra-cli"

install -D -m 644 "$here/$APP_ID.desktop" "$root/usr/share/applications/$APP_ID.desktop"
for n in $ICON_SIZES; do
    install -D -m 644 "$icons/hicolor/${n}x$n/apps/$APP_ID.png" \
        "$root/usr/share/icons/hicolor/${n}x$n/apps/$APP_ID.png"
done
install -D -m 644 "$icons/hicolor/scalable/apps/$APP_ID.svg" \
    "$root/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"

mkdir -p "$root/usr/share/man/man1"
for page in monsisra.1 monsisra-cli.1; do
    gzip -9n <"$here/$page" >"$root/usr/share/man/man1/$page.gz"
done

release_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
mkdir -p "$root/usr/share/metainfo"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$release_date/" "$here/$APP_ID.metainfo.xml" \
    >"$root/usr/share/metainfo/$APP_ID.metainfo.xml"

doc=$root/usr/share/doc/$PACKAGE
mkdir -p "$doc"
{
    cat "$here/copyright"
    # A license paragraph's text: blank lines become " .", every line is indented by one space.
    sed -e 's/^[[:space:]]*$/./' -e 's/^/ /' "$repo/LICENSE"
} >"$doc/copyright"
{
    printf '%s (%s) stable; urgency=medium\n\n' "$PACKAGE" "$VERSION"
    printf '  * MonSisra bureau %s.\n\n' "$VERSION"
    printf ' -- %s  %s\n' "$MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
install -D -m 644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/$PACKAGE"

# Permissions as lintian wants them: directories 755, shared objects and data 644, the two
# programs (and any other executable the bundle ships that is not a library) 755.
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f ! -perm -u+x -exec chmod 644 {} +
find "$root" -type f -perm -u+x -exec chmod 755 {} +
find "$root" -type f \( -name '*.so' -o -name '*.so.*' \) -exec chmod 644 {} +

# --- Depends -------------------------------------------------------------------------------------
is_elf() { [[ $(head -c 4 "$1" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; }

elves=()
while IFS= read -r -d '' f; do
    is_elf "$f" && elves+=("$f")
done < <(find "$root$PREFIX" -type f -print0 | sort -z)
[[ ${#elves[@]} -gt 0 ]] || die "no ELF file in the bundle"

needed=$(for f in "${elves[@]}"; do
    readelf -d --wide "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
done | sort -u)
shipped=$(find "$root$PREFIX" \( -type f -o -type l \) -printf '%f\n' | sort -u)
external=$(comm -23 <(echo "$needed") <(echo "$shipped"))

# The package that holds a library on this machine (merged /usr: dpkg may know either path).
package_of() {
    local soname=$1 path alt owner
    path=$(ldconfig -p | awk -v l="$soname" '$1 == l && /x86-64|64bit|AArch64/ { print $NF; exit }')
    [[ -n $path ]] || die "$soname (needed by the bundle) is not installed on the build machine: add its package to scripts/system-deps.sh"
    case $path in
    /usr/*) alt=${path#/usr} ;;
    *) alt=/usr$path ;;
    esac
    owner=$(dpkg-query -S "$path" 2>/dev/null || dpkg-query -S "$alt" 2>/dev/null) ||
        die "no Debian package holds $path ($soname)"
    echo "${owner%%:*}"
}

libraries=$(for soname in $external; do package_of "$soname"; done | sort -u)
glibc=$(for f in "${elves[@]}"; do readelf -V --wide "$f"; done |
    grep -o 'Name: GLIBC_[0-9][0-9.]*' | sed 's/Name: GLIBC_//' | sort -u -V | tail -n 1)
[[ -n $glibc ]] || die "no GLIBC symbol version referenced: is this really a Linux bundle?"
depends=$(for p in $libraries $RUNTIME_FILES; do
    if [[ $p == libc6 ]]; then echo "libc6 (>= $glibc)"; else echo "$p"; fi
done | sort -u | paste -sd, | sed 's/,/, /g')
[[ $depends == *"libc6 (>= "* ]] || die "libc6 is not among the libraries the bundle links to"

echo "build-deb: libraries the bundle needs and does not ship: $(echo "$external" | paste -sd' ')"
echo "build-deb: needs glibc >= $glibc (highest GLIBC_x.y symbol version referenced)"
echo "build-deb: Depends: $depends"

# --- Control -------------------------------------------------------------------------------------
mkdir -p "$root/DEBIAN"
installed_size=$(du -s -k --apparent-size "$root" --exclude=DEBIAN | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: $PACKAGE
Version: $VERSION
Architecture: $arch
Maintainer: $MAINTAINER
Installed-Size: $installed_size
Depends: $depends
Recommends: $RECOMMENDS
Section: mail
Priority: optional
Homepage: https://www.sante-ara.fr/
Description: desktop client of the MonSisra secure health messaging (MSSanté)
 MonSisra bureau is the desktop application of MonSisra, the secure
 health-messaging service of the Auvergne-Rhône-Alpes region in the French
 MSSanté space. Health professionals and their secretaries exchange patient
 documents with their correspondents, search the health directory, ask
 experts for an opinion (teleexpertise) and follow teleconsultations.
 .
 Messages are kept in an encrypted local cache, readable offline.
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
    xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb=$out/${PACKAGE}_${VERSION}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
