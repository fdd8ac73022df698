#!/usr/bin/env bash
# The StreetGate demo: a mosquitto broker on 127.0.0.1, the city sensor simulator, and the gateway,
# all started here and all stopped on exit. After about 20 s it prints `streetgate status`.
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

# A free loopback port for the demo broker.
port=18830
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

cat >"$run/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $run/
log_dest file $run/mosquitto.log
CONF
[[ $(id -u) -ne 0 ]] || echo "user root" >>"$run/mosquitto.conf"
mosquitto -c "$run/mosquitto.conf" 2>>"$run/mosquitto.log" &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "demo: mosquitto on 127.0.0.1:$port"

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
