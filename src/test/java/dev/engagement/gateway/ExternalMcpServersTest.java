package dev.engagement.gateway;

import dev.engagement.gateway.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Platforms pointed at MCP servers outside the gateway: by URL (Streamable HTTP) and by stdio command. */
class ExternalMcpServersTest {

    private static SandboxServer standaloneSandbox() throws Exception {
        ObjectMapper mapper = Json.newObjectMapper();
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        SandboxServer server = new SandboxServer(new Sandbox(mapper, json, new NetworkntSchemaValidator(mapper), 1000, 60), json);
        server.start("127.0.0.1", 0);
        return server;
    }

    @Test
    void aPlatformOnAnExternalStreamableHttpServerIsUsedAndItsLedgerOutlivesTheGateway() throws Exception {
        try (SandboxServer external = standaloneSandbox()) {
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw"),
                    Map.of("engagement.platforms.twitter.mcp.url", external.baseUrl() + "/mcp/twitter"))) {
                Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_424242\"}")
                        .assertContract();
                assertEquals(200, a.status(), a.raw());
                assertEquals(0, gateway.ledger("twitter").size(), "the bundled sandbox was not used");
            }
            JsonNode ledger = RunningGateway.json(new String(new java.net.URL(external.baseUrl() + "/actions?platform=twitter")
                    .openStream().readAllBytes()));
            assertEquals(1, ledger.size());
            assertEquals("like_tweet", ledger.get(0).path("tool").asText());
        }
    }

    @Test
    void anActionIsOnlySupportedWhenTheServerListsItsTool() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw"),
                Map.of("engagement.platforms.twitter.actions.share", "quote_tweet(tweet_id=target, text=content)"))) {
            Answer a = gateway.submit("{\"action\": \"share\", \"platform\": \"twitter\", \"target\": \"tweet_12345\"}")
                    .assertContract();
            assertEquals(422, a.status(), a.raw());
            assertEquals("UNSUPPORTED_ACTION", a.text("/error/code"));
            assertTrue(a.text("/error/message").contains("quote_tweet"));
        }
    }

    @Test
    void aPlatformWhoseServerIsDownFailsRetryablyWithPlatformUnavailable() throws Exception {
        int closedPort = RunningGateway.freePort();
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw"),
                Map.of("engagement.platforms.tiktok.mcp.url", "http://127.0.0.1:" + closedPort + "/mcp",
                        "engagement.resilience.call-timeout-ms", "2000"))) {
            Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"tiktok\", \"target\": \"video_24680\"}")
                    .assertContract();
            assertEquals(503, a.status(), a.raw());
            assertEquals("PLATFORM_UNAVAILABLE", a.text("/error/code"));
            assertEquals(true, a.body().at("/error/retryable").asBoolean());
            String id = a.text("/engagement_id");
            assertEquals("PLATFORM_UNAVAILABLE", gateway.get("/engagements/" + id, RunningGateway.AGENT).text("/error/code"),
                    "the failure is recorded on the engagement");
        }
    }

    @Test
    void aPlatformServedOverStdioByTheSandboxProcessWorks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path")
                + " dev.engagement.gateway.EngagementGatewayApplication sandbox --stdio --platform threads";
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw"),
                // a JVM starting on a busy machine may take longer than the default 20 s to initialise
                Map.of("engagement.platforms.threads.mcp.command", command,
                        "engagement.mcp.connect-wait-ms", "60000", "engagement.mcp.initialization-timeout-ms", "60000"))) {
            Answer a = gateway.submit("""
                    {"action": "reply", "platform": "threads", "target": "thread_13579", "content": "A good notebook, honestly."}""")
                    .assertContract();
            assertEquals(200, a.status(), a.raw());
            assertEquals("A good notebook, honestly.", a.text("/platform_response/text"));
        }
    }
}
