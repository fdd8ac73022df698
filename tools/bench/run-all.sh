#!/usr/bin/env bash
# Every benchmark on what ships (a release build with the Swift standard library linked
# statically), built once, then one table: benchmark, figure, value, target, pass/fail.
#
#   bash tools/bench/run-all.sh [--quick] [--scratch-path DIR]
#
# --quick: one round each, smaller counts and a 90-second soak: a smoke run whose figures are
# not the published ones. The full run takes about half an hour (the soak alone 10 minutes).
# --scratch-path: the build folder (default .build).
# Each benchmark's own output is shown as it runs and kept in the folder named at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
scratch=.build
while (($#)); do
    case "$1" in
        --quick) quick=true ;;
        --scratch-path) scratch="$2"; shift ;;
        *) echo "usage: bash tools/bench/run-all.sh [--quick] [--scratch-path DIR]" >&2; exit 2 ;;
    esac
    shift
done

bash tools/setup.sh
build=(swift build -c release --static-swift-stdlib --scratch-path "$scratch")
echo "building (release, static Swift standard library) in $scratch ..."
"${build[@]}" >/dev/null
bin=$("${build[@]}" --show-bin-path)
rules=tools/bench/city-rules.toml
out=$(mktemp -d "${TMPDIR:-/tmp}/streetgate-bench-all.XXXXXX")

if $quick; then
    ingest=(--rounds 1 --count 20000)
    ingest_city=(--rounds 1 --count 50000 --sensors 10000)
    uplink=(--rounds 1 --windows 20)
    disk=(--rounds 1 --count 50000)
    disk_paced=(--rounds 1 --count 25000 --rate 5000)
    startup=(--rounds 1 --readings 200000)
    soak=(--minutes 1.5 --warmup 30)
else
    ingest=(--rounds 3)
    ingest_city=(--rounds 3 --count 500000 --sensors 10000)
    uplink=(--rounds 3)
    disk=(--rounds 3)
    disk_paced=(--rounds 3 --count 100000 --rate 5000)
    startup=(--rounds 3)
    soak=(--minutes 10)
fi

# Runs one benchmark, showing its output and keeping it in $out/<name>.txt.
run() {
    local name=$1
    shift
    echo
    echo "== $name: ${*#"$bin/"}"
    "$@" | tee "$out/$name.txt"
}

run ingest "$bin/bench-ingest" --streetgate "$bin/streetgate" "${ingest[@]}"
run ingest-city "$bin/bench-ingest" --streetgate "$bin/streetgate" "${ingest_city[@]}" --city --rules "$rules"
run rules "$bin/bench-rules"
run uplink "$bin/bench-uplink" --streetgate "$bin/streetgate" "${uplink[@]}"
run disk "$bin/bench-disk" --streetgate "$bin/streetgate" "${disk[@]}"
run disk-paced "$bin/bench-disk" --streetgate "$bin/streetgate" "${disk_paced[@]}"
run startup "$bin/bench-startup" --streetgate "$bin/streetgate" "${startup[@]}"
run startup-city "$bin/bench-startup" --streetgate "$bin/streetgate" "${startup[@]}" --sensors 10000 --rules "$rules"
run soak "$bin/bench-soak" --streetgate "$bin/streetgate" "${soak[@]}" --rules "$rules"

# bench-ingest and bench-rules print markdown tables: pick their figures by row title.
# figure_of FILE TITLE: the value cell of the row whose title starts with TITLE.
figure_of() {
    awk -F'|' -v title="$2" 'index($2, " " title) == 1 { gsub(/^ +| +$/, "", $3); print $3; exit }' "$1"
}
# row BENCHMARK FIGURE VALUE TARGET OP LIMIT: a table row, judged by comparing VALUE's number to LIMIT.
row() {
    local verdict=""
    if [[ -n "$5" ]]; then
        verdict=$(awk -v v="${3%% *}" -v op="$5" -v l="$6" 'BEGIN { ok = (op == ">=") ? v + 0 >= l : v + 0 <= l; print ok ? "pass" : "FAIL" }')
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$verdict"
}
{
    for name in ingest ingest-city; do
        scenario="1k sensors, 0 rules"
        [[ $name == ingest-city ]] && scenario="10k sensors, 50 rules"
        row ingest "gateway drain into SQLite ($scenario)" "$(figure_of "$out/$name.txt" "gateway drain into SQLite")" "" "" ""
        row ingest "ratio gateway / mosquitto_sub ($scenario)" "$(figure_of "$out/$name.txt" "ratio gateway / mosquitto_sub")" ">= 0.5" ">=" 0.5
        row ingest "gateway peak RSS ($scenario)" "$(figure_of "$out/$name.txt" "gateway peak RSS")" "<= 32 MiB" "<=" 32
    done
    row rules "rules per reading (10k sensors, 50 rules)" "$(figure_of "$out/rules.txt" "rules per reading")" "<= 1000 ns (with windows)" "<=" 1000
    row rules "resident memory per sensor" "$(figure_of "$out/rules.txt" "resident memory added per sensor")" "<= 1024 B" "<=" 1024
    for name in uplink disk disk-paced startup startup-city soak; do
        grep '^RESULT' "$out/$name.txt" | cut -f2-
    done
} > "$out/table.tsv"

echo
echo "== all benchmarks ($($quick && echo "quick smoke run" || echo "full run"), $(date -u +%Y-%m-%d), $(nproc) CPUs)"
echo
echo "| benchmark | figure | value | target | result |"
echo "|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$out/table.tsv"
failed=$(awk -F'\t' '$5 == "FAIL"' "$out/table.tsv" | wc -l)
judged=$(awk -F'\t' '$5 != ""' "$out/table.tsv" | wc -l)
echo
echo "$failed of $judged judged figures miss their target. Outputs: $out"
