package dev.engagement.gateway.support;

import dev.engagement.gateway.contract.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;

import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxPlatform;
import dev.engagement.gateway.sandbox.SandboxServer;

/**
 * The sandbox platforms outside any gateway (as {@code java -jar … sandbox} runs them), so that
 * their ledger outlives a gateway crash and is shared by several gateway instances.
 */
public final class StandaloneSandbox implements AutoCloseable {

    private final Sandbox sandbox;
    private final SandboxServer server;

    public StandaloneSandbox() throws Exception {
        ObjectMapper mapper = Json.newObjectMapper();
        JacksonMcpJsonMapper mcpJson = new JacksonMcpJsonMapper(mapper);
        this.sandbox = new Sandbox(mapper, mcpJson, new NetworkntSchemaValidator(mapper), 100_000, 60);
        this.server = new SandboxServer(sandbox, mcpJson);
        server.start("127.0.0.1", 0);
    }

    /** Gateway properties that point every platform at this sandbox instead of a bundled one. */
    public Map<String, String> gatewayOverrides() {
        Map<String, String> p = new HashMap<>();
        p.put("engagement.sandbox.enabled", "false");
        for (String platform : sandbox.platformNames()) {
            p.put("engagement.platforms." + platform + ".mcp.url", server.baseUrl() + "/mcp/" + platform);
        }
        return p;
    }

    public SandboxPlatform platform(String name) {
        return sandbox.platform(name);
    }

    public List<SandboxPlatform.LedgerEntry> ledger(String platform) {
        return sandbox.ledger(platform);
    }

    @Override
    public void close() {
        server.close();
    }
}
