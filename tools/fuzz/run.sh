#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a while, one after the other.
#
#   tools/fuzz/run.sh [--time SECONDS] [TARGET...]
#
# TARGET is json, senml, text, topics or config (all five by default); SECONDS is per target,
# 600 by default. Each target starts from tools/fuzz/corpus/<target>/ and its dictionary in
# tools/fuzz/dict/. Afterwards the corpus is minimised: the named seeds stay, and only inputs
# that add coverage are kept. Crashes, leaks, timeouts and out-of-memory inputs are written to a
# temporary folder; the script prints their paths and exits 1 when there is any.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${FUZZ_SCRATCH:-$root/.build-fuzz}"
seconds=600
targets=()

while (($#)); do
    case "$1" in
        --time) seconds="$2"; shift 2 ;;
        --time=*) seconds="${1#--time=}"; shift ;;
        -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        json | senml | text | topics | config) targets+=("$1"); shift ;;
        *) echo "unknown argument: $1 (targets: json senml text topics config)" >&2; exit 2 ;;
    esac
done
((${#targets[@]})) || targets=(json senml text topics config)

# `--sanitize` instruments every target of the graph and links the runtimes. It hands swiftc one
# `-sanitize=` flag per sanitizer, in an order that changes from build to build, and swiftc keeps
# only the last: the combined flag, appended after them, makes every Swift module get both.
# Release: the decoders are fuzzed as they ship.
build=(swift build -c release --scratch-path "$scratch" --sanitize=fuzzer --sanitize=address
    -Xswiftc -sanitize=fuzzer,address)
(cd "$here" && nice -n 10 "${build[@]}")
bin="$(cd "$here" && "${build[@]}" --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/streetgate-fuzz.XXXXXX")"
echo "work folder (artifacts, logs): $work"

# The Swift runtime's own crash reporter would race libFuzzer's for the signal.
export SWIFT_BACKTRACE=enable=no

failed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$here/corpus/$target"
    dict="$here/dict/$target.dict"
    if [[ $target == config ]]; then dict="$here/dict/toml.dict"; fi
    mkdir -p "$corpus" "$work/$target/new" "$work/$target/artifacts"
    options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -dict="$dict" -artifact_prefix="$work/$target/artifacts/")

    echo "== fuzz-$target: $seconds s"
    status=0
    started=$SECONDS
    nice -n 10 "$bin/fuzz-$target" "${options[@]}" "$work/$target/new" "$corpus" \
        >"$work/$target/log" 2>&1 || status=$?
    elapsed=$((SECONDS - started))

    runs="$(grep -o '^stat::number_of_executed_units: *[0-9]*' "$work/$target/log" | grep -o '[0-9]*$' || true)"
    rate="$(grep -o '^stat::average_exec_per_sec: *[0-9]*' "$work/$target/log" | grep -o '[0-9]*$' || true)"
    shopt -s nullglob
    crashes=("$work/$target/artifacts/"{crash,leak,timeout,oom}-*)
    shopt -u nullglob
    if ((status != 0)) || ((${#crashes[@]})); then
        failed=1
        echo "fuzz-$target FAILED (exit $status); log: $work/$target/log"
        for file in "${crashes[@]}"; do echo "  crash input: $file"; done
        grep -m1 -E 'ERROR: |Fatal error|Assertion' "$work/$target/log" | sed 's/^/  /' || true
    fi

    # Minimise: keep the named seeds, then add the fewest inputs that cover the same edges (hit
    # counts left out), so the corpus in the repository stays a few hundred small files.
    merged="$work/$target/merged"
    mkdir -p "$merged"
    for file in "$corpus"/*; do
        if [[ -f $file && ! ${file##*/} =~ ^[0-9a-f]{40}$ ]]; then cp "$file" "$merged/"; fi
    done
    merge_options=(-set_cover_merge=1 -use_counters=0 -rss_limit_mb=2048 -timeout=10)
    if nice -n 10 "$bin/fuzz-$target" "${merge_options[@]}" "$merged" "$corpus" "$work/$target/new" \
        >"$work/$target/merge.log" 2>&1; then
        rm -rf "$corpus"
        cp -r "$merged" "$corpus"
    else
        echo "fuzz-$target: merging the corpus failed, left as it was; log: $work/$target/merge.log"
        failed=1
    fi
    files="$(find "$corpus" -type f | wc -l)"
    size="$(($(du -sb "$corpus" | cut -f1) / 1024))"
    summary+=("$(printf '%-8s %6s s %12s runs %8s/s %5s files %6s KiB %s' "$target" "$elapsed" \
        "${runs:-?}" "${rate:-?}" "$files" "$size" "$( ((status == 0 && ${#crashes[@]} == 0)) && echo ok || echo FAILED)")")
done

echo
printf '%s\n' "${summary[@]}"
exit "$failed"
