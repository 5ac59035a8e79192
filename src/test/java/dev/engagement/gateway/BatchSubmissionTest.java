package dev.engagement.gateway;

import dev.engagement.gateway.contract.Json;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /engagements/batch: many requests in one call, each decided on its own, answered in order. */
class BatchSubmissionTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = RunningGateway.start(Files.createTempDirectory("gateway-batch"), Map.of(
                "engagement.batch.max-size", "20",
                "engagement.platforms.twitter.rate-limit.likes", "1000 per PT15M for like"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static Answer batch(String json) throws Exception {
        return gateway.post("/engagements/batch", RunningGateway.AGENT, json);
    }

    @Test
    void oneBadItemNeverFailsTheOthersAndTheResultsKeepTheOrder() throws Exception {
        Answer a = batch("""
                [{"action": "like", "platform": "twitter", "target": "tweet_batch_1"},
                 {"action": "reply", "platform": "twitter", "target": "tweet_batch_2"},
                 {"action": "like", "platform": "twitter", "target": "tweet_missing_3"},
                 {"action": "follow", "platform": "twitter", "target": "user_batch_4", "persona_constraints": ["strategic"]},
                 {"action": "share", "platform": "instagram", "target": "post_batch_5"},
                 {"action": "comment", "platform": "tiktok", "target": "video_batch_6", "content": "Love this, thanks for sharing!"}]""");
        assertEquals(200, a.status(), a.raw());
        JsonNode items = a.body();
        assertEquals(6, items.size(), a.raw());
        for (JsonNode item : items) {
            assertEquals(List.of(), new ArrayList<>(contractViolations(item)), item.toString());
        }
        assertEquals("success", items.get(0).path("status").asText(), items.get(0).toString());
        assertEquals("failed", items.get(1).path("status").asText());
        assertEquals("VALIDATION_FAILED", items.get(1).at("/error/code").asText());
        assertEquals("/content", items.get(1).at("/error/violations/0/pointer").asText(), items.get(1).toString());
        assertEquals("INVALID_TARGET", items.get(2).at("/error/code").asText(), items.get(2).toString());
        assertEquals("pending", items.get(3).path("status").asText(), items.get(3).toString());
        assertEquals("UNSUPPORTED_ACTION", items.get(4).at("/error/code").asText(), items.get(4).toString());
        assertEquals("success", items.get(5).path("status").asText(), items.get(5).toString());

        // each item is a real engagement: the first one can be looked up and was executed on the platform
        String id = items.get(0).path("engagement_id").asText();
        assertEquals("success", gateway.get("/engagements/" + id, RunningGateway.AGENT).text("/status"));
        assertTrue(gateway.ledger("twitter").toString().contains("tweet_batch_1"));
        assertTrue(!gateway.ledger("twitter").toString().contains("user_batch_4"), "a pending follow must not run");
    }

    @Test
    void aBatchWhoseFirstOrEveryItemFailsIsStillAnsweredItemByItem() throws Exception {
        for (String body : List.of("[null, {\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_batch_first\"}]",
                "[null, 1, \"x\", {}, []]")) {
            Answer a = batch(body);
            assertEquals(200, a.status(), body + " -> " + a.raw());
            JsonNode items = a.body();
            assertEquals(body.startsWith("[null, 1") ? 5 : 2, items.size(), a.raw());
            assertEquals("VALIDATION_FAILED", items.get(0).at("/error/code").asText(), a.raw());
            for (JsonNode item : items) {
                assertEquals(List.of(), new ArrayList<>(contractViolations(item)), item.toString());
            }
        }
        assertEquals("success", batch("[null, {\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_batch_second\"}]")
                .body().at("/1/status").asText());
    }

    @Test
    void aFullBatchRunsInParallelAndAnswersInTheOrderSent() throws Exception {
        StringJoiner items = new StringJoiner(",", "{\"requests\": [", "]}");
        for (int i = 0; i < 20; i++) {
            items.add("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_order_" + i + "\", \"request_id\": \"order-" + i + "\"}");
        }
        Answer a = batch(items.toString());
        assertEquals(200, a.status(), a.raw());
        assertEquals(20, a.body().size());
        for (int i = 0; i < 20; i++) {
            assertEquals("order-" + i, a.body().get(i).path("request_id").asText(), a.raw());
            assertEquals("success", a.body().get(i).path("status").asText(), a.raw());
        }
        // the same batch again is answered from the idempotency keys, executing nothing twice
        Answer again = batch(items.toString());
        assertEquals(200, again.status());
        for (int i = 0; i < 20; i++) {
            assertEquals(a.body().get(i).path("engagement_id"), again.body().get(i).path("engagement_id"));
        }
    }

    @Test
    void aMalformedEmptyOrOversizedBatchIsOne400() throws Exception {
        StringJoiner tooMany = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 21; i++) {
            tooMany.add("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_" + i + "\"}");
        }
        for (String body : List.of("[]", tooMany.toString(), "{\"action\": \"like\"}", "{\"requests\": 3}", "[{\"action\": ", "\"x\"")) {
            Answer a = batch(body).assertContract();
            assertEquals(400, a.status(), body + " -> " + a.raw());
            assertEquals("VALIDATION_FAILED", a.text("/error/code"), a.raw());
            assertTrue(a.body().at("/error/violations/0/pointer").isTextual(), a.raw());
        }
        Answer oversized = batch(tooMany.toString());
        assertTrue(oversized.text("/error/violations/0/message").contains("1 to 20"), oversized.raw());
        assertEquals("/action", batch("{\"action\": \"like\"}").text("/error/violations/1/pointer"));
    }

    @Test
    void aBatchIsOnlyPosted() throws Exception {
        Answer get = gateway.get("/engagements/batch", RunningGateway.AGENT).assertContract();
        assertEquals(405, get.status(), get.raw());
        assertEquals("METHOD_NOT_ALLOWED", get.text("/error/code"), get.raw());
        assertEquals("POST", get.header("Allow"), get.raw());
        assertEquals(404, gateway.get("/engagements/batch/events", RunningGateway.REVIEWER).assertContract().status());
    }

    @Test
    void onlyAgentsSubmitBatches() throws Exception {
        String body = "[{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_1\"}]";
        assertEquals(401, gateway.send("POST", "/engagements/batch", null, body).assertContract().status());
        assertEquals(403, gateway.send("POST", "/engagements/batch", RunningGateway.REVIEWER, body).assertContract().status());
    }

    @Test
    void metricsCountEngagementsTimeMcpCallsAndShowPendingApprovals() throws Exception {
        gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_metrics_1\"}");
        gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_metrics_2\"}");
        gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\"}");
        // a request_id reused for another request inside one batch: CONFLICT, counted as no decision
        gateway.send("POST", "/engagements/batch", RunningGateway.AGENT, """
                [{"action": "like", "platform": "twitter", "target": "tweet_metrics_3", "request_id": "metrics-reused"},
                 {"action": "like", "platform": "twitter", "target": "tweet_metrics_4", "request_id": "metrics-reused"}]""");
        System.gc(); // the pending gauge must outlive a full collection (Micrometer holds gauges weakly)
        String metrics = gateway.metrics();
        assertTrue(metrics.contains("engagement_requests_total{action=\"like\",decision=\"execute\",platform=\"twitter\",status=\"success\"}"), metrics);
        assertTrue(metrics.contains("engagement_requests_total{action=\"follow\",decision=\"review\",platform=\"twitter\",status=\"pending\"}"), metrics);
        assertTrue(metrics.contains("engagement_requests_total{action=\"unknown\",decision=\"none\",platform=\"unknown\",status=\"failed\"}"), metrics);
        assertTrue(metrics.contains("engagement_duration_seconds_bucket{"), metrics);
        assertTrue(metrics.contains("engagement_mcp_call_seconds_count{outcome=\"ok\",platform=\"twitter\",tool=\"like_tweet\"}"), metrics);
        assertTrue(metrics.matches("(?s).*\nengagement_approvals_pending [1-9][0-9]*\\.0\n.*"), metrics);
        assertTrue(metrics.matches("(?s).*engagement_requests_total\\{action=\"(like|unknown)\",decision=\"none\",platform=\"twitter\",status=\"failed\"} [1-9][0-9]*\\.0\n.*"), metrics);
        assertFalse(metrics.contains("engagement_requests_total{action=\"like\",decision=\"execute\",platform=\"twitter\",status=\"failed\"}"), metrics);
    }

    @Test
    void everyLogLineOfTheFlowCarriesTheEngagementId() throws Exception {
        List<LogEvent> events = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        capture.start();
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        try {
            Answer a = gateway.submit("{\"action\": \"follow\", \"platform\": \"tiktok\", \"target\": \"user_traced\"}");
            String id = a.text("/engagement_id");
            assertTrue(events.stream().anyMatch(e -> id.equals(e.getContextData().getValue("engagement_id"))
                            && e.getMessage().getFormattedMessage().contains("waits for a reviewer")),
                    "the review log line carries " + id);
        } finally {
            context.getConfiguration().getRootLogger().removeAppender("capture");
        }
        // the default layout writes that id as a field of one JSON object per line
        var layout = context.getConfiguration().getAppender("json").getLayout();
        org.apache.logging.log4j.ThreadContext.put("engagement_id", "eng_layout");
        try {
            LogEvent event = org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder()
                    .setLoggerName("test").setLevel(org.apache.logging.log4j.Level.INFO)
                    .setMessage(new org.apache.logging.log4j.message.SimpleMessage("hello"))
                    .setContextData(new org.apache.logging.log4j.core.impl.JdkMapAdapterStringMap(Map.of("engagement_id", "eng_layout"), true))
                    .build();
            String line = new String(layout.toByteArray(event), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(1, line.strip().lines().count(), line);
            JsonNode json = RunningGateway.json(line);
            assertEquals("eng_layout", json.path("engagement_id").asText(), line);
            assertEquals("hello", json.path("message").asText());
        } finally {
            org.apache.logging.log4j.ThreadContext.remove("engagement_id");
        }
    }

    private static List<?> contractViolations(JsonNode item) {
        return new dev.engagement.gateway.contract.ContractValidator(Json.newObjectMapper())
                .violations("EngagementResult", item);
    }
}
