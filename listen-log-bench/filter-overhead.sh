#!/usr/bin/env bash
# Requests per second through embedded Jetty for GET /listen/<id>, without and then with ListenLogFilter, driven by
# wrk over loopback. Each run is bounded in time (DURATION) and uses a fixed number of connections.
# Usage: listen-log-bench/filter-overhead.sh   (after ./mvnw -pl listen-log-bench -am package)
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
PORT=${PORT:-18080}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl listen-log-bench -am package" >&2; exit 1; }

# wrk's Lua hook: every request a different station id, as real traffic would be.
script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"' EXIT
cat > "$script" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/listen/" .. (counter % 10 + 1))
end
LUA

for mode in without-filter with-filter; do
  java -cp "$JAR" io.listenlog.bench.FilterOverheadServer "$mode" "$PORT" > "target/$mode.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do grep -q "^ready" "target/$mode.log" 2>/dev/null && break; sleep 0.2; done
  wrk -t1 -c"$CONNECTIONS" -d5s -s "$script" "http://127.0.0.1:$PORT" > /dev/null   # warm-up
  echo "== $mode: wrk -t1 -c$CONNECTIONS -d$DURATION"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$PORT" \
    | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
  kill "$server"; wait "$server" || true
  grep -E "^(with|without)-filter:" "target/$mode.log" || true
done
