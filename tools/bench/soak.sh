#!/usr/bin/env bash
# The soak benchmark on what ships: a release build with the Swift standard library linked
# statically. Extra arguments go to
# bench-soak (--minutes, --rate, --sensors, --warmup, --sample, --rules).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/setup.sh
swift build -c release --static-swift-stdlib --product streetgate >/dev/null
swift build -c release --static-swift-stdlib --product bench-soak >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/bench-soak" --streetgate "$bin/streetgate" "$@"
