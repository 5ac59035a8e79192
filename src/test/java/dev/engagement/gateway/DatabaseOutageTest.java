package dev.engagement.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.CuttableProxy;
import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.StandaloneSandbox;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The database goes away under a running gateway (a TCP proxy between them is cut, then restored): every
 * request that needs it is answered 503 SERVICE_UNAVAILABLE quickly, health is DOWN naming the database,
 * nothing reaches a platform, a decision changes nothing; and all of it works again, by itself, once the
 * database is back. On the PostgreSQL run of the suite.
 */
class DatabaseOutageTest {

    /** The default wait for a connection is 2 s; the answer may take a little longer on a busy machine. */
    private static final long ANSWER_WITHIN_MS = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void whileTheDatabaseIsAwayRequestsAre503FastHealthIsDownNothingIsExecutedAndAllRecoversAlone() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "the database outage is reproduced on the PostgreSQL run");
        URI db = URI.create(TestDatabase.url().substring("jdbc:".length()));
        Path data = Files.createTempDirectory("gateway-outage");
        try (CuttableProxy proxy = new CuttableProxy(db.getHost(), db.getPort())) {
            Map<String, String> props = new HashMap<>(TestDatabase.overridesFor(data));
            props.put("engagement.datasource.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + db.getPath());
            try (RunningGateway gateway = RunningGateway.start(data, props)) {
                String follow = "{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_outage\", \"request_id\": \"outage-follow\"}";
                String pending = gateway.submit(follow).text("/engagement_id");
                String like = "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_outage\", \"request_id\": \"outage-like\"}";

                proxy.cut();
                long started = System.nanoTime();
                RunningGateway.Answer refused = gateway.submit(like);
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertEquals(503, refused.status(), refused.raw());
                assertEquals("SERVICE_UNAVAILABLE", refused.text("/error/code"), refused.raw());
                assertTrue(refused.body().at("/error/retryable").asBoolean(), refused.raw());
                assertTrue(refused.body().at("/error/retry_after").asLong() > 0, refused.raw());
                assertEquals(refused.text("/error/retry_after"), refused.header("Retry-After"));
                assertTrue(tookMs < ANSWER_WITHIN_MS, "answered after " + tookMs + " ms");
                assertFalse(refused.raw().toLowerCase().contains("jdbc") || refused.raw().contains("SELECT")
                        || refused.raw().contains("INSERT"), "no SQL or driver text for the agent: " + refused.raw());

                // health probes the database at most once a second: DOWN at the next probe, each answer quick
                RunningGateway.Answer health;
                long down = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                do {
                    started = System.nanoTime();
                    health = gateway.get("/observe/health", null);
                    assertTrue((System.nanoTime() - started) / 1_000_000 < ANSWER_WITHIN_MS, "health answered slowly");
                } while (health.status() == 200 && System.nanoTime() < down && sleep(200));
                assertEquals(503, health.status(), health.raw());
                assertTrue(health.raw().contains("database"), "health names the database: " + health.raw());

                RunningGateway.Answer decision = gateway.post("/approvals/" + pending + "/approve", RunningGateway.REVIEWER,
                        "{\"reviewer\": \"ann\"}");
                assertEquals(503, decision.status(), decision.raw());
                assertEquals("SERVICE_UNAVAILABLE", decision.text("/error/code"), decision.raw());
                assertEquals(0, actionsOn(gateway, "tweet_outage") + actionsOn(gateway, "user_outage"), "nothing reached the platform");

                proxy.restore();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (gateway.get("/observe/health", null).status() != 200) {
                    assertTrue(System.nanoTime() < deadline, "health never came back UP");
                    Thread.sleep(200);
                }
                RunningGateway.Answer liked = gateway.submit(like);
                assertEquals("success", liked.text("/status"), liked.raw());
                RunningGateway.Answer approved = gateway.post("/approvals/" + pending + "/approve", RunningGateway.REVIEWER,
                        "{\"reviewer\": \"ann\"}");
                assertEquals("success", approved.text("/status"), approved.raw());
                assertEquals(1, actionsOn(gateway, "tweet_outage"));
                assertEquals(1, actionsOn(gateway, "user_outage"));
            }
        }
    }

    @Test
    void kafkaIntakePausesWhileTheDatabaseIsAwayAndEveryRecordIsExecutedOnceAfterwards() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "the database outage is reproduced on the PostgreSQL run");
        URI db = URI.create(TestDatabase.url().substring("jdbc:".length()));
        Path data = Files.createTempDirectory("gateway-outage-kafka");
        try (KafkaBroker broker = KafkaBroker.start(); CuttableProxy proxy = new CuttableProxy(db.getHost(), db.getPort())) {
            Map<String, String> topics = broker.freshTopics("outage", 2);
            Map<String, String> props = new HashMap<>(TestDatabase.overridesFor(data));
            props.putAll(topics);
            props.putAll(StandaloneSandbox.liftedBudgets());
            props.put("engagement.datasource.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + db.getPath());
            props.put("engagement.kafka.retry-max-backoff-ms", "2000");
            String requests = topics.get("engagement.kafka.topics.requests");
            String results = topics.get("engagement.kafka.topics.results");
            int n = 60;
            try (RunningGateway gateway = RunningGateway.start(data, props)) {
                for (int i = 0; i < n / 2; i++) {
                    broker.send(requests, "acct-" + (i % 4), like("kafka-outage-" + i));
                }
                broker.await(results, rs -> rs.size() >= 5, WAIT);
                // the database goes away while records are in flight; more come meanwhile
                proxy.cut();
                for (int i = n / 2; i < n; i++) {
                    broker.send(requests, "acct-" + (i % 4), like("kafka-outage-" + i));
                }
                Thread.sleep(5_000);
                proxy.restore();
                List<ConsumerRecord<String, byte[]>> all = broker.await(results, rs -> rs.stream().map(ConsumerRecord::key)
                        .collect(Collectors.toSet()).size() >= n, WAIT);
                Map<String, String> statusByKey = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : all) {
                    statusByKey.put(r.key(), RunningGateway.json(new String(r.value(), StandardCharsets.UTF_8)).path("status").asText());
                }
                for (int i = 0; i < n; i++) {
                    assertEquals("success", statusByKey.get("kafka-outage-" + i), "kafka-outage-" + i + ": " + statusByKey);
                }
                assertEquals(List.of(), broker.readAll(topics.get("engagement.kafka.topics.dead-letters")), "no dead letters");
                for (int i = 0; i < n; i++) {
                    assertEquals(1, actionsOn(gateway, "tweet_outage_" + StandaloneSandbox.letters(i)), "executed once: " + i);
                }
            }
        }
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private static String like(String requestId) {
        return "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_outage_"
                + StandaloneSandbox.letters(Integer.parseInt(requestId.substring(requestId.lastIndexOf('-') + 1)))
                + "\", \"request_id\": \"" + requestId + "\"}";
    }

    private static long actionsOn(RunningGateway gateway, String target) throws Exception {
        long n = 0;
        for (JsonNode entry : gateway.ledger("twitter")) {
            if (entry.toString().contains("\"" + target + "\"")) {
                n++;
            }
        }
        return n;
    }
}
