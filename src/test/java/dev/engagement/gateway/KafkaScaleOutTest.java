package dev.engagement.gateway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.sandbox.SandboxPlatform;
import dev.engagement.gateway.support.GatewayProcess;
import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.StandaloneSandbox;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once effect through crashes, and scale-out by consumer group. The sandbox platforms run
 * outside the gateways (so their ledger is the one truth across crashes and instances), and the
 * gateway that gets killed runs in a process of its own and dies by SIGKILL.
 */
class KafkaScaleOutTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaBroker broker;
    private static StandaloneSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        sandbox = new StandaloneSandbox();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sandbox != null) {
                sandbox.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static Map<String, String> gatewayProperties(Map<String, String> topics) {
        Map<String, String> p = new HashMap<>(topics);
        p.putAll(sandbox.gatewayOverrides());
        p.put("engagement.resilience.call-timeout-ms", "120000");
        // a killed member's partitions move on after this
        p.put("engagement.kafka.session-timeout-ms", "6000");
        return p;
    }

    @Test
    void afterAKill9MidStreamAndARestartEveryRequestHasOneResultAndEveryActionHappenedOnce() throws Exception {
        Map<String, String> topics = broker.freshTopics("crash", 1);
        String requests = topics.get("engagement.kafka.topics.requests");
        String results = topics.get("engagement.kafka.topics.results");
        Map<String, String> props = gatewayProperties(topics);
        Path data = Files.createTempDirectory("gateway-crash");

        // record 12 is a reply on threads whose answer the platform holds back: the gateway is killed
        // after the platform acted and before the gateway recorded it (engagement left executing), so the
        // batch holding it is not committed and comes again, with the twitter records around it
        int n = 30;
        int trap = 12;
        List<String> keys = new ArrayList<>();
        SandboxPlatform threads = sandbox.platform("threads");
        threads.setAnswerDelayMs(120_000);
        try (GatewayProcess first = GatewayProcess.start(data, props, Path.of("target", "kafka-crash-gateway.log"))) {
            for (int i = 0; i < n; i++) {
                String requestId = i % 7 == 3 ? null : "crash-" + i;
                String body = i == trap
                        ? "{\"action\": \"reply\", \"platform\": \"threads\", \"target\": \"thread_crash_trap\", \"content\": \"On it!\""
                        : "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_crash_" + i + "\"";
                body += requestId == null ? "}" : ", \"request_id\": \"" + requestId + "\"}";
                broker.send(requests, i == trap ? "threads" : "twitter", body);
                keys.add(requestId == null ? "kafka:" + requests + ":0:" + i : requestId);
            }
            awaitLedger("threads", 1);
            broker.await(results, rs -> rs.size() >= trap, WAIT);
            first.kill();
        }
        threads.setAnswerDelayMs(0);
        // the records before the trap were answered; the trap's account waited for the platform when the gateway died
        Map<String, JsonNode> beforeKill = finalResults(broker.readAll(results));
        assertTrue(beforeKill.size() >= trap, "the killed gateway answered the records before the trap: " + beforeKill.keySet());
        assertFalse(beforeKill.containsKey(keys.get(trap)), "the trap was not answered before the kill");

        try (RunningGateway second = RunningGateway.start(data, props)) {
            List<ConsumerRecord<String, byte[]>> all = broker.await(results,
                    rs -> finalResults(rs).keySet().containsAll(keys), WAIT);
            Map<String, JsonNode> byKey = finalResults(all);
            for (String key : keys) {
                JsonNode r = byKey.get(key);
                assertEquals("success", r.path("status").asText(), r.toString());
                // the engagement row is there and agrees (nothing committed before its row was durable)
                RunningGateway.Answer state = second.get("/engagements/" + r.path("engagement_id").asText(), RunningGateway.REVIEWER);
                assertEquals("success", state.text("/status"), state.raw());
            }
        }
        assertEachTargetOnce("twitter", n - 1, "tweet_crash_");
        assertEachTargetOnce("threads", 1, "thread_crash");
    }

    @Test
    void twoInstancesInOneGroupShareThePartitionsAndTheSurvivorTakesOverAKilledOne() throws Exception {
        Map<String, String> topics = broker.freshTopics("scale", 4);
        String requests = topics.get("engagement.kafka.topics.requests");
        String results = topics.get("engagement.kafka.topics.results");
        Map<String, String> props = gatewayProperties(topics);
        Path data = Files.createTempDirectory("gateway-scale");
        props.put("engagement.kafka.consumers", "2");
        // two processes share one database (PostgreSQL in that run, else the embedded H2 in its server mode)
        props.putAll(TestDatabase.sharedOverridesFor(data));
        sandbox.platform("instagram").inject(new dev.engagement.gateway.sandbox.SandboxPlatform.Faults(20L, null, null, null));
        sandbox.platform("twitter").inject(new dev.engagement.gateway.sandbox.SandboxPlatform.Faults(20L, null, null, null));

        List<String> keys = new ArrayList<>();
        try (RunningGateway survivor = RunningGateway.start(data, props);
             GatewayProcess other = GatewayProcess.start(data, props, Path.of("target", "kafka-scale-gateway.log"))) {
            sendBatch(requests, 0, 40, keys);
            broker.await(results, rs -> finalResults(rs).keySet().containsAll(keys), WAIT);

            awaitBothOwnPartitions(topics);

            sendBatch(requests, 40, 80, keys);
            Thread.sleep(300);
            other.kill();
            List<ConsumerRecord<String, byte[]>> all = broker.await(results, rs -> finalResults(rs).keySet().containsAll(keys), WAIT);
            Map<String, JsonNode> byKey = finalResults(all);
            for (String key : keys) {
                assertEquals("success", byKey.get(key).path("status").asText(), byKey.get(key).toString());
            }
        } finally {
            sandbox.platform("instagram").inject(new dev.engagement.gateway.sandbox.SandboxPlatform.Faults(0L, null, null, null));
            sandbox.platform("twitter").inject(new dev.engagement.gateway.sandbox.SandboxPlatform.Faults(0L, null, null, null));
        }
        long twitterTargets = keys.stream().filter(k -> Integer.parseInt(k.substring(k.lastIndexOf('-') + 1)) % 2 == 0).count();
        assertEachTargetOnce("twitter", twitterTargets, "tweet_scale_");
        assertEachTargetOnce("instagram", keys.size() - twitterTargets, "post_scale_");
    }

    /**
     * At the intake's full rate: 5,000 likes over the four platforms on four partitions, the gateway killed
     * with SIGKILL at a random moment while records are in flight (its commits batched per poll, so up to a
     * poll's worth of records per partition is redelivered), then started again on the same data.
     */
    @Test
    void fiveThousandRecordsThroughAKill9AtARandomMomentEachExecutedOnce() throws Exception {
        // the volume run of the one-instance story, on the embedded H2 (PostgreSQL has the two-instance volume run
        // below, and the smaller crash test above runs on both); it keeps the suite's time in bounds
        org.junit.jupiter.api.Assumptions.assumeFalse(TestDatabase.isPostgres(), "the one-instance volume run is on the embedded H2");
        Map<String, String> topics = broker.freshTopics("volume", 4);
        Map<String, String> props = volumeProperties(topics);
        Path data = Files.createTempDirectory("gateway-volume");
        List<String> keys = sendLikes(topics.get("engagement.kafka.topics.requests"), "vol", 5_000);
        int killAfter = 500 + new java.util.Random().nextInt(3_500);
        try (GatewayProcess first = GatewayProcess.start(data, props, Path.of("target", "kafka-volume-gateway.log"))) {
            broker.await(topics.get("engagement.kafka.topics.results"), rs -> rs.size() >= killAfter, Duration.ofMinutes(2));
            first.kill();
            System.out.println("killed the gateway after " + killAfter + " results");
        }
        int before = finalResults(broker.readAll(topics.get("engagement.kafka.topics.results"))).size();
        assertTrue(before < keys.size(), "killed while records were in flight (" + before + " answered, after " + killAfter + ")");
        try (RunningGateway second = RunningGateway.start(data, props)) {
            assertVolumeDoneOnce(topics, keys, "vol");
        }
    }

    /** Two instances share the 5,000 likes; one is killed with SIGKILL at a random moment; the survivor finishes. */
    @Test
    void fiveThousandRecordsOverTwoInstancesOneKilledEachExecutedOnce() throws Exception {
        // the volume run of the shared-database story, on PostgreSQL (the embedded H2's shared mode has the
        // smaller two-instance test above); it keeps the suite's time in bounds
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabase.isPostgres(), "the two-instance volume run is on PostgreSQL");
        Map<String, String> topics = broker.freshTopics("volume2", 4);
        Map<String, String> props = volumeProperties(topics);
        Path data = Files.createTempDirectory("gateway-volume2");
        props.put("engagement.kafka.consumers", "2");
        props.putAll(TestDatabase.sharedOverridesFor(data));
        try (RunningGateway survivor = RunningGateway.start(data, props);
             GatewayProcess other = GatewayProcess.start(data, props, Path.of("target", "kafka-volume2-gateway.log"))) {
            awaitBothOwnPartitions(topics);
            List<String> keys = sendLikes(topics.get("engagement.kafka.topics.requests"), "duo", 5_000);
            int killAfter = 500 + new java.util.Random().nextInt(3_000);
            broker.await(topics.get("engagement.kafka.topics.results"), rs -> rs.size() >= killAfter, Duration.ofMinutes(2));
            other.kill();
            System.out.println("killed one of the two gateways after " + killAfter + " results");
            assertVolumeDoneOnce(topics, keys, "duo");
        }
    }

    private static Map<String, String> volumeProperties(Map<String, String> topics) {
        Map<String, String> props = gatewayProperties(topics);
        // the platforms' budgets are not what is tested here
        props.putAll(StandaloneSandbox.liftedBudgets());
        return props;
    }

    /** n likes on distinct targets over the four platforms, keyed by 64 accounts; returns their request ids. */
    private static List<String> sendLikes(String topic, String run, int n) {
        List<Map.Entry<String, String>> records = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] p = StandaloneSandbox.LIKE_TARGETS[i % 4];
            String requestId = run + "-" + i;
            records.add(Map.entry(p[0] + ":account-" + (i % 64), "{\"action\": \"like\", \"platform\": \"" + p[0]
                    + "\", \"target\": \"" + p[1] + run + "_" + StandaloneSandbox.letters(i) + "\", \"request_id\": \"" + requestId + "\"}"));
            keys.add(requestId);
        }
        broker.sendAll(topic, records);
        return keys;
    }

    /** Every request has one final result, a success, and each platform's ledger holds each of its likes once. */
    private static void assertVolumeDoneOnce(Map<String, String> topics, List<String> keys, String run) throws Exception {
        Map<String, JsonNode> byKey = finalResults(broker.await(topics.get("engagement.kafka.topics.results"),
                rs -> finalResults(rs).keySet().containsAll(keys), Duration.ofMinutes(3)));
        for (String key : keys) {
            assertEquals("success", byKey.get(key).path("status").asText(), byKey.get(key).toString());
        }
        for (String[] p : StandaloneSandbox.LIKE_TARGETS) {
            assertEachTargetOnce(p[0], keys.size() / 4, p[1] + run + "_");
        }
    }

    /**
     * Both instances (2 consumers each) own partitions of the four: every one of the group's 4 members
     * owns one, so each instance owns two.
     */
    private static void awaitBothOwnPartitions(Map<String, String> topics) throws Exception {
        String group = topics.get("engagement.kafka.group-id");
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = broker.admin()) {
            while (true) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                List<MemberDescription> owners = description.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty()).toList();
                if (description.members().size() == 4 && owners.size() == 4) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "both instances never owned partitions: " + description);
                Thread.sleep(200);
            }
        }
    }

    /** Records keyed by the platform account (8 accounts), so one account's traffic stays on one partition. */
    private static void sendBatch(String topic, int from, int to, List<String> keys) throws Exception {
        for (int i = from; i < to; i++) {
            int account = i % 8;
            String platform = account % 2 == 0 ? "twitter" : "instagram";
            String target = platform.equals("twitter") ? "tweet_scale_" + i : "post_scale_" + i;
            String requestId = "scale-" + i;
            broker.send(topic, platform + ":account-" + account, "{\"action\": \"like\", \"platform\": \"" + platform
                    + "\", \"target\": \"" + target + "\", \"request_id\": \"" + requestId + "\"}");
            keys.add(requestId);
        }
    }

    /**
     * The final result per key. A key may carry the same result twice (a crash between publishing
     * and committing); it must never carry two different ones.
     */
    private static Map<String, JsonNode> finalResults(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            JsonNode node;
            try {
                node = RunningGateway.json(new String(r.value(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            if ("pending".equals(node.path("status").asText())) {
                continue;
            }
            JsonNode before = out.putIfAbsent(r.key(), node);
            if (before != null) {
                assertEquals(before.path("engagement_id").asText(), node.path("engagement_id").asText(), "one engagement per key " + r.key());
                assertEquals(before.path("status").asText(), node.path("status").asText(), "one final result per key " + r.key());
            }
        }
        return out;
    }

    private static void awaitLedger(String platform, int entries) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.ledger(platform).size() < entries) {
            assertTrue(System.nanoTime() < deadline, "the " + platform + " sandbox never executed the trap");
            Thread.sleep(50);
        }
    }

    private static void assertEachTargetOnce(String platform, long expected) {
        assertEachTargetOnce(platform, expected, "");
    }

    private static void assertEachTargetOnce(String platform, long expected, String prefix) {
        Map<String, Long> perTarget = new TreeMap<>(sandbox.ledger(platform).stream()
                .map(e -> String.valueOf(e.arguments().values().stream().filter(v -> String.valueOf(v).contains("_")).findFirst().orElse("?")))
                .filter(t -> t.startsWith(prefix))
                .collect(Collectors.groupingBy(t -> t, Collectors.counting())));
        Set<String> twice = perTarget.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertFalse(perTarget.isEmpty());
        assertEquals(Set.of(), twice, "actions executed more than once on " + platform);
        assertEquals(expected, perTarget.size(), "actions on " + platform + ": " + perTarget.keySet());
    }
}
