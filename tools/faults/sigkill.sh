#!/usr/bin/env bash
# SIGKILLs under a QoS 1 stream: a publisher streams M numbered QoS 1 messages to a local broker
# while the gateway is SIGKILLed N times at random moments (a seeded RNG: some right after it said
# ready, some while it is still starting and restoring) and started again on the same buffer. At
# the end `streetgate export` must hold every number exactly once.
#
#   tools/faults/sigkill.sh [--kills N] [--messages M] [--seed S] [--rate MSG_PER_S] [--bin DIR] [--keep]
#
# Exits 0 when every number is there exactly once, 1 when not (it prints what is missing or
# doubled), 2 when the run itself could not be set up. Needs mosquitto and mosquitto_pub.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/faults/lib.sh

kills=20
messages=20000
seed=$(( $(date +%s%N) % 32768 ))
rate=""
bin=""
while (($#)); do
    case $1 in
        --kills) kills=$2; shift 2 ;;
        --messages) messages=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --keep) faults_keep=1; shift ;;
        -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "sigkill: unknown argument $1" >&2; exit 2 ;;
    esac
done
# Spread the stream over about as long as the kills take (a kill every ~1 s on average, start-up included).
[[ -n $rate ]] || rate=$(( messages / kills + 1 ))
((rate >= 10)) || rate=10

faults_find_bin "$bin"
faults_workdir sigkill
trap faults_cleanup EXIT
RANDOM=$seed
echo "sigkill: seed $seed, $kills kills, $messages messages at ~$rate msg/s (rerun with --seed $seed)"

port=$(faults_free_port 18930)
faults_broker_config source "$port"
faults_start_broker source "$port" broker_pid

config=$faults_run/streetgate.toml
log=$faults_run/streetgate.log
cat >"$config" <<CONF
[gateway]
id = "faults-sigkill"
data_dir = "$faults_run/data"

[[source]]
name = "local"
url = "mqtt://127.0.0.1:$port"
topics = ["city/+/+/+/+"]
CONF

ready_before=0
faults_spawn_gateway "$config" "$log"
faults_wait_ready "$log" "$ready_before"

# The stream: numbered readings an hour old (distinct times, so each is its own row), 10 chunks a
# second, through one QoS 1 publisher that stays connected to the broker throughout.
base=$(( $(faults_now_ms) - 3600000 ))
chunk=$(( (rate + 9) / 10 ))
awk -v m="$messages" -v base="$base" -v chunk="$chunk" 'BEGIN {
    for (i = 0; i < m; i++) {
        printf "{\"value\":%.0f,\"ts\":%.0f}\n", i, base + i
        if (i % chunk == chunk - 1) { fflush(); system("sleep 0.1") }
    }
}' | mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -i faults-sigkill-publisher -l -t city/fes/water/meter-1/flow &
publisher_pid=$!
pids+=("$publisher_pid")

started=$(faults_now_ms)
stream_ended=""
during_stream=0
during_start=0 # kills that landed before the gateway said ready
for kill_number in $(seq "$kills"); do
    if ((RANDOM % 4 == 0)); then
        # While starting: opening the buffer, migrations, re-feeding rules and windows, subscribing.
        # (Start-up takes some 40 to 80 ms here: kills in its first 100 ms land at every step of it.)
        gap_ms=$(( RANDOM % 100 ))
        sleep "$(printf '0.%03d' "$gap_ms")"
        if (($(faults_ready_count "$log") > ready_before)); then
            when="${gap_ms} ms after the start (already ready)"
        else
            when="${gap_ms} ms after the start, before ready"
            during_start=$((during_start + 1))
        fi
    else
        faults_wait_ready "$log" "$ready_before"
        gap_ms=$(( 50 + RANDOM % 1450 ))
        sleep "$(printf '%d.%03d' $((gap_ms / 1000)) $((gap_ms % 1000)))"
        when="${gap_ms} ms after ready"
    fi
    stream="after the stream ended"
    # (An ended publisher stays a zombie until `wait`: ask ps rather than kill -0.)
    publisher_state=$(ps -o stat= -p "$publisher_pid" 2>/dev/null || true)
    if [[ -z $stream_ended && -n $publisher_state && $publisher_state != Z* ]]; then
        stream="during the stream"
        during_stream=$((during_stream + 1))
    elif [[ -z $stream_ended ]]; then
        stream_ended=$(( $(faults_now_ms) - started ))
    fi
    faults_signal KILL "$gateway_pid"
    ((signal_status == 137)) || { echo "sigkill: the gateway had already exited with $signal_status" >&2; tail -n 20 "$log" >&2; exit 1; }
    printf 'sigkill: kill %2d at +%6d ms, %s, %s\n' "$kill_number" $(( $(faults_now_ms) - started )) "$when" "$stream"
    ready_before=$(faults_ready_count "$log")
    faults_spawn_gateway "$config" "$log"
    # The last restart must come up: the final count is read from a running gateway.
    ((kill_number < kills)) || faults_wait_ready "$log" "$ready_before"
done

wait "$publisher_pid" || { echo "sigkill: the publisher failed" >&2; exit 2; }
ended="after the last kill"
[[ -z $stream_ended ]] || ended="before +$stream_ended ms"
echo "sigkill: the stream ended $ended; $during_stream of $kills kills came during the stream, $during_start before the restarted gateway was ready"

export_numbers() {
    "$faults_bin/streetgate" export --config "$config" --since 3h --format csv | tail -n +2 | awk -F, '{ print $NF + 0 }'
}
stored=0
for _ in $(seq 120); do
    stored=$(export_numbers | wc -l)
    ((stored >= messages)) && break
    sleep 1
done

numbers=$faults_run/exported.txt
export_numbers | sort -n >"$numbers"
total=$(wc -l <"$numbers")
unique=$(uniq "$numbers" | wc -l)
doubled=$(uniq -d "$numbers" | wc -l)
missing=$(comm -23 <(seq 0 $((messages - 1)) | sort) <(sort -u "$numbers") | sort -n)
missing_count=$(printf '%s' "$missing" | grep -c . || true)
duplicates_ignored=$("$faults_bin/streetgate" status --config "$config" --json | grep -o '"readings.duplicate" *: *[0-9]*' | grep -o '[0-9]*$' || echo "?")

faults_signal TERM "$gateway_pid"
echo "sigkill: export holds $total rows, $unique distinct numbers; missing $missing_count, doubled $doubled; redeliveries ignored as duplicates: $duplicates_ignored; clean stop exit $signal_status"
if ((missing_count > 0)); then echo "sigkill: missing (first 20): $(echo "$missing" | head -n 20 | tr '\n' ' ')"; fi
if ((doubled > 0)); then echo "sigkill: doubled (first 20): $(uniq -d "$numbers" | head -n 20 | tr '\n' ' ')"; fi
if ((total == messages && unique == messages && missing_count == 0 && signal_status == 0)); then
    echo "sigkill: PASS: every one of $messages numbers exactly once after $kills SIGKILLs (seed $seed)"
else
    echo "sigkill: FAIL (seed $seed)"
    exit 1
fi
