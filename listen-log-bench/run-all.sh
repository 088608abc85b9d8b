#!/usr/bin/env bash
# Every benchmark of docs/performance.md, one after the other in one run, so the figures sit side by side.
#   listen-log-bench/run-all.sh          the full preset (about 15 minutes on 2 cores)
#   listen-log-bench/run-all.sh quick    the quick preset (about 2 minutes; wide error bars)
# The PostgreSQL runs happen when LISTENLOG_TEST_POSTGRES_URL is set (the one through Redis also needs
# LISTENLOG_TEST_REDIS_URL; the quick preset leaves both out); the filter-overhead run needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=listen-log-bench/target/benchmarks.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl listen-log-bench -am package -DskipTests

if [ "${1:-full}" = quick ]; then
  java -jar "$JAR" -f 1 -wi 1 -w 1s -i 2 -r 1s -p database=sqlite -prof gc -e RedisStreamsBenchmark -e PurgeBenchmark -e AudienceBenchmark
  exit 0
fi

echo "### 1. hot path, saturating producers (default queue), side by side with Log4j2 and Logback"
java -jar "$JAR" HotPathBenchmark -prof gc
echo "### 1b. hot path, accept path only (queue drained between short iterations)"
java -jar "$JAR" HotPathBenchmark -p logger=listen-log -p queueCapacity=8388608 -bm sample \
  -wi 5 -w 300ms -i 10 -r 300ms -prof gc
echo "### 1c. bytes the calling thread allocates per log() (accept path)"
java -jar "$JAR" HotPathBenchmark.threads1 -p logger=listen-log -p queueCapacity=8388608 -bm thrpt \
  -wi 5 -w 300ms -i 10 -r 300ms
echo "### 5. listen identity and listening time on the request thread"
java -jar "$JAR" IdentityBenchmark -prof gc
echo "### 13. the filter per HLS segment and per file request, in one JVM beside the same servlets without it"
java -jar "$JAR" SegmentRequestBenchmark -f 2 -prof gc
echo "### 8. classifying a client"
java -jar "$JAR" ClassifierBenchmark
echo "### 2. end to end into SQLite"
java -jar "$JAR" EndToEndBenchmark -p database=sqlite
if [ -n "${LISTENLOG_TEST_POSTGRES_URL:-}" ]; then
  echo "### 3. end to end into PostgreSQL"
  java -jar "$JAR" EndToEndBenchmark -p database=postgresql -p design=listen-log,sketch,raw-batch,raw-copy
  if [ -n "${LISTENLOG_TEST_REDIS_URL:-}" ]; then
    echo "### 6. through Redis Streams into PostgreSQL"
    java -jar "$JAR" RedisStreamsBenchmark
  fi
  echo "### 7. purging a month: batched DELETE vs dropping a partition"
  java -jar "$JAR" PurgeBenchmark
  if [ -n "${LISTENLOG_TEST_MARIADB_URL:-}" ]; then
    echo "### 9. audience figures, rolled up and raw"
    java -jar "$JAR" AudienceBenchmark -p database=sqlite,postgresql,mariadb
  fi
fi
if command -v wrk >/dev/null; then
  echo "### 4. filter overhead in embedded Jetty"
  listen-log-bench/filter-overhead.sh
fi
echo "### 10. bytes per stored listen (PostgreSQL and MariaDB when their variables are set)"
java -cp "$JAR" io.listenlog.bench.StorageFootprint 200000
