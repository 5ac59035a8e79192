#!/usr/bin/env bash
# A local single-node Kafka (KRaft, no ZooKeeper, no Docker) from the project's own Maven artifacts
# (org.apache.kafka:kafka_2.13 and kafka-tools at the version in pom.xml), for trying the Kafka intake.
#
#   bench/kafka-local.sh start            # broker on localhost:9092, data under target/kafka-local
#   bench/kafka-local.sh topics           # create engagement.requests (4 partitions: one per consumer thread of a gateway), .results, .requests.dlq
#   bench/kafka-local.sh produce          # console producer on engagement.requests, "key|json" per line
#   bench/kafka-local.sh consume [topic]  # console consumer from the beginning (default engagement.results)
#   bench/kafka-local.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=target/kafka-local
PORT=${KAFKA_PORT:-9092}
BOOT=localhost:$PORT
mkdir -p "$DIR"

classpath() {
  if [ ! -s "$DIR/classpath.txt" ] || [ pom.xml -nt "$DIR/classpath.txt" ]; then
    mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DIR/classpath.txt" >&2
  fi
  cat "$DIR/classpath.txt"
}

run() { java -Xmx512m -cp "$(classpath)" "$@"; }

case "${1:-}" in
  start)
    if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then echo "already running (pid $(cat "$DIR/pid"))"; exit 0; fi
    cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$((PORT + 1))
listeners=PLAINTEXT://localhost:$PORT,CONTROLLER://localhost:$((PORT + 1))
advertised.listeners=PLAINTEXT://localhost:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$PWD/$DIR/data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    if [ ! -f "$DIR/data/meta.properties" ]; then
      run kafka.tools.StorageTool format -t "$(run kafka.tools.StorageTool random-uuid)" -c "$DIR/server.properties" >/dev/null
    fi
    nohup java -Xmx512m -cp "$(classpath)" kafka.Kafka "$DIR/server.properties" > "$DIR/broker.log" 2>&1 &
    echo $! > "$DIR/pid"
    for _ in $(seq 1 60); do
      if run org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --list >/dev/null 2>&1; then
        echo "Kafka is up on $BOOT (pid $(cat "$DIR/pid"), log $DIR/broker.log)"; exit 0
      fi
      sleep 1
    done
    echo "Kafka did not come up; see $DIR/broker.log" >&2; exit 1 ;;
  topics)
    for t in engagement.requests engagement.results engagement.requests.dlq; do
      run org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --if-not-exists --topic "$t" --partitions 4
    done ;;
  produce)
    run kafka.tools.ConsoleProducer --bootstrap-server "$BOOT" --topic "${2:-engagement.requests}" \
      --property parse.key=true --property 'key.separator=|' ;;
  consume)
    run org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BOOT" --topic "${2:-engagement.results}" \
      --from-beginning --property print.key=true --property print.headers=true ;;
  stop)
    if [ -f "$DIR/pid" ]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; rm -f "$DIR/pid"; echo stopped; fi ;;
  *)
    sed -n '2,10p' "$0"; exit 2 ;;
esac
