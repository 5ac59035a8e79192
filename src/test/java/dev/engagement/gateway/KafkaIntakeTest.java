package dev.engagement.gateway;

import dev.engagement.gateway.contract.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests sent as Kafka records get the same behaviour as over HTTP; bad records are dead-lettered. */
class KafkaIntakeTest {

    private static final ContractValidator CONTRACT = new ContractValidator(Json.newObjectMapper());
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaBroker broker;
    private static RunningGateway gateway;
    private static Map<String, String> topics;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        topics = broker.freshTopics("intake", 2);
        gateway = RunningGateway.start(Files.createTempDirectory("gateway-kafka"), topics);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static String requests() {
        return topics.get("engagement.kafka.topics.requests");
    }

    private static String results() {
        return topics.get("engagement.kafka.topics.results");
    }

    private static String deadLetters() {
        return topics.get("engagement.kafka.topics.dead-letters");
    }

    /** The results published under a key (request id), each checked against the output contract. */
    private static List<JsonNode> resultsFor(String key, int atLeast) throws Exception {
        return broker.results(results(), key, atLeast, WAIT);
    }

    @Test
    void aReplySentOnKafkaIsExecutedOnceAndItsResultPublishedUnderItsRequestId() throws Exception {
        broker.send(requests(), "twitter", """
                {"action": "reply", "platform": "twitter", "target": "tweet_kafka_1",
                 "content": "Thanks for the feedback!", "persona_constraints": ["helpful"], "request_id": "k-reply-1"}""");
        JsonNode result = resultsFor("k-reply-1", 1).get(0);
        assertEquals("success", result.path("status").asText(), result.toString());
        assertEquals("k-reply-1", result.path("request_id").asText());
        assertEquals("tweet_kafka_1", result.at("/platform_response/in_reply_to").asText());
        String id = result.path("engagement_id").asText();
        assertEquals("success", gateway.get("/engagements/" + id, RunningGateway.AGENT).text("/status"));
        assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_kafka_1"));
    }

    @Test
    void aRecordWithoutRequestIdGetsOneFromItsPlaceInTheLog() throws Exception {
        broker.send(requests(), "instagram", """
                {"action": "like", "platform": "instagram", "target": "post_kafka_noid"}""");
        JsonNode result = broker.await(results(), rs -> rs.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains("post_kafka_noid")), WAIT).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("post_kafka_noid"))
                .map(r -> {
                    try {
                        return RunningGateway.json(new String(r.value(), StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        assertEquals("success", result.path("status").asText(), result.toString());
        assertTrue(result.path("request_id").asText().matches("kafka:" + java.util.regex.Pattern.quote(requests()) + ":\\d+:\\d+"),
                result.toString());
    }

    @Test
    void aFollowWaitsForAReviewerAndTheApprovalIsPublishedToo() throws Exception {
        broker.send(requests(), "instagram", """
                {"action": "follow", "platform": "instagram", "target": "user_kafka_collab",
                 "persona_constraints": ["strategic"], "request_id": "k-follow-1"}""");
        JsonNode pending = resultsFor("k-follow-1", 1).get(0);
        assertEquals("pending", pending.path("status").asText(), pending.toString());
        String id = pending.path("engagement_id").asText();

        RunningGateway.Answer approved = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"reviewer\": \"maria\"}").assertContract();
        assertEquals("success", approved.text("/status"), approved.raw());
        List<JsonNode> both = resultsFor("k-follow-1", 2);
        assertEquals("success", both.get(1).path("status").asText(), both.toString());
        assertEquals(id, both.get(1).path("engagement_id").asText());

        // a second click answers CONFLICT over HTTP, and publishes nothing new but the same final state
        gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{}");
        List<JsonNode> after = resultsFor("k-follow-1", 2); // read once: one may still arrive meanwhile
        for (JsonNode later : after.subList(1, after.size())) {
            assertEquals("success", later.path("status").asText(), later.toString());
        }
    }

    @Test
    void aRefusalIsAResultNotADeadLetter() throws Exception {
        broker.send(requests(), "twitter", """
                {"action": "reply", "platform": "twitter", "target": "tweet_kafka_low", "content": "Sure thing",
                 "confidence": 0.4, "request_id": "k-low-1"}""");
        JsonNode result = resultsFor("k-low-1", 1).get(0);
        assertEquals("failed", result.path("status").asText());
        assertEquals("REJECTED_BY_POLICY", result.at("/error/code").asText());
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheRecordsBehindThemStillRun() throws Exception {
        byte[] notJson = "this is not { json".getBytes(StandardCharsets.UTF_8);
        String breaksContract = "{\"action\": \"dance\", \"platform\": \"twitter\", \"target\": \"tweet_1\", \"request_id\": \"k-bad-1\"}";
        // same key, so same partition: the good record sits behind the two poison ones
        broker.send(requests(), "twitter:poison", notJson);
        broker.send(requests(), "twitter:poison", breaksContract);
        broker.send(requests(), "twitter:poison", """
                {"action": "like", "platform": "twitter", "target": "tweet_after_poison", "request_id": "k-after-poison"}""");

        assertEquals("success", resultsFor("k-after-poison", 1).get(0).path("status").asText());

        List<ConsumerRecord<String, byte[]>> dead = broker.await(deadLetters(),
                rs -> rs.stream().filter(r -> "twitter:poison".equals(r.key())).count() >= 2, WAIT);
        ConsumerRecord<String, byte[]> first = dead.stream().filter(r -> "twitter:poison".equals(r.key())).toList().get(0);
        ConsumerRecord<String, byte[]> second = dead.stream().filter(r -> "twitter:poison".equals(r.key())).toList().get(1);
        assertArrayEquals(notJson, first.value(), "the original bytes, unchanged");
        assertEquals("VALIDATION_FAILED", header(first, "engagement-error-code"));
        assertEquals(breaksContract, new String(second.value(), StandardCharsets.UTF_8));
        JsonNode error = RunningGateway.json(header(second, "engagement-error"));
        assertEquals(List.of(), CONTRACT.violations("EngagementResult", error), error.toString());
        assertEquals("/action", error.at("/error/violations/0/pointer").asText(), error.toString());
        assertTrue(header(second, "engagement-source").startsWith(requests() + "/"));
        // nothing of them reached a platform
        assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_1"));
    }

    /**
     * While Kafka refuses the results (the results topic takes nothing over 64 bytes), an account's
     * records are tried again in place: nothing is dead-lettered or skipped, the account's next record
     * waits, and once Kafka takes results again each record is answered, having acted once on the platform.
     */
    @Test
    void aRecordWhoseResultKafkaRefusesIsTriedAgainUntilTakenAndItsAccountWaits() throws Exception {
        String results = results();
        try (Admin admin = broker.admin()) {
            setMaxMessageBytes(admin, results, "64");
            try {
                broker.send(requests(), "twitter:@refused", """
                        {"action": "like", "platform": "twitter", "target": "tweet_refused_1", "request_id": "k-refused-1"}""");
                broker.send(requests(), "twitter:@refused", """
                        {"action": "like", "platform": "twitter", "target": "tweet_refused_2", "request_id": "k-refused-2"}""");
                // the first record acted on the platform, then its result was refused: it waits, and the second behind it
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_refused_1") == 0) {
                    assertTrue(System.nanoTime() < deadline, "the first record never reached the platform");
                    Thread.sleep(100);
                }
                Thread.sleep(2_500); // a few retries
                assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_refused_2"), "the account's second record waits");
                assertTrue(broker.readAll(deadLetters()).stream().noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8)
                        .contains("tweet_refused")), "nothing is dead-lettered for Kafka's refusal");
            } finally {
                setMaxMessageBytes(admin, results, "1048588");
            }
        }
        assertEquals("success", resultsFor("k-refused-1", 1).get(0).path("status").asText());
        assertEquals("success", resultsFor("k-refused-2", 1).get(0).path("status").asText());
        assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_refused_1"), "the retries replayed, not acted again");
        assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_refused_2"));
    }

    /** 5,000 unknown keys are 5,000 violations: the dead letter's error header lists 20 and says how many more. */
    @Test
    void aDeadLettersErrorHeaderIsBounded() throws Exception {
        StringBuilder body = new StringBuilder("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_keys\"");
        for (int i = 0; i < 5_000; i++) {
            body.append(", \"unknown_").append(i).append("\": 0");
        }
        broker.send(requests(), "many-keys", body.append('}').toString());
        ConsumerRecord<String, byte[]> dead = broker.await(deadLetters(), rs -> rs.stream().anyMatch(r -> "many-keys".equals(r.key())), WAIT)
                .stream().filter(r -> "many-keys".equals(r.key())).findFirst().orElseThrow();
        String error = header(dead, "engagement-error");
        assertTrue(error.length() < 8_000, error.length() + " characters");
        JsonNode node = RunningGateway.json(error);
        assertEquals(20, node.at("/error/violations").size(), error);
        assertTrue(node.at("/error/message").asText().contains("more violations not listed"), error);
    }

    /**
     * A record just under Kafka's request size is too large to dead-letter with its error headers: it is kept
     * in SQL instead (a log line and a metric say so) and the account's next record is not held up by it.
     */
    @Test
    void aDeadLetterKafkaCannotTakeIsKeptInSqlAndThePartitionGoesOn() throws Exception {
        byte[] huge = new byte[1_048_576 - 300];
        java.util.Arrays.fill(huge, (byte) 'x');
        broker.send(requests(), "huge", huge);
        broker.send(requests(), "huge", """
                {"action": "like", "platform": "twitter", "target": "tweet_after_huge", "request_id": "k-after-huge"}""");
        assertEquals("success", resultsFor("k-after-huge", 1).get(0).path("status").asText());
        assertTrue(broker.readAll(deadLetters()).stream().noneMatch(r -> "huge".equals(r.key())), "not on the dead-letter topic");
        String metrics = gateway.metrics();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("engagement_kafka_dead_letters_parked_total") && !l.endsWith(" 0.0")),
                metrics.lines().filter(l -> l.contains("dead_letters")).toList().toString());
    }

    private static void setMaxMessageBytes(Admin admin, String topic, String bytes) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET)))).all().get();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
