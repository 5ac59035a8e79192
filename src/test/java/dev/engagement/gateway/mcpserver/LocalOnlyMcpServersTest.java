package dev.engagement.gateway.mcpserver;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.connector.ConnectorServer;
import dev.engagement.gateway.connector.ConnectorServers;
import dev.engagement.gateway.connector.ConnectorSettings;
import dev.engagement.gateway.connector.Connectors;
import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MCP servers this project runs over HTTP (the sandbox, a live connector holding a real token) answer only
 * requests for localhost, 127.0.0.1 or [::1]: a web page whose name was rebound to 127.0.0.1 (DNS rebinding)
 * sends its own Host and Origin and is answered 4xx, as the MCP conformance scenario dns-rebinding-protection asks.
 */
class LocalOnlyMcpServersTest {

    private static final ObjectMapper MAPPER = Json.newObjectMapper();
    private static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

    @Test
    void theSandboxRefusesAForeignHostOrOriginAndAnswersLoopbackNames() throws Exception {
        try (SandboxServer sandbox = new SandboxServer(new Sandbox(MAPPER, JSON, new NetworkntSchemaValidator(MAPPER), 100, 60), JSON)) {
            sandbox.start("127.0.0.1", 0);
            URI mcp = URI.create(sandbox.baseUrl() + "/mcp/twitter");
            assertRefused(mcp, "evil.example:" + mcp.getPort(), null);
            assertRefused(mcp, "127.0.0.1:" + mcp.getPort(), "http://evil.example");
            for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
                assertEquals(200, status(mcp, host + ":" + mcp.getPort(), "http://" + host + ":6274"), host);
            }
        }
    }

    @Test
    void aConnectorRefusesAForeignHostUnlessItIsAllowed() throws Exception {
        Map<String, String> env = Map.of("X_USER_ACCESS_TOKEN", "never-used-token", "X_USER_ID", "1");
        ConnectorServers servers = new ConnectorServers(MAPPER, JSON, new NetworkntSchemaValidator(MAPPER));
        var connector = Connectors.create("x", new ConnectorSettings(n -> Optional.ofNullable(env.get(n))), MAPPER);
        try (ConnectorServer strict = ConnectorServer.start("127.0.0.1", 0, Map.of("/mcp", connector), servers, JSON, AllowedHosts.loopback());
             ConnectorServer widened = ConnectorServer.start("127.0.0.1", 0, Map.of("/mcp", connector), servers, JSON,
                     AllowedHosts.loopbackAnd(List.of("gateway.internal")))) {
            URI mcp = URI.create(strict.baseUrl() + "/mcp");
            assertRefused(mcp, "gateway.internal:" + mcp.getPort(), null);
            assertEquals(200, status(mcp, "localhost:" + mcp.getPort(), null));
            URI other = URI.create(widened.baseUrl() + "/mcp");
            assertEquals(200, status(other, "gateway.internal:" + other.getPort(), null));
        }
    }

    private static void assertRefused(URI mcp, String host, String origin) throws Exception {
        int status = status(mcp, host, origin);
        assertTrue(status >= 400 && status < 500, "Host " + host + ", Origin " + origin + " answered " + status);
    }

    /** An MCP initialize POST with the given Host (and Origin): a raw request, since HTTP clients fix Host themselves. */
    private static int status(URI mcp, String host, String origin) throws Exception {
        byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + mcp.getPath() + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(mcp.getHost(), mcp.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }
}
