package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.TestDatabase;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every state change lands in the append-only event log with the skill's logging fields. */
class AuditTrailTest {

    @Test
    void anApprovedReplyLeavesItsWholeHistoryInSql() throws Exception {
        Path data = Files.createTempDirectory("audit");
        String id;
        try (RunningGateway gateway = RunningGateway.start(data, Map.of())) {
            Answer pending = gateway.submit("""
                    {"action": "reply", "platform": "twitter", "target": "tweet_55555", "confidence": 0.72,
                     "content": "Sorry to hear that, we are on it.", "persona_constraints": ["empathetic", "concise"]}""")
                    .assertContract();
            id = pending.text("/engagement_id");
            gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{\"reviewer\": \"ana\", \"note\": \"ok\"}")
                    .assertContract();
        }
        List<Map<String, String>> events = new ArrayList<>();
        try (Connection c = TestDatabase.connect(data);
             PreparedStatement ps = c.prepareStatement("SELECT event_type, from_status, to_status, action, platform, target, "
                     + "content, persona_constraints, confidence, decision, reasons_json, execution_ms, result_status, result_json, "
                     + "actor FROM engagement_events WHERE engagement_id = ? ORDER BY event_id")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> row = new java.util.HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getString(i));
                    }
                    events.add(row);
                }
            }
        }
        assertEquals(List.of("received", "queued_for_review", "approved", "executing", "succeeded"),
                events.stream().map(e -> e.get("event_type")).toList());
        assertEquals(List.of("received", "pending_approval", "approved", "executing", "succeeded"),
                events.stream().map(e -> e.get("to_status")).toList());
        for (Map<String, String> e : events) {
            assertEquals("reply", e.get("action"));
            assertEquals("twitter", e.get("platform"));
            assertEquals("tweet_55555", e.get("target"));
            assertEquals("Sorry to hear that, we are on it.", e.get("content"));
            assertTrue(e.get("persona_constraints").contains("empathetic"));
        }
        Map<String, String> queued = events.get(1);
        assertEquals("review", queued.get("decision"));
        // under the policy's own score (0.75 for this reply to an angry post), so the agent's is the one recorded
        assertEquals(0.72, Double.parseDouble(queued.get("confidence")), 0.001);
        assertTrue(queued.get("reasons_json").contains("agent_confidence"), queued.get("reasons_json"));
        assertTrue(events.get(2).get("actor").startsWith("ana [token "), events.get(2).get("actor"));
        Map<String, String> done = events.get(4);
        assertEquals("success", done.get("result_status"));
        assertNotNull(done.get("execution_ms"));
        assertTrue(done.get("result_json").contains("Sorry to hear that"));
    }

    @Test
    void thePlatformsOwnRateLimitBecomesRetryable429WithRetryAfter() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("rl"),
                Map.of("engagement.sandbox.rate-limit", "2", "engagement.sandbox.rate-window-seconds", "900"))) {
            for (int i = 0; i < 2; i++) {
                assertEquals(200, gateway.submit("{\"action\": \"like\", \"platform\": \"threads\", \"target\": \"thread_" + i + "\"}").status());
            }
            Answer limited = gateway.submit("{\"action\": \"like\", \"platform\": \"threads\", \"target\": \"thread_9\"}").assertContract();
            assertEquals(429, limited.status(), limited.raw());
            assertEquals("RATE_LIMIT_EXCEEDED", limited.text("/error/code"));
            assertEquals(true, limited.body().at("/error/retryable").asBoolean());
            long retryAfter = limited.body().at("/error/retry_after").asLong();
            assertTrue(retryAfter > 0 && retryAfter <= 900, limited.raw());
            assertEquals(String.valueOf(retryAfter), limited.header("Retry-After"));
        }
    }
}
