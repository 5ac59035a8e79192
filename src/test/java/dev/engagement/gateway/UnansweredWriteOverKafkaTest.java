package dev.engagement.gateway;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.StandaloneSandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A like sent as a Kafka record whose write the platform did not answer in time: the agent first reads
 * "pending, executing" on the results topic, and then, once the recovery timer has asked the platform again under
 * the same idempotency key, the final result — not silence.
 */
class UnansweredWriteOverKafkaTest {

    @Test
    void theAgentHearsTheOutcomeOfAnUnansweredWriteOnTheResultsTopic() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(); StandaloneSandbox sandbox = new StandaloneSandbox()) {
            Map<String, String> topics = broker.freshTopics("unanswered", 1);
            Map<String, String> settings = new HashMap<>(topics);
            settings.putAll(sandbox.gatewayOverrides());
            settings.putAll(RunningGateway.QUICK_RECOVERY);
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("unanswered-kafka"), settings)) {
                // the platform acts, then holds its answer past the call timeout
                sandbox.platform("twitter").setAnswerDelayMs(4_000);
                broker.send(topics.get("engagement.kafka.topics.requests"), "twitter",
                        "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_k_unanswered\", \"request_id\": \"k-unanswered-1\"}");
                JsonNode first = broker.results(topics.get("engagement.kafka.topics.results"), "k-unanswered-1", 1,
                        Duration.ofSeconds(30)).get(0);
                sandbox.platform("twitter").setAnswerDelayMs(0);
                assertEquals("pending", first.path("status").asText(), first.toString());
                assertEquals("executing", first.at("/platform_response/state").asText(), first.toString());

                List<JsonNode> both = broker.results(topics.get("engagement.kafka.topics.results"), "k-unanswered-1", 2,
                        Duration.ofSeconds(30));
                assertEquals("success", both.get(1).path("status").asText(), both.toString());
                assertEquals(first.path("engagement_id").asText(), both.get(1).path("engagement_id").asText());
                assertEquals(1, sandbox.ledger("twitter").stream()
                        .filter(e -> e.arguments().containsValue("tweet_k_unanswered")).count(), "the platform acted once");
            }
        }
    }
}
