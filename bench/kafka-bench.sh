#!/usr/bin/env bash
# Kafka intake benchmark: N records end to end through Kafka, reported against the same N through
# HTTP and against a bare consume->produce->commit loop, measured in the same run (ratios).
# Starts its own in-JVM KRaft broker and gateway; nothing is left running.
#   bench/kafka-bench.sh [N]      (default 500; CI=true makes it 100)
#   BENCH_DB_URL='jdbc:h2:file:/tmp/b/e;WRITE_DELAY=500' bench/kafka-bench.sh   (another database)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-$([ "${CI:-}" = true ] && echo 100 || echo 500)}
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# the gateway logs to stdout: keep it in a file and show the report
if java -Xmx1g ${BENCH_DB_URL:+-Dbench.datasource.url=$BENCH_DB_URL} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench/KafkaBench.java "$N" \
    > target/kafka-bench.log 2>&1; then
  grep -A7 '^Database: ' target/kafka-bench.log | grep '^Database\|^N = \|^  [A-Za-z]'
else
  tail -30 target/kafka-bench.log >&2; echo "benchmark failed; see target/kafka-bench.log" >&2; exit 1
fi
