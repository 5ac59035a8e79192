import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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

import dev.engagement.gateway.support.GatewayProcess;
import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.StandaloneSandbox;
import dev.engagement.gateway.support.TestDatabase;

/**
 * The Kafka intake against the HTTP path of the same gateway, in one run on one machine: N likes on
 * distinct targets over the four platforms, each with a request id, through HTTP at concurrency 8, then
 * through Kafka (records keyed by 64 accounts over the requests topic's partitions; each engagement
 * counts once its result record arrived, so its row is durable and its offset about to be committed),
 * and a bare consume -> produce -> commit loop with no gateway. The gateway runs in a process of its own
 * (its CPU time per engagement is read from /proc); the broker, the sandbox platforms and the load live
 * in this JVM. Run with bench/kafka-bench.sh [N].
 */
public class KafkaBench {

    private static final int ACCOUNTS = 64;

    private static String bootstrap;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int partitions = Integer.getInteger("bench.partitions", 4);
        int warmSeconds = Integer.getInteger("bench.warm-up-seconds", 60);
        int rounds = Integer.getInteger("bench.rounds", 3);
        // more than one: that many gateways in one consumer group on one database; HTTP goes to the first only
        int instances = Integer.getInteger("bench.instances", 1);
        try (KafkaBroker broker = KafkaBroker.start(); StandaloneSandbox sandbox = new StandaloneSandbox()) {
            bootstrap = broker.bootstrapServers();
            Map<String, String> topics = broker.freshTopics("bench", partitions);
            Map<String, String> props = new HashMap<>(topics);
            props.putAll(sandbox.gatewayOverrides());
            // the benchmark measures the gateway, not the platforms' budgets: lifted for its run
            props.putAll(StandaloneSandbox.liftedBudgets());
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("engagement."))
                    .forEach(k -> props.put(k, System.getProperty(k)));
            String consumers = props.getOrDefault("engagement.kafka.consumers", shipped("engagement.kafka.consumers") + " (the shipped default)");
            Path data = Files.createTempDirectory("bench-kafka");
            if (instances > 1) {
                props.putAll(TestDatabase.sharedOverridesFor(data));
            }
            List<GatewayProcess> gateways = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    gateways.add(GatewayProcess.start(data, props, Path.of("target", "kafka-bench-gateway" + (i == 0 ? "" : "-" + (i + 1)) + ".log")));
                }
                GatewayProcess gateway = gateways.get(0);
                warmUp(gateways, topics, warmSeconds);
                // the machine is shared and noisy: the two paths alternate, and each figure is the median over rounds
                List<Phase> https = new ArrayList<>();
                List<Phase> kafkas = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    Phase http = http(gateway, n, "http" + round);
                    Phase kafka = kafka(gateways, topics, n, "kafka" + round);
                    https.add(http);
                    kafkas.add(kafka);
                    ratios.add(kafka.rate / http.rate);
                    System.out.printf("round %d: HTTP c8 %.1f/s, Kafka %.1f/s, ratio %.2f%n", round + 1, http.rate, kafka.rate, kafka.rate / http.rate);
                }
                double bare = bare(broker, n);
                Phase http = Phase.median(https);
                Phase kafka = Phase.median(kafkas);
                System.out.printf("%nDatabase: %s%n", props.getOrDefault("engagement.datasource.url",
                        System.getProperty("test.database", "embedded H2 (default)")));
                System.out.printf("N = %d likes on distinct targets over 4 platforms, %d rounds (medians); requests topic of %d partitions,"
                        + " keyed by %d accounts; engagement.kafka.consumers = %s; gateway instances in the group = %d%n", n, rounds, partitions, ACCOUNTS,
                        consumers, instances);
                System.out.printf("  HTTP, concurrency 8               : %8.1f engagements/s  p50 %6.1f ms  p99 %6.1f ms  CPU %5.2f ms per engagement%n",
                        http.rate, http.p50, http.p99, http.cpuMs);
                System.out.printf("  Kafka intake, produce -> result   : %8.1f engagements/s  p50 %6.1f ms  p99 %6.1f ms  CPU %5.2f ms per engagement%n",
                        kafka.rate, kafka.p50, kafka.p99, kafka.cpuMs);
                System.out.printf("  bare consume->produce->commit loop: %8.1f records/s%n", bare);
                System.out.printf("  ratio Kafka / HTTP at concurrency 8: %6.2f (median of the rounds' ratios; each round %s)%n", median(ratios),
                        ratios.stream().map(r -> String.format("%.2f", r)).toList());
                System.out.printf("  ratio Kafka / bare Kafka loop      : %6.2f%n", kafka.rate / bare);
            } finally {
                for (GatewayProcess g : gateways) {
                    g.close();
                }
            }
        }
        // client libraries leave non-daemon threads behind; everything is closed, so end here
        System.exit(0);
    }

    /** Throughput, latency (ms) and the gateway's CPU per engagement of one phase. */
    private record Phase(double rate, double p50, double p99, double cpuMs) {
        /** Each figure's median over the rounds. */
        static Phase median(List<Phase> rounds) {
            return new Phase(KafkaBench.median(rounds.stream().map(Phase::rate).toList()), KafkaBench.median(rounds.stream().map(Phase::p50).toList()),
                    KafkaBench.median(rounds.stream().map(Phase::p99).toList()), KafkaBench.median(rounds.stream().map(Phase::cpuMs).toList()));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    private static String like(String run, int i) {
        String[] p = StandaloneSandbox.LIKE_TARGETS[i % 4];
        return "{\"action\": \"like\", \"platform\": \"" + p[0] + "\", \"target\": \"" + p[1] + run + "_" + StandaloneSandbox.letters(i)
                + "\", \"request_id\": \"" + run + "-" + i + "\"}";
    }

    /** Both paths, until the gateway's JIT has seen them for a while. */
    private static void warmUp(List<GatewayProcess> gateways, Map<String, String> topics, int seconds) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int round = 0;
        while (System.nanoTime() < end) {
            for (GatewayProcess gateway : gateways) {
                http(gateway, 400, "warmhttp" + gateways.indexOf(gateway) + "x" + round);
            }
            kafka(gateways, topics, 400, "warmkafka" + round);
            round++;
        }
    }

    private static Phase http(GatewayProcess gateway, int n, String run) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        double[] latencies = new double[n];
        long cpu0 = cpuMillis(gateway.pid());
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            clients.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/engagements"))
                            .header("Authorization", "Bearer " + RunningGateway.AGENT).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(like(run, i))).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP answered " + r.statusCode() + " " + r.body());
                    }
                    latencies[i] = (System.nanoTime() - t0) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        double seconds = seconds(start);
        long cpu = cpuMillis(gateway.pid()) - cpu0;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Phase(n / seconds, latencies[n / 2], latencies[(int) (n * 0.99)], (double) cpu / n);
    }

    /** The gateways' CPU is summed: with more than one, each engagement runs on whichever owns its partition. */
    private static Phase kafka(List<GatewayProcess> gateways, Map<String, String> topics, int n, String run) throws Exception {
        String requests = topics.get("engagement.kafka.topics.requests");
        String resultsTopic = topics.get("engagement.kafka.topics.results");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        double[] latencies = new double[n];
        try (KafkaConsumer<String, byte[]> results = consumer(null)) {
            List<TopicPartition> parts = results.partitionsFor(resultsTopic).stream()
                    .map(p -> new TopicPartition(resultsTopic, p.partition())).toList();
            results.assign(parts);
            results.seekToEnd(parts);
            parts.forEach(results::position);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                long cpu0 = cpuMillis(gateways);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sentAt.put(run + "-" + i, System.nanoTime());
                    producer.send(new ProducerRecord<>(requests, "account-" + (i % ACCOUNTS), like(run, i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                int seen = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (seen < n) {
                    for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(50))) {
                        Long t0 = sentAt.remove(r.key());
                        if (t0 != null) {
                            latencies[seen++] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + seen + " results of " + n);
                    }
                }
                double seconds = seconds(start);
                long cpu = cpuMillis(gateways) - cpu0;
                Arrays.sort(latencies);
                return new Phase(n / seconds, latencies[n / 2], latencies[(int) (n * 0.99)], (double) cpu / n);
            }
        }
    }

    /** The Kafka plumbing alone: the same records consumed, each produced on and committed, no gateway. */
    private static double bare(KafkaBroker broker, int n) throws Exception {
        broker.createTopic("bare.in", 1);
        broker.createTopic("bare.out", 1);
        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> consumer = consumer("bare")) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("bare.in", "account-" + (i % ACCOUNTS), like("bare", i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            consumer.subscribe(List.of("bare.in"));
            int done = 0;
            long start = System.nanoTime();
            while (done < n) {
                // as the intake does: each result acknowledged before the next record, one async commit per poll
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>("bare.out", r.key(), r.value())).get();
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    done++;
                }
                consumer.commitAsync(offsets, null);
            }
            return n / seconds(start);
        }
    }

    /** A setting's value in the project's application.properties. */
    private static String shipped(String key) throws Exception {
        Properties shipped = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        return shipped.getProperty(key);
    }

    private static long cpuMillis(List<GatewayProcess> gateways) throws Exception {
        long sum = 0;
        for (GatewayProcess g : gateways) {
            sum += cpuMillis(g.pid());
        }
        return sum;
    }

    /** User + system CPU time of a process, in ms (Linux /proc; 100 clock ticks per second). */
    private static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
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
