#!/usr/bin/env bash
# The StreetGate demo: two mosquitto brokers on 127.0.0.1 (the sensors' and a city hub's), the city
# sensor simulator, and the gateway, all started here and all stopped on exit. After about 20 s it
# prints `streetgate status` and what the hub received.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
echo "demo: building (release)…"
swift build -c release 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)

run=$(mktemp -d /tmp/streetgate-demo.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "demo: stopped everything; logs and buffer kept in $run"
}
trap cleanup EXIT

# A free loopback port, from $1 upwards.
free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# Starts a broker named $1 on port $2, its files under $run/$1.
start_broker() {
    mkdir -p "$run/$1"
    cat >"$run/$1/mosquitto.conf" <<CONF
listener $2 127.0.0.1
allow_anonymous true
persistence true
persistence_location $run/$1/
log_dest file $run/$1/mosquitto.log
CONF
    [[ $(id -u) -ne 0 ]] || echo "user root" >>"$run/$1/mosquitto.conf"
    mosquitto -c "$run/$1/mosquitto.conf" 2>>"$run/$1/mosquitto.log" &
    pids+=($!)
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && break; sleep 0.1; done
}

port=$(free_port 18830)
start_broker sensors "$port"
echo "demo: sensor broker on 127.0.0.1:$port"
hub_port=$(free_port $((port + 1)))
start_broker hub "$hub_port"
echo "demo: city hub broker on 127.0.0.1:$hub_port"
# What a hub server would receive: everything under streetgate/, kept in a file.
mosquitto_sub -h 127.0.0.1 -p "$hub_port" -q 1 -v -t 'streetgate/#' >"$run/hub-received.txt" 2>/dev/null &
pids+=($!)

cat >"$run/streetgate.toml" <<CONF
[gateway]
id = "fes-medina-01"
data_dir = "$run/data"
timezone = "Africa/Casablanca"

[[source]]
name = "sensors"
url = "mqtt://127.0.0.1:$port"
topics = ["city/+/+/+/+"]

[[source]]
name = "air-senml"
url = "mqtt://127.0.0.1:$port"
topics = ["senml/+/+/+"]
template = "senml/{city}/{domain}/{device}"
sensor = "{city}/{domain}/{device}"
metric = "{domain}"
format = "senml"

[aggregate]
window = "1m"
grace = "5s"

[[hub]]
name = "city"
url = "mqtt://127.0.0.1:$hub_port"
topic_prefix = "streetgate/{gateway}"

[[rule]]
name = "bin-fire"
sensors = "+/waste/+"
metric = "temperature"
when = "above"
threshold = 60.0
clear = 50.0
severity = "critical"

[[rule]]
name = "pressure-drop"
sensors = "+/water/+"
metric = "pressure"
when = "rate"
threshold = 1.0
severity = "major"
CONF

"$bin/streetgate" run --config "$run/streetgate.toml" 2>"$run/streetgate.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "ready: every source subscribed" "$run/streetgate.log" && break; sleep 0.1; done
echo "demo: gateway ready (log: $run/streetgate.log)"

# One simulated minute per real second: the last 20 minutes of Fès replayed in 20 seconds, so the
# readings end about now. A fire starts in bin-0002 five minutes in: the bin-fire rule raises it.
start=$(date -u -d '-20 minutes' +%Y-%m-%dT%H:%M:%SZ)
"$bin/streetgate-sim" --url "mqtt://127.0.0.1:$port" --city fes --meters 8 --bins 6 --lamps 6 --air 3 \
    --interval 60s --speed 60 --rate 0 --start "$start" --duration 20s \
    --incident "bin-fire:bin-0002" >"$run/simulator.log" 2>&1 &
pids+=($!)

# A few broken payloads, as a faulty sensor would send them: they end up as dead letters.
sleep 2
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t city/fes/water/meter-0099/flow -m 'not json'
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t city/fes/water/meter-0099/flow -m '{"value":"high"}'
mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t city/fes/water/meter-0099/flow -m '{"value":1e999}'

echo "demo: simulator running; status in 20 s…"
sleep 20
echo
"$bin/streetgate" status --config "$run/streetgate.toml"
echo
echo "demo: the hub received (topic, then the start of each payload):"
cut -c1-160 "$run/hub-received.txt" | grep -v '/aggregates ' | head -n 8
grep '/aggregates ' "$run/hub-received.txt" | cut -c1-160 | head -n 3
echo "demo: $(grep -c '/aggregates ' "$run/hub-received.txt" || true) aggregate batches, $(grep -c '/alerts ' "$run/hub-received.txt" || true) alert events in all ($run/hub-received.txt)"
echo
echo "demo: streetgate check --online (what a technician runs when commissioning)"
"$bin/streetgate" check --online --config "$run/streetgate.toml" || true
