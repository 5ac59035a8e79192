#!/usr/bin/env bash
# Kafka intake benchmark: N likes end to end through Kafka against the same N through HTTP at
# concurrency 8 and against a bare consume->produce->commit loop, measured in the same run (ratios),
# with produce-to-result latency and the gateway's CPU per engagement. Starts its own in-JVM KRaft broker
# and sandbox platforms, and the gateway in a process of its own; nothing is left running.
#   bench/kafka-bench.sh [N]          (default 2000 per path and round, 3 rounds; CI=true makes it 200 and 1 round)
#   BENCH_OPTS="-Dbench.partitions=8 -Dengagement.kafka.consumers=8" bench/kafka-bench.sh
#   BENCH_OPTS="-Dtest.database=postgres" bench/kafka-bench.sh (the machine's PostgreSQL, a schema of its own)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-$([ "${CI:-}" = true ] && echo 200 || echo 2000)}
QUICK=$([ "${CI:-}" = true ] && echo "-Dbench.rounds=1 -Dbench.warm-up-seconds=10" || true)
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# the gateway logs to stdout: keep it in a file and show the report
if java -Xmx1g $QUICK ${BENCH_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench/KafkaBench.java "$N" \
    > target/kafka-bench.log 2>&1; then
  grep "^round \|^Database: \|^N = \|^  [A-Za-z]" target/kafka-bench.log
else
  tail -30 target/kafka-bench.log >&2; echo "benchmark failed; see target/kafka-bench.log" >&2; exit 1
fi
