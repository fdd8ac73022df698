#!/usr/bin/env bash
# Runs the whole test suite: unit, store, integration (real mosquitto) and end-to-end (the built
# binary, killed with SIGKILL). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
# The end-to-end tests run the built executables, so build every product before testing.
swift build --build-tests
swift test --skip-build "$@"
