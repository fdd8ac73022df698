#!/usr/bin/env bash
# Builds the Debian package of StreetGate: <out>/streetgate_<version>_<arch>.deb
#
#   bash tools/package/build-deb.sh [--binary PATH] [--version V] [--arch A] [--out DIR]
#
#   --binary PATH  package this streetgate executable instead of building one
#   --version V    the package version; default: $VERSION, else what `streetgate --version` prints
#   --arch A       the Debian architecture (amd64, arm64, armhf); default: dpkg --print-architecture
#   --out DIR      where the .deb goes; default: dist/ in the repository
#
# Without --binary it builds `swift build -c release --static-swift-stdlib`: the Swift runtime is
# linked in, so a board needs no Swift toolchain, only the C libraries in Depends, which are read
# from the binary's NEEDED entries. The package installs the unit but neither enables nor starts
# it: the technician edits /etc/streetgate/streetgate.toml, runs `streetgate check`, then
# `systemctl enable --now streetgate`.
#
# Environment: MAINTAINER overrides the Maintainer field; DPKG_DEB_COMPRESSOR_TYPE and
# DPKG_DEB_COMPRESSOR_LEVEL (dpkg-deb's own) trade size for speed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/tools/package"
binary="" version="${VERSION:-}" arch="" out="$root/dist"
maintainer="${MAINTAINER:-StreetGate maintainers <streetgate@localhost>}"

fail() {
    echo "build-deb: $*" >&2
    exit 1
}

usage() {
    sed -n '3,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($#)); do
    case "$1" in
    --binary | --version | --arch | --out)
        (($# >= 2)) || fail "$1 needs a value"
        case "$1" in
        --binary) binary=$2 ;;
        --version) version=$2 ;;
        --arch) arch=$2 ;;
        --out) out=$2 ;;
        esac
        shift 2
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        usage >&2
        fail "unknown argument: $1"
        ;;
    esac
done

for tool in dpkg dpkg-deb readelf; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

if [[ -z $binary ]]; then
    echo "build-deb: building the release binary (this takes a while)"
    (cd "$root" && swift build -c release --static-swift-stdlib --product streetgate)
    binary="$(cd "$root" && swift build -c release --static-swift-stdlib --show-bin-path)/streetgate"
fi
[[ -f $binary && -x $binary ]] || fail "not an executable file: $binary"

arch=${arch:-$(dpkg --print-architecture)}

# A package whose binary is for another machine installs fine and then cannot run: refuse it.
machine=$(LC_ALL=C readelf -h "$binary" | sed -n 's/^ *Machine: *//p')
case "$arch" in
amd64) expected="X86-64" ;;
arm64) expected="AArch64" ;;
armhf | armel) expected="ARM" ;;
i386) expected="80386" ;;
riscv64) expected="RISC-V" ;;
*) expected="" ;;
esac
if [[ -n $expected && $machine != *"$expected"* ]]; then
    fail "$binary is built for '$machine', which does not run on $arch"
fi

if [[ -z $version ]]; then
    version=$("$binary" --version 2>/dev/null) || fail "cannot run $binary --version; pass --version or set VERSION"
fi
[[ $version =~ ^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$ ]] || fail "not a Debian version: '$version'"

# The Debian package that ships each shared library the binary asks for. The common ones are
# named here so that packaging for another architecture works without its libraries installed;
# dpkg is asked about the rest, in one query since each one reads its whole database.
known_package_of() {
    case "$1" in
    libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux*.so.*) echo libc6 ;;
    libstdc++.so.6) echo libstdc++6 ;;
    libgcc_s.so.1) echo libgcc-s1 ;;
    libsqlite3.so.0) echo libsqlite3-0 ;;
    libmosquitto.so.1) echo libmosquitto1 ;;
    libssl.so.3 | libcrypto.so.3) echo libssl3 ;;
    libz.so.1) echo zlib1g ;;
    esac
}

depends=()
others=()
while read -r library; do
    package=$(known_package_of "$library")
    if [[ -n $package ]]; then
        depends+=("$package")
    else
        others+=("$library")
    fi
done < <(LC_ALL=C readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
unpackaged=()
if ((${#others[@]})); then
    owners=$(dpkg -S "${others[@]/#/*/}" 2>/dev/null || true)
    for library in "${others[@]}"; do
        package=$(awk -v tail="/$library" 'substr($0, length($0) - length(tail) + 1) == tail {
            sub(/[:,].*/, ""); print; exit }' <<<"$owners")
        if [[ -n $package ]]; then depends+=("$package"); else unpackaged+=("$library"); fi
    done
fi
if ((${#unpackaged[@]})); then
    echo "build-deb: warning: no Debian package provides ${unpackaged[*]};" \
        "the package will not run on a board (build with --static-swift-stdlib)" >&2
fi
depends_field=$(printf '%s\n' "${depends[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
package="$stage/streetgate"

install -D -m 0755 "$binary" "$package/usr/bin/streetgate"
# Debug information is most of the file's size; a board has no use for it.
if command -v strip >/dev/null && ! strip --strip-unneeded "$package/usr/bin/streetgate" 2>/dev/null; then
    echo "build-deb: warning: cannot strip a $machine binary here; packaging it as it is" >&2
fi
install -D -m 0644 "$root/systemd/streetgate.service" "$package/lib/systemd/system/streetgate.service"
install -D -m 0644 "$root/conf/streetgate.toml" "$package/etc/streetgate/streetgate.toml"
install -D -m 0644 "$root/README.md" "$package/usr/share/doc/streetgate/README.md"
install -D -m 0644 "$here/debian/copyright" "$package/usr/share/doc/streetgate/copyright"

install -d -m 0755 "$package/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$package/DEBIAN/$script"
done
install -m 0644 "$here/debian/conffiles" "$package/DEBIAN/conffiles"

installed_size=$(du -sk --exclude=DEBIAN "$package" | cut -f1)
cat >"$package/DEBIAN/control" <<CONTROL
Package: streetgate
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends_field
Section: net
Priority: optional
Description: edge gateway for city sensors: MQTT in, SQLite buffer, alerts out
 StreetGate subscribes to the sensors' MQTT brokers and stores every reading
 in a local SQLite buffer before the broker is told it arrived, so nothing is
 lost while the uplink is down or the board restarts. It evaluates alert rules
 and sends aggregates and alerts to the hubs.
 .
 The service streetgate.service is installed but not started: edit
 /etc/streetgate/streetgate.toml, check it with "streetgate check", then run
 "systemctl enable --now streetgate".
CONTROL

mkdir -p "$out"
deb="$out/streetgate_${version#*:}_${arch}.deb"
dpkg-deb --build --root-owner-group "$package" "$deb" >/dev/null
echo "build-deb: $deb"

if command -v lintian >/dev/null; then
    lintian "$deb" || echo "build-deb: lintian has remarks (above)" >&2
fi
