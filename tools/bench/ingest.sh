#!/usr/bin/env bash
# The ingest benchmark on what ships: a release build with the Swift standard library linked
# statically. Extra arguments go to bench-ingest (--count, --sensors, --rounds, --sync).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tools/setup.sh
swift build -c release --static-swift-stdlib --product streetgate >/dev/null
swift build -c release --static-swift-stdlib --product bench-ingest >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/bench-ingest" --streetgate "$bin/streetgate" "$@"
