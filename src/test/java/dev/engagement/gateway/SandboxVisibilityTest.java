package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.StandaloneSandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nobody mistakes the bundled sandbox for the platform, and without it an unserved platform says what to set. */
class SandboxVisibilityTest {

    @Test
    void whatTheSandboxDidSaysSoAndItsFaultsAreBounded() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("sandbox-visible"), Map.of())) {
            Answer like = gateway.submit("""
                    {"action": "like", "platform": "twitter", "target": "tweet_12345"}""").assertContract();
            assertEquals(200, like.status(), like.raw());
            assertTrue(like.body().at("/platform_response/sandbox").asBoolean(), like.raw());

            Answer platforms = gateway.get("/platforms", RunningGateway.AGENT);
            assertEquals(200, platforms.status(), platforms.raw());
            assertEquals(4, platforms.body().at("/platforms").size(), platforms.raw());
            com.fasterxml.jackson.databind.JsonNode twitter = platforms.body().at("/platforms/0");
            assertEquals("twitter", twitter.path("platform").asText(), platforms.raw());
            assertEquals("sandbox", twitter.path("backend").asText(), platforms.raw());
            assertTrue(twitter.path("connected").asBoolean(), platforms.raw());
            assertTrue(twitter.path("actions").toString().contains("\"like\""), platforms.raw());
            assertEquals("CLOSED", twitter.at("/breakers/execute").asText(), platforms.raw());

            for (String fault : new String[] {"{\"latency_ms\": 600000}", "{\"latency_ms\": \"slow\"}", "{\"error_rate\": 2}",
                    "{\"fail_next\": -1}", "{\"crash\": \"yes\"}"}) {
                Answer refused = gateway.post("/sandbox/faults?platform=tiktok", RunningGateway.REVIEWER, fault).assertContract();
                assertEquals(400, refused.status(), fault + " -> " + refused.raw());
                assertEquals("VALIDATION_FAILED", refused.text("/error/code"));
            }
            assertEquals(200, gateway.post("/sandbox/faults?platform=tiktok", RunningGateway.REVIEWER, "{\"latency_ms\": 60000}").status());
            assertEquals(200, gateway.post("/sandbox/faults?platform=tiktok", RunningGateway.REVIEWER, "{\"latency_ms\": 0}").status());
        }
    }

    @Test
    void withTheSandboxOffAPlatformWithoutAServerIsUnavailableAndNamesTheKey() throws Exception {
        try (StandaloneSandbox sandbox = new StandaloneSandbox()) {
            Map<String, String> overrides = new HashMap<>(sandbox.gatewayOverrides());
            overrides.remove("engagement.platforms.instagram.mcp.url");
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("sandbox-off"), overrides)) {
                Answer unserved = gateway.submit("""
                        {"action": "like", "platform": "instagram", "target": "post_67890"}""").assertContract();
                assertEquals(503, unserved.status(), unserved.raw());
                assertEquals("PLATFORM_UNAVAILABLE", unserved.text("/error/code"));
                assertFalse(unserved.body().at("/error/retryable").asBoolean(), "configuration, not a passing outage: " + unserved.raw());
                assertTrue(unserved.text("/error/message").contains("engagement.platforms.instagram.mcp.url"), unserved.raw());
                assertEquals(200, gateway.submit("""
                        {"action": "like", "platform": "twitter", "target": "tweet_12345"}""").status());
                assertEquals(404, gateway.post("/sandbox/faults", RunningGateway.REVIEWER, "{\"latency_ms\": 1}").status(),
                        "no in-process sandbox, no faults endpoint");
                Answer platforms = gateway.get("/platforms", RunningGateway.REVIEWER);
                String listed = platforms.raw();
                assertEquals("mcp-http", platforms.body().at("/platforms/0/backend").asText(), listed);
                assertEquals("none", platforms.body().at("/platforms/1/backend").asText(), listed);
                assertEquals("instagram", platforms.body().at("/platforms/1/platform").asText(), listed);
            }
        }
    }
}
