package dev.engagement.gateway.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.Json;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node) in the test JVM, from the Kafka
 * Maven artifacts (kafka.testkit.KafkaClusterTestKit), plus the few client calls the tests need.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final ContractValidator CONTRACT = new ContractValidator(Json.newObjectMapper());

    private final KafkaClusterTestKit cluster;
    private final KafkaProducer<String, byte[]> producer;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static KafkaBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "1")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Topics of their own for one test: requests (with the given partitions), results, dead letters. */
    public Map<String, String> freshTopics(String prefix, int partitions) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String requests = prefix + "." + suffix + ".requests";
        String results = prefix + "." + suffix + ".results";
        String dlq = requests + ".dlq";
        createTopic(requests, partitions);
        createTopic(results, partitions);
        createTopic(dlq, 1);
        return Map.of("engagement.kafka.topics.requests", requests, "engagement.kafka.topics.results", results,
                "engagement.kafka.topics.dead-letters", dlq, "engagement.kafka.brokers", bootstrapServers(),
                "engagement.kafka.group-id", "gw-" + suffix);
    }

    public void send(String topic, String key, String value) throws Exception {
        send(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    public void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Sends many records at once (keyed as given, in order), then waits until the broker has them all. */
    public void sendAll(String topic, List<Map.Entry<String, String>> keyedValues) {
        for (Map.Entry<String, String> r : keyedValues) {
            producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    /** Every record now on the topic, read from the beginning. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** Waits until the condition on the topic's records holds; returns the records then. */
    public List<ConsumerRecord<String, byte[]>> await(String topic, java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> condition,
                                                      Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, byte[]>> records = readAll(topic);
        while (!condition.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on " + topic + "; it holds " + records.size() + " records: "
                        + records.stream().limit(50).map(r -> r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8)).toList()
                        + (records.size() > 50 ? " ..." : ""));
            }
            Thread.sleep(200);
            records = readAll(topic);
        }
        return records;
    }

    /**
     * The gateway's results published on the topic under a key (a request id), once there are at least this many, each
     * checked: a valid EngagementResult of contract.json, its status also in the header engagement-status (a consumer
     * can filter on it without parsing the value).
     */
    public List<com.fasterxml.jackson.databind.JsonNode> results(String topic, String key, int atLeast, Duration timeout) throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : await(topic, rs -> rs.stream().filter(x -> key.equals(x.key())).count() >= atLeast, timeout)) {
            if (key.equals(r.key())) {
                com.fasterxml.jackson.databind.JsonNode node = RunningGateway.json(new String(r.value(), StandardCharsets.UTF_8));
                assertEquals(List.of(), CONTRACT.violations("EngagementResult", node), "result must validate against EngagementResult: " + node);
                org.apache.kafka.common.header.Header status = r.headers().lastHeader("engagement-status");
                assertNotNull(status, "header engagement-status of " + node);
                assertEquals(node.path("status").asText(), new String(status.value(), StandardCharsets.UTF_8), node.toString());
                out.add(node);
            }
        }
        return out;
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        cluster.close();
    }
}
