#!/usr/bin/env bash
# Requests per second through embedded Jetty, driven by wrk over loopback, one mode after the other in one run:
#   GET /listen/<id> without the filter, with the filter and a store that does nothing (the request thread's own
#   cost), with the filter into SQLite on the same cores; then POST of a progress report to the filter's endpoint
#   beside a trivial POST servlet; then HLS segment and on-demand file requests with the filter beside the same
#   servlets without it, alternating for ROUNDS rounds. Each run is bounded in time (DURATION) with a fixed number of connections.
# Usage: listen-log-bench/filter-overhead.sh   (after ./mvnw -pl listen-log-bench -am package)
#        MODES=paths ROUNDS=4 listen-log-bench/filter-overhead.sh   (HLS and file modes only, four rounds)
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
PORT=${PORT:-18080}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
ROUNDS=${ROUNDS:-2}         # rounds of the HLS and file modes, alternating with and without the filter
MODES=${MODES:-all}         # "paths": only the HLS and file modes
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl listen-log-bench -am package" >&2; exit 1; }

# wrk's Lua hooks: every GET a different station id, as real traffic would be; every POST a report.
gets=$(mktemp --suffix=.lua)
posts=$(mktemp --suffix=.lua)
trap 'rm -f "$gets" "$posts"' EXIT
cat > "$gets" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/listen/" .. (counter % 10 + 1))
end
LUA

measure() { # label, script, server pid, server log: a warm-up, the measured run, then the server's own counts
  local label=$1 script=$2 server=$3 log=$4
  wrk -t1 -c"$CONNECTIONS" -d5s -s "$script" "http://127.0.0.1:$PORT" > /dev/null   # warm-up
  echo "== $label: wrk -t1 -c$CONNECTIONS -d$DURATION"
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$PORT" \
    | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
  kill "$server"; wait "$server" || true
  grep -E "^[a-z-]+: " "$log" || true
}

run() { # mode, label, script, [path]
  local mode=$1 label=$2 script=$3 log="target/$1.log"
  java -cp "$JAR" io.listenlog.bench.FilterOverheadServer "$mode" "$PORT" > "$log" 2>&1 &
  local server=$!
  for _ in $(seq 1 100); do grep -q "^ready" "$log" 2>/dev/null && break; sleep 0.2; done
  if [ "$mode" = progress ] || [ "$label" = trivial-post ]; then
    local token
    token=$(grep '^token ' "target/progress-token.txt" 2>/dev/null | cut -d' ' -f2 || true)
    [ "$mode" = progress ] && token=$(grep '^token ' "$log" | cut -d' ' -f2) && echo "token $token" > target/progress-token.txt
    local path=/listen/1/progress
    [ "$label" = trivial-post ] && path=/post
    cat > "$posts" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "token=$token&seconds=1"
request = function() return wrk.format(nil, "$path") end
LUA
    script=$posts
  fi
  measure "$label" "$script" "$server" "$log"
}

if [ "$MODES" != paths ]; then
  run without-filter without-filter "$gets"
  run no-op-store filter-no-op-store "$gets"
  run with-filter filter-sqlite "$gets"
  run progress progress-endpoint "$gets"
  run without-filter trivial-post "$gets"
fi

# HLS segments and on-demand files, each beside the same servlets without the filter (store doing nothing).
segment_query=""
path_run() { # mode, label, path
  local mode=$1 label=$2 path=$3 log="target/$1-$2.log" script
  script=$(mktemp --suffix=.lua)
  java -cp "$JAR" io.listenlog.bench.FilterOverheadServer "$mode" "$PORT" > "$log" 2>&1 &
  local server=$!
  for _ in $(seq 1 100); do grep -q "^ready" "$log" 2>/dev/null && break; sleep 0.2; done
  if [ "$mode" = hls ]; then segment_query=$(grep '^segment ' "$log" | cut -d' ' -f2); fi
  [ -n "$segment_query" ] && path=${path//QUERY/"$segment_query"}   # quoted: bash 5.2 reads & in a replacement as the match
  printf 'request = function() return wrk.format("GET", "%s") end\n' "$path" > "$script"
  measure "$label" "$script" "$server" "$log"
  rm -f "$script"
  if [ "$mode" = hls ] && grep -q "segments=0," "$log"; then
    echo "$label counted no segment: the token in the segment URI was not accepted" >&2; exit 1
  fi
}
for round in $(seq 1 "$ROUNDS"); do
  path_run hls "hls-segment-filter-$round" "/hls/1/seg.ts?QUERY"
  path_run without-filter "hls-segment-trivial-$round" "/hls/1/seg.ts?QUERY"
  path_run files "file-filter-$round" "/files/1/episode.mp3"
  path_run without-filter "file-trivial-$round" "/files/1/episode.mp3"
done
