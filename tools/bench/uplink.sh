#!/usr/bin/env bash
# The uplink benchmark on what ships: a release build with the Swift standard library linked
# statically. Extra arguments go to
# bench-uplink (--sensors, --windows, --readings-per-window, --max-batch, --max-inflight, --rounds).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/setup.sh
swift build -c release --static-swift-stdlib --product streetgate >/dev/null
swift build -c release --static-swift-stdlib --product bench-uplink >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/bench-uplink" --streetgate "$bin/streetgate" "$@"
