#!/usr/bin/env bash
# listen-log end to end into PostgreSQL beside the raw COPY limit, alternating the two designs ROUNDS times (default
# 3) so that the drift of a shared machine (checkpoints, autovacuum, other load) falls on both alike. Prints each
# trial's plays/s and the ratio of the sums. BATCH_SIZE sets the logger's batchSize (default 1000, its default).
# Needs LISTENLOG_TEST_POSTGRES_URL; about 1.5 minutes per round.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=listen-log-bench/target/benchmarks.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl listen-log-bench -am package -DskipTests
: "${LISTENLOG_TEST_POSTGRES_URL:?set it to a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
rounds=${1:-3}
declare -A sum=([listen-log]=0 [raw-copy]=0)
for round in $(seq 1 "$rounds"); do
  for design in listen-log raw-copy; do
    plays=$(java -jar "$JAR" 'io.listenlog.bench.EndToEndBenchmark' -p database=postgresql -p design="$design" \
        -p batchSize="${BATCH_SIZE:-1000}" \
        -f 1 -wi 2 -w 5s -i 3 -r 10s 2>&1 | awk '/round:plays/ && /thrpt/ {print $(NF-3)}')
    echo "round $round $design: $plays plays/s"
    sum[$design]=$(echo "${sum[$design]} + $plays" | bc)
  done
done
echo "listen-log / raw COPY: $(echo "scale=3; ${sum[listen-log]} / ${sum[raw-copy]}" | bc)"
