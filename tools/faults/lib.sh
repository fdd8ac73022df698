# Shared by the fault-injection scripts: a work folder, loopback brokers, the gateway process.
# Sourced, not run. Everything started here is recorded in `pids` and stopped by `faults_cleanup`.

faults_bin=""
faults_run=""
faults_keep=0
pids=()

# Finds (or builds) the `streetgate` executable: --bin DIR, else $STREETGATE_BIN, else a debug build.
faults_find_bin() {
    local wanted=${1:-${STREETGATE_BIN:-}}
    if [[ -n $wanted ]]; then
        faults_bin=$wanted
    else
        echo "faults: building streetgate (debug)…" >&2
        swift build --product streetgate >/dev/null
        faults_bin=$(swift build --show-bin-path)
    fi
    [[ -x $faults_bin/streetgate ]] || { echo "faults: no streetgate executable in $faults_bin" >&2; exit 2; }
}

# A fresh work folder under /tmp, named after the scenario; kept with --keep or when a check failed.
faults_workdir() {
    faults_run=$(mktemp -d "/tmp/streetgate-faults-$1.XXXXXX")
}

faults_cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if declare -F faults_cleanup_extra >/dev/null; then faults_cleanup_extra; fi
    if ((status == 0 && faults_keep == 0)); then
        rm -rf "$faults_run"
    else
        echo "faults: logs and buffer kept in $faults_run"
    fi
    exit "$status"
}

# A free loopback port, from $1 upwards.
faults_free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# Writes the configuration of a broker named $1 on port $2 (persistence in its folder, queues large
# enough for the backlogs these scripts build for the gateway's offline session).
faults_broker_config() {
    mkdir -p "$faults_run/$1"
    cat >"$faults_run/$1/mosquitto.conf" <<CONF
listener $2 127.0.0.1
allow_anonymous true
persistence true
persistence_location $faults_run/$1/
max_queued_messages 10000000
max_queued_bytes 0
log_dest file $faults_run/$1/mosquitto.log
CONF
    [[ $(id -u) -ne 0 ]] || echo "user root" >>"$faults_run/$1/mosquitto.conf"
}

# Starts the broker named $1 on port $2; its pid goes to the variable named $3.
faults_start_broker() {
    mosquitto -c "$faults_run/$1/mosquitto.conf" 2>>"$faults_run/$1/mosquitto.log" &
    local pid=$!
    pids+=("$pid")
    printf -v "$3" '%s' "$pid"
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0; sleep 0.05; done
    echo "faults: mosquitto $1 did not start on port $2" >&2
    return 1
}

# How many times the gateway said it was ready, in log $1.
faults_ready_count() {
    grep -c "ready: every source subscribed" "$1" 2>/dev/null || true
}

# Starts `streetgate run` with config $1, appending to log $2; its pid goes to `gateway_pid`.
faults_spawn_gateway() {
    "$faults_bin/streetgate" run --config "$1" >>"$2" 2>&1 &
    gateway_pid=$!
    pids+=("$gateway_pid")
}

# Waits (up to 30 s) until log $1 holds more than $2 ready lines; fails if the gateway exited.
faults_wait_ready() {
    for _ in $(seq 600); do
        (($(faults_ready_count "$1") > $2)) && return 0
        kill -0 "$gateway_pid" 2>/dev/null || { echo "faults: the gateway exited while starting" >&2; tail -n 20 "$1" >&2; return 1; }
        sleep 0.05
    done
    echo "faults: the gateway did not become ready in 30 s" >&2
    return 1
}

# Sends signal $1 to pid $2 (a child of this shell) and reaps it; its exit status (128 + the
# signal when killed by one) goes to `signal_status`. Not in $(…): a subshell cannot reap it.
faults_signal() {
    kill "-$1" "$2" 2>/dev/null || true
    signal_status=0
    wait "$2" 2>/dev/null || signal_status=$?
}

# Milliseconds since the epoch.
faults_now_ms() {
    date +%s%3N
}
