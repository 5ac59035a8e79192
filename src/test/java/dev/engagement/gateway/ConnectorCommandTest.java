package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.FakePlatformApi;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A live connector run as its own process by the {@code connector} command over stdio, the way an integrator
 * plugs it in with {@code engagement.platforms.<p>.mcp.command}, against a local fake of the Threads API.
 */
class ConnectorCommandTest {

    @Test
    void theThreadsConnectorOverStdioRepliesThroughTheThreadsApi() throws Exception {
        try (FakePlatformApi threads = new FakePlatformApi()) {
            threads.on("GET", "/18000000000000001", 200, "{\"id\":\"18000000000000001\",\"text\":\"Which notebook?\",\"username\":\"ana_reads\"}");
            threads.on("POST", "/me/threads", 200, "{\"id\":\"1234567890\"}");
            threads.on("POST", "/me/threads_publish", 200, "{\"id\":\"18000000000000077\"}");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // the connector reads its variables from the environment or, as here, from -D of the same name
            String command = java + " -DTHREADS_API_BASE_URL=" + threads.baseUrl() + " -DTHREADS_ACCESS_TOKEN=stdio-test-token-0123"
                    + " -cp " + System.getProperty("java.class.path")
                    + " dev.engagement.gateway.EngagementGatewayApplication connector threads --stdio";
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gw-stdio"),
                    // a JVM starting on a busy machine may take a while
                    Map.of("engagement.platforms.threads.mcp.command", command, "engagement.mcp.connect-wait-ms", "60000",
                            "engagement.mcp.initialization-timeout-ms", "60000"))) {
                Answer a = gateway.submit("""
                        {"action": "reply", "platform": "threads", "target": "18000000000000001", "content": "The dotted one."}""")
                        .assertContract();
                assertEquals(200, a.status(), a.raw());
                assertEquals("18000000000000077", a.text("/platform_response/id"));
                assertEquals("Bearer stdio-test-token-0123", threads.requests("POST", "/me/threads").get(0).authorization());
                Answer like = gateway.submit("{\"action\": \"like\", \"platform\": \"threads\", \"target\": \"18000000000000001\"}");
                assertEquals("UNSUPPORTED_ACTION", like.text("/error/code"), like.raw());
                assertFalse(gateway.get("/platforms", RunningGateway.AGENT).raw().contains("stdio-test-token"),
                        "a stdio command's arguments are never shown");
            }
        }
    }
}
