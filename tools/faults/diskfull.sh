#!/usr/bin/env bash
# Disk full: the gateway's data_dir on a small filesystem, under a stream of numbered readings.
#
#   tools/faults/diskfull.sh [--fs auto|tmpfs|loop|fsize] [--size MiB] [--packs N] [--bin DIR] [--keep]
#
# Two phases, each with a fresh buffer:
#   filesystem  data_dir on a --size MiB filesystem (default 8) with `max_size = "512MiB"`, so the
#               filesystem fills first: a real ENOSPC under SQLite. Once ingest has stalled (or
#               everything was sent) space returns — the tmpfs is remounted, or the image and its
#               ext4 grown online, 8 times larger — and the script waits for the gateway to take in
#               the rest. (Under a file-size limit space cannot return; that part is skipped.)
#   max_size    data_dir on the ordinary disk with `max_size = "16MiB"`: the size bound evicts;
#               800,000 readings (about twice what 16 MiB holds) in packs of 20, as fast as the
#               broker takes them.
#   bigbatch    the same in packs of 100: a batch (up to 1,000 messages) holds more readings than
#               the room one eviction burst makes (20 % of the budget).
# The filesystem is, in order of preference (--fs auto): a tmpfs mount, a loop-mounted ext4 image,
# or no filesystem at all but the daemon under a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored).
# tmpfs and loop need root.
#
# Each phase publishes numbered SenML readings (phase 1: N packs of 100, default 3000, 100 packs a
# second) and checks that the gateway never exited, that every reading is in the buffer or counted
# as evicted or expired (`status --json`), that what is left is exactly the newest readings
# (eviction takes the oldest first), and that eviction was logged. Exits 1 if a check failed, 2 if
# it could not run. Needs mosquitto, mosquitto_pub and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/faults/lib.sh

fs_kind=auto
size_mib=8
packs=3000
bin=""
while (($#)); do
    case $1 in
        --fs) fs_kind=$2; shift 2 ;;
        --size) size_mib=$2; shift 2 ;;
        --packs) packs=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --keep) faults_keep=1; shift ;;
        -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "diskfull: unknown argument $1" >&2; exit 2 ;;
    esac
done

faults_find_bin "$bin"
faults_workdir diskfull
mount_point=""
loop_image=""
faults_cleanup_extra() {
    if [[ -n $mount_point ]] && mountpoint -q "$mount_point"; then umount "$mount_point" || umount -l "$mount_point" || true; fi
}
trap faults_cleanup EXIT
failures=0
check() { # check "what" condition-result(0/1)
    if (($2)); then echo "diskfull:   ok    $1"; else echo "diskfull:   FAIL  $1"; failures=$((failures + 1)); fi
}

# --- the small filesystem -------------------------------------------------------------------------
small=$faults_run/small
mkdir -p "$small"
try_tmpfs() { mount -t tmpfs -o "size=${size_mib}m" tmpfs "$small" 2>/dev/null && mount_point=$small; }
try_loop() {
    loop_image=$faults_run/small.ext4
    truncate -s "${size_mib}M" "$loop_image"
    mkfs.ext4 -q -F -m 0 "$loop_image" >/dev/null 2>&1 && mount -o loop "$loop_image" "$small" 2>/dev/null && mount_point=$small
}
case $fs_kind in
    tmpfs) try_tmpfs || { echo "diskfull: cannot mount a tmpfs here" >&2; exit 2; } ;;
    loop) try_loop || { echo "diskfull: cannot loop-mount an ext4 image here" >&2; exit 2; } ;;
    fsize) ;;
    auto)
        if try_tmpfs; then fs_kind=tmpfs
        elif try_loop; then fs_kind=loop
        else fs_kind=fsize; fi ;;
    *) echo "diskfull: --fs is auto, tmpfs, loop or fsize" >&2; exit 2 ;;
esac
case $fs_kind in
    tmpfs | loop) echo "diskfull: data_dir on a ${size_mib} MiB $fs_kind filesystem at $small" ;;
    fsize) echo "diskfull: no small filesystem: the daemon runs under a ${size_mib} MiB file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored)" ;;
esac

port=$(faults_free_port 19030)
faults_broker_config source "$port"
faults_start_broker source "$port" broker_pid

# $1: phase name, $2: data_dir, $3: max_size. Writes the config, returns its path in `config`.
write_config() {
    config=$faults_run/$1.toml
    cat >"$config" <<CONF
[gateway]
id = "faults-diskfull"
data_dir = "$2"

[buffer]
max_size = "$3"

[[source]]
name = "packs"
url = "mqtt://127.0.0.1:$port"
topics = ["pack/$1/+/+/+"]
template = "pack/$1/{city}/{domain}/{device}"
sensor = "{city}/{domain}/{device}"
metric = "{domain}"
format = "senml"
CONF
}

# Publishes packs $2..<$3 of phase $1 in the background: $4 numbered SenML readings each (pack * $4
# + record), one second apart per pack, a day old; $5 packs every 100 ms, or as fast as it can (0).
publish_packs() {
    local base=$(( $(date +%s) - 86400 ))
    awk -v from="$2" -v to="$3" -v records="$4" -v pace="$5" -v base="$base" 'BEGIN {
        for (p = from; p < to; p++) {
            line = sprintf("[{\"bn\":\"r\",\"bt\":%.0f,\"n\":\"0\",\"v\":%.0f}", base + p, p * records)
            for (r = 1; r < records; r++) line = line sprintf(",{\"n\":\"%d\",\"v\":%.0f}", r, p * records + r)
            print line "]"
            if (pace > 0 && p % pace == pace - 1) { fflush(); system("sleep 0.1") }
        }
    }' | mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -i "faults-diskfull-$1" -l -t "pack/$1/fes/water/meter-1" &
    publisher_pid=$!
    pids+=("$publisher_pid")
}

# A counter from `status --json`.
counter() {
    "$faults_bin/streetgate" status --config "$config" --json | grep -o "\"$1\" *: *[0-9]*" | grep -o '[0-9]*$' || echo 0
}
rows() {
    "$faults_bin/streetgate" status --config "$config" --json | grep -o '"rows" *: *[0-9]*' | head -n 1 | grep -o '[0-9]*$' || echo 0
}

# Checks what one phase left: $1 phase, $2 readings published, $3 log.
check_accounting() {
    local published=$2 log=$3
    local stored evicted expired
    stored=$(rows); evicted=$(counter readings.evicted); expired=$(counter readings.expired)
    echo "diskfull: $1: published $published readings; in the buffer $stored, evicted $evicted, expired $expired"
    check "every reading stored or counted: $stored + $evicted + $expired = $((stored + evicted + expired)) of $published" \
        $((stored + evicted + expired == published))
    "$faults_bin/streetgate" export --config "$config" --since 30d --format csv | tail -n +2 | awk -F, '{ print $NF + 0 }' | sort -n >"$faults_run/$1.numbers"
    local first last count
    first=$(head -n 1 "$faults_run/$1.numbers"); last=$(tail -n 1 "$faults_run/$1.numbers"); count=$(wc -l <"$faults_run/$1.numbers")
    echo "diskfull: $1: export holds $count readings, numbers $first to $last"
    check "what is left is the newest, once each (numbers $first to $last, no gap, none twice)" \
        $((count == stored && last == published - 1 && last - first + 1 == count && $(uniq -d "$faults_run/$1.numbers" | wc -l) == 0))
    if ((evicted > 0)); then
        check "eviction logged ($(grep -c 'size limit' "$log" || true) warnings)" $(( $(grep -c 'size limit' "$log" || true) > 0 ))
    fi
}

# --- phase 1: the filesystem fills first ------------------------------------------------------------
echo "diskfull: phase 1: the filesystem fills before max_size (512MiB)"
data=$small/data
mkdir -p "$data"
write_config filesystem "$data" 512MiB
log=$faults_run/filesystem.log
if [[ $fs_kind == fsize ]]; then
    # The limit applies to every file the daemon writes; SIGXFSZ ignored, so write() fails with EFBIG.
    ( trap '' XFSZ; ulimit -f $((size_mib * 1024)); exec "$faults_bin/streetgate" run --config "$config" >>"$log" 2>&1 ) &
    gateway_pid=$!
    pids+=("$gateway_pid")
else
    faults_spawn_gateway "$config" "$log"
fi
faults_wait_ready "$log" 0
publish_packs filesystem 0 "$packs" 100 10
started=$(faults_now_ms)
stalled=0
previous=-1
same=0
while kill -0 "$publisher_pid" 2>/dev/null || ((same < 5)); do
    sleep 1
    current=$(rows)
    if ((current == previous)); then same=$((same + 1)); else same=0; fi
    previous=$current
    if ((same >= 5)) && kill -0 "$publisher_pid" 2>/dev/null; then stalled=1; break; fi
    ((same >= 5)) && break
done
store_errors=$(grep -c 'messages could not be stored' "$log" || true)
echo "diskfull: after $(( ($(faults_now_ms) - started) / 1000 )) s: $(rows) readings in the buffer, ingest $([[ $stalled == 1 ]] && echo "stalled" || echo "caught up"), $store_errors failed commits logged; filesystem:"
df -k "$small" | tail -n 1 | sed 's/^/diskfull:   /'
ls -l "$data" | tail -n +2 | sed 's/^/diskfull:   /'
grep -o 'mqtt.error=[^ ]*[^"]*' "$log" | sort | uniq -c | head -n 5 | sed 's/^/diskfull:   store error: /' || true
check "the gateway is still running with the filesystem full" "$(kill -0 "$gateway_pid" 2>/dev/null && echo 1 || echo 0)"
check "ingest did not stall with the filesystem full (eviction made room)" $((stalled == 0))

case $fs_kind in
    tmpfs)
        echo "diskfull: space returns: the tmpfs grows to $((size_mib * 8)) MiB"
        mount -o "remount,size=$((size_mib * 8))m" "$small" ;;
    loop)
        echo "diskfull: space returns: the image grows to $((size_mib * 8)) MiB and ext4 is resized online"
        device=$(findmnt -n -o SOURCE "$small")
        truncate -s "$((size_mib * 8))M" "$loop_image"
        losetup -c "$device"
        resize2fs "$device" >/dev/null 2>&1 ;;
    fsize) echo "diskfull: under a file-size limit space cannot return: the rest stays at the broker, unacknowledged" ;;
esac
if [[ $fs_kind != fsize ]]; then
    returned=$(faults_now_ms)
    # Whatever is left at the broker comes in now; give up after 20 s without progress.
    previous=-1
    same=0
    while ((same < 20)); do
        stored=$(rows); evicted=$(counter readings.evicted); expired=$(counter readings.expired)
        ((stored + evicted + expired >= packs * 100)) && break
        if ((stored == previous)); then same=$((same + 1)); else same=0; fi
        previous=$stored
        sleep 1
    done
    echo "diskfull: $(( ($(faults_now_ms) - returned) / 1000 )) s after space returned: $(rows) readings in the buffer"
    check "the gateway is still running" "$(kill -0 "$gateway_pid" 2>/dev/null && echo 1 || echo 0)"
    check_accounting filesystem $((packs * 100)) "$log"
fi
faults_signal TERM "$gateway_pid"
check "clean stop (exit $signal_status)" $((signal_status == 0))

# --- phases 2 and 3: max_size is reached first -----------------------------------------------------
# $1 phase, $2 packs, $3 readings a pack, $4 packs per 100 ms (0: as fast as the broker takes them).
max_size_phase() {
    local phase=$1 count=$2 records=$3 pace=$4
    local total=$((count * records))
    write_config "$phase" "$faults_run/$phase-data" 16MiB
    log=$faults_run/$phase.log
    faults_spawn_gateway "$config" "$log"
    faults_wait_ready "$log" 0
    publish_packs "$phase" 0 "$count" "$records" "$pace"
    local largest=0 size previous=-1 same=0 stored
    while ((same < 20)); do
        size=$(du -cb "$faults_run/$phase-data"/streetgate.db* | tail -n 1 | cut -f1)
        ((size > largest)) && largest=$size
        # Readings in the buffer plus those deleted since: all that reached it so far.
        stored=$(sqlite3 -readonly "$faults_run/$phase-data/streetgate.db" \
            "SELECT (SELECT count(*) FROM reading) + (SELECT coalesce(sum(value), 0) FROM counter WHERE name IN ('readings.evicted', 'readings.expired'))" \
            2>/dev/null || echo 0)
        ((${stored:-0} >= total)) && break
        if ((${stored:-0} == previous)) && ! kill -0 "$publisher_pid" 2>/dev/null; then same=$((same + 1)); else same=0; fi
        previous=${stored:-0}
        sleep 1
    done
    local store_errors
    store_errors=$(grep -c 'messages could not be stored' "$log" || true)
    echo "diskfull: $phase: $(rows) readings in the buffer, $(counter readings.evicted) evicted, $store_errors failed commits logged; the files took at most $largest bytes (max_size 16777216)"
    check "the gateway is still running" "$(kill -0 "$gateway_pid" 2>/dev/null && echo 1 || echo 0)"
    check "ingest never stalled: every batch fit once the oldest readings were evicted ($store_errors failed commits)" $((store_errors == 0))
    check "the files stayed within max_size" $((largest <= 16777216))
    check_accounting "$phase" "$total" "$log"
    check "readings were evicted" $(( $(counter readings.evicted) > 0 ))
    check "no aggregate or alert evicted while readings were left" $(( $(counter aggregates.evicted) + $(counter alerts.evicted) == 0 ))
    faults_signal TERM "$gateway_pid"
    check "clean stop (exit $signal_status)" $((signal_status == 0))
}

echo "diskfull: phase 2: max_size (16MiB) is reached first, the disk has room; packs of 20 readings as fast as they come"
max_size_phase maxsize 40000 20 0
echo "diskfull: phase 3: the same with packs of 100 readings: a batch of up to 1,000 packs is larger than the room one eviction burst makes"
max_size_phase bigbatch 8000 100 0

if ((failures > 0)); then
    echo "diskfull: FAIL: $failures checks failed (logs in $faults_run)"
    faults_keep=1
    exit 1
fi
echo "diskfull: PASS"
