import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;

/**
 * End-to-end engagements/s through Kafka (record on engagement.requests -> validate, decide, MCP
 * call, SQL -> result on engagement.results, offset committed), against two baselines measured in
 * the same run on the same machine: the same N through HTTP (one client, one request at a time,
 * like the one consumer thread), and a bare consume -> produce -> commit loop with no gateway.
 * Run with bench/kafka-bench.sh [N].
 */
public class KafkaBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        try (KafkaBroker broker = KafkaBroker.start()) {
            bootstrap = broker.bootstrapServers();
            Map<String, String> topics = broker.freshTopics("bench", 1);
            Map<String, String> props = new HashMap<>(topics);
            props.put("engagement.sandbox.rate-limit", "100000000");
            if (System.getProperty("bench.datasource.url") != null) {
                props.put("engagement.datasource.url", System.getProperty("bench.datasource.url"));
            }
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("bench-kafka"), props)) {
                warmUp(gateway, broker, topics);
                double http = http(gateway, n);
                double kafka = kafka(broker, topics, n);
                double bare = bare(broker, n);
                System.out.printf("%nDatabase: %s%n", props.getOrDefault("engagement.datasource.url", "embedded H2 (default)"));
                System.out.printf("N = %d engagements (likes on distinct targets, 4 platforms, embedded H2, in-process sandbox)%n", n);
                System.out.printf("  HTTP, one client, sequential      : %8.1f engagements/s%n", http);
                System.out.printf("  bare consume->produce->commit loop: %8.1f records/s%n", bare);
                System.out.printf("  Kafka intake, end to end          : %8.1f engagements/s%n", kafka);
                System.out.printf("  ratio Kafka / HTTP                : %8.2f%n", kafka / http);
                System.out.printf("  ratio Kafka / bare Kafka loop     : %8.2f%n", kafka / bare);
            }
        }
        // client libraries leave non-daemon threads behind; everything is closed, so end here
        System.exit(0);
    }

    private static final String[][] PLATFORMS = {{"twitter", "tweet_"}, {"instagram", "post_"}, {"tiktok", "video_"}, {"threads", "thread_"}};

    private static String like(String run, int i) {
        String[] p = PLATFORMS[i % 4];
        return "{\"action\": \"like\", \"platform\": \"" + p[0] + "\", \"target\": \"" + p[1] + run + "_" + i
                + "\", \"request_id\": \"" + run + "-" + i + "\"}";
    }

    private static void warmUp(RunningGateway gateway, KafkaBroker broker, Map<String, String> topics) throws Exception {
        for (int i = 0; i < 50; i++) {
            gateway.submit(like("warm-http", i));
            broker.send(topics.get("engagement.kafka.topics.requests"), PLATFORMS[i % 4][0], like("warm-kafka", i));
        }
        broker.await(topics.get("engagement.kafka.topics.results"), rs -> rs.size() >= 50, Duration.ofSeconds(60));
    }

    private static double http(RunningGateway gateway, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            RunningGateway.Answer a = gateway.submit(like("http", i));
            if (a.status() != 200) {
                throw new IllegalStateException("HTTP answered " + a.raw());
            }
        }
        return n / seconds(start);
    }

    private static double kafka(KafkaBroker broker, Map<String, String> topics, int n) throws Exception {
        String requests = topics.get("engagement.kafka.topics.requests");
        try (KafkaConsumer<String, byte[]> results = consumer(null)) {
            TopicPartition tp = new TopicPartition(topics.get("engagement.kafka.topics.results"), 0);
            results.assign(List.of(tp));
            results.seekToEnd(List.of(tp));
            results.position(tp);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(requests, PLATFORMS[i % 4][0], like("kafka", i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                Set<String> seen = new HashSet<>();
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (seen.size() < n) {
                    for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(100))) {
                        if (r.key().startsWith("kafka-")) {
                            seen.add(r.key());
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + seen.size() + " results of " + n);
                    }
                }
                return n / seconds(start);
            }
        }
    }

    /** The Kafka plumbing alone: the same records consumed, each produced on and committed, no gateway. */
    private static double bare(KafkaBroker broker, int n) throws Exception {
        broker.createTopic("bare.in", 1);
        broker.createTopic("bare.out", 1);
        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> consumer = consumer("bare")) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("bare.in", PLATFORMS[i % 4][0], like("bare", i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            consumer.subscribe(List.of("bare.in"));
            int done = 0;
            long start = System.nanoTime();
            while (done < n) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>("bare.out", r.key(), r.value())).get();
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                    done++;
                }
            }
            return n / seconds(start);
        }
    }

    private static String bootstrap;

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
