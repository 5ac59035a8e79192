package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform acted, then the gateway could not record the success: the agent is told the action was
 * executed and not to send it again (never retryable), and nothing is posted twice.
 */
class RecordingFailureTest {

    @Test
    void aSuccessThatCannotBeRecordedIsNotRetryableAndSaysTheActionWasExecuted() throws Exception {
        Path data = Files.createTempDirectory("recording-failure");
        try (RunningGateway first = RunningGateway.start(data, Map.of())) {
            first.get("/observe/health", null); // the schema is in place
        }
        // the database refuses to record a success (as it would a value it cannot take)
        try (Connection c = TestDatabase.connect(data); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE engagements ADD CONSTRAINT test_no_success CHECK (status <> 'succeeded')");
        }
        try (RunningGateway gateway = RunningGateway.start(data, Map.of())) {
            Answer a = gateway.submit("""
                    {"action": "like", "platform": "twitter", "target": "tweet_recording_1", "request_id": "rec-1"}""").assertContract();
            assertEquals("failed", a.text("/status"), a.raw());
            assertEquals("INTERNAL_ERROR", a.text("/error/code"), a.raw());
            assertFalse(a.body().at("/error/retryable").asBoolean(), "a retry would like twice: " + a.raw());
            assertTrue(a.text("/error/message").contains("was executed on twitter"), a.raw());
            assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_recording_1"));
            // the same request again acts no more
            gateway.submit("""
                    {"action": "like", "platform": "twitter", "target": "tweet_recording_1", "request_id": "rec-1"}""");
            assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_recording_1"));
        }
    }
}
