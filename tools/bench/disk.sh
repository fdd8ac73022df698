#!/usr/bin/env bash
# The disk benchmark on what ships: a release build with the Swift standard library linked
# statically. Extra arguments go to
# bench-disk (--count, --sensors, --rate, --backlog, --broker-max-inflight, --rounds).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/setup.sh
swift build -c release --static-swift-stdlib --product streetgate >/dev/null
swift build -c release --static-swift-stdlib --product bench-disk >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/bench-disk" --streetgate "$bin/streetgate" "$@"
