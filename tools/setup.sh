#!/usr/bin/env bash
# Installs what StreetGate needs to build, test and demo on Debian 12, if missing.
# Idempotent: does nothing when everything is there. Run as root (or with sudo available).
set -euo pipefail

packages=(libmosquitto-dev libsqlite3-dev mosquitto mosquitto-clients pkg-config systemd)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian package starts a broker on :1883 where systemd runs; the demo and tests start their own.
command -v swift >/dev/null || { echo "setup: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }
