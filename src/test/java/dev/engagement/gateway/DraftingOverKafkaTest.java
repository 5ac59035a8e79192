package dev.engagement.gateway;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.FakeLanguageModel;
import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reply without text sent as a Kafka record is drafted, waits for a reviewer and is answered once, as over HTTP. */
class DraftingOverKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaBroker broker;
    private static FakeLanguageModel model;
    private static RunningGateway gateway;
    private static Map<String, String> topics;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        model = new FakeLanguageModel();
        topics = broker.freshTopics("drafting", 1);
        Map<String, String> settings = new HashMap<>(topics);
        settings.put("engagement.drafting.enabled", "true");
        settings.put("engagement.drafting.base-url", model.baseUrl());
        settings.put("engagement.drafting.model", "kafka-test-model");
        gateway = RunningGateway.start(Files.createTempDirectory("drafting-kafka"), settings);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            model.close();
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static List<JsonNode> resultsFor(String key, int atLeast) throws Exception {
        return broker.results(topics.get("engagement.kafka.topics.results"), key, atLeast, WAIT);
    }

    @Test
    void aRecordWithoutTextIsDraftedOnceAndWaitsForAReviewer() throws Exception {
        model.drafts("Thanks, Ana! CSV export is on our roadmap.");
        int before = model.requests().size();
        String record = """
                {"action": "reply", "platform": "twitter", "target": "tweet_12345", "persona_constraints": ["helpful"],
                 "request_id": "k-draft-1"}""";
        broker.send(topics.get("engagement.kafka.topics.requests"), "twitter", record);
        JsonNode pending = resultsFor("k-draft-1", 1).get(0);
        assertEquals("pending", pending.path("status").asText(), pending.toString());
        assertTrue(pending.at("/platform_response/reasons").toString().contains("drafted_by_llm"), pending.toString());
        assertEquals(before + 1, model.requests().size());
        assertTrue(model.lastRequest().messages().contains("export to CSV is still missing"), model.lastRequest().messages());

        // the same record again (a redelivery): the stored answer, not a second draft
        broker.send(topics.get("engagement.kafka.topics.requests"), "twitter", record);
        List<JsonNode> both = resultsFor("k-draft-1", 2);
        assertEquals(pending.path("engagement_id").asText(), both.get(1).path("engagement_id").asText(), both.toString());
        assertEquals("pending", both.get(1).path("status").asText(), both.toString());
        assertEquals(before + 1, model.requests().size(), "not drafted again");
    }

    @Test
    void aModelThatFailsIsAResultNotADeadLetter() throws Exception {
        model.fails(503, "{\"error\": {\"message\": \"model is loading\"}}", null);
        broker.send(topics.get("engagement.kafka.topics.requests"), "instagram", """
                {"action": "comment", "platform": "instagram", "target": "post_67890", "request_id": "k-draft-down"}""");
        JsonNode failed = resultsFor("k-draft-down", 1).get(0);
        assertEquals("failed", failed.path("status").asText(), failed.toString());
        assertEquals("DRAFTING_UNAVAILABLE", failed.at("/error/code").asText(), failed.toString());
        assertTrue(failed.at("/error/retryable").asBoolean(), failed.toString());
    }
}
