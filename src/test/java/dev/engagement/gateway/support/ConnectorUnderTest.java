package dev.engagement.gateway.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import dev.engagement.gateway.connector.ConnectorServer;
import dev.engagement.gateway.connector.ConnectorServers;
import dev.engagement.gateway.connector.ConnectorSettings;
import dev.engagement.gateway.connector.Connectors;
import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.mcpserver.AllowedHosts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A live connector served over MCP Streamable HTTP as the {@code connector} command serves it, and an MCP client on it. */
public final class ConnectorUnderTest implements AutoCloseable {

    public static final ObjectMapper MAPPER = Json.newObjectMapper();

    private final ConnectorServer server;
    private final McpSyncClient client;
    private final String instructions;

    /** The named connector (x, threads, instagram) configured by these environment variables only. */
    public ConnectorUnderTest(String name, Map<String, String> environment) throws Exception {
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(MAPPER);
        var connector = Connectors.create(name, new ConnectorSettings(n -> Optional.ofNullable(environment.get(n))), MAPPER);
        server = ConnectorServer.start("127.0.0.1", 0, Map.of("/mcp", connector),
                new ConnectorServers(MAPPER, json, new NetworkntSchemaValidator(MAPPER)), json, AllowedHosts.loopback());
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.baseUrl()).endpoint("/mcp").jsonMapper(json).build())
                .jsonSchemaValidator(new NetworkntSchemaValidator(MAPPER)).requestTimeout(Duration.ofSeconds(10)).build();
        instructions = client.initialize().instructions();
    }

    public List<String> toolNames() {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
    }

    public String instructions() {
        return instructions;
    }

    /** The tool's structured answer; fails the test if the tool answered an error. */
    public JsonNode call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode body = MAPPER.valueToTree(result.structuredContent());
        assertFalse(Boolean.TRUE.equals(result.isError()), body.toString());
        return body;
    }

    /** The tool's error ({code, message, retry_after}); fails the test if the tool succeeded. */
    public JsonNode callFailing(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        JsonNode body = MAPPER.valueToTree(result.structuredContent());
        assertTrue(Boolean.TRUE.equals(result.isError()), body.toString());
        return body.path("error");
    }

    @Override
    public void close() {
        client.closeGracefully();
        server.close();
    }
}
