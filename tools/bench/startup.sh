#!/usr/bin/env bash
# The start-up benchmark on what ships: a release build with the Swift standard library linked
# statically. Extra arguments go to
# bench-startup (--readings, --sensors, --rules, --rounds, --log-level, --keep).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/setup.sh
swift build -c release --static-swift-stdlib --product streetgate >/dev/null
swift build -c release --static-swift-stdlib --product bench-startup >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/bench-startup" --streetgate "$bin/streetgate" "$@"
