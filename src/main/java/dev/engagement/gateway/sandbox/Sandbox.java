package dev.engagement.gateway.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

import dev.engagement.gateway.mcpserver.ToolResults;

/**
 * The four sandbox platforms and the MCP servers in front of them. The data comes from
 * {@code sandbox/sandbox-data.json}; each platform's MCP server exposes exactly the skill's tools.
 */
public class Sandbox {

    /** The MCP request {@code _meta} entry under which callers pass their idempotency key. */
    public static final String IDEMPOTENCY_KEY = dev.engagement.gateway.mcp.McpToolInvoker.IDEMPOTENCY_KEY;

    private final Map<String, SandboxPlatform> platforms = new LinkedHashMap<>();
    private final ObjectMapper mapper;
    private final McpJsonMapper jsonMapper;
    private final JsonSchemaValidator schemaValidator;

    public Sandbox(ObjectMapper mapper, McpJsonMapper jsonMapper, JsonSchemaValidator schemaValidator,
                   int rateLimit, long rateWindowSeconds) {
        this.mapper = mapper;
        this.jsonMapper = jsonMapper;
        this.schemaValidator = schemaValidator;
        JsonNode data = readData(mapper);
        List<String> markers = new ArrayList<>();
        data.path("not_found_markers").forEach(m -> markers.add(m.asText()));
        data.path("platforms").fields().forEachRemaining(e ->
                platforms.put(e.getKey(), new SandboxPlatform(e.getKey(), e.getValue(), markers, rateLimit, rateWindowSeconds)));
    }

    private static JsonNode readData(ObjectMapper mapper) {
        try (InputStream in = Sandbox.class.getResourceAsStream("/sandbox/sandbox-data.json")) {
            if (in == null) {
                throw new IllegalStateException("sandbox/sandbox-data.json is missing from the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read sandbox/sandbox-data.json", e);
        }
    }

    public SandboxPlatform platform(String name) {
        SandboxPlatform p = platforms.get(name);
        if (p == null) {
            throw new IllegalArgumentException("Unknown sandbox platform '" + name + "'; known: " + platforms.keySet());
        }
        return p;
    }

    public List<String> platformNames() {
        return List.copyOf(platforms.keySet());
    }

    /** Every executed action of one platform, or of all when platform is null, in order. */
    public List<SandboxPlatform.LedgerEntry> ledger(String platform) {
        if (platform != null) {
            return platform(platform).ledger();
        }
        List<SandboxPlatform.LedgerEntry> all = new ArrayList<>();
        platforms.values().forEach(p -> all.addAll(p.ledger()));
        return all;
    }

    /** Reads a fault-injection body: {"latency_ms", "error_rate", "fail_next", "rate_limited_for_seconds", "crash", "restart"}. */
    public Map<String, Object> readFaults(byte[] body) {
        try {
            if (body == null || body.length == 0) {
                return Map.of();
            }
            Map<String, Object> map = mapper.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
            for (Map.Entry<String, Object> e : map.entrySet()) {
                String key = e.getKey();
                Object v = e.getValue();
                switch (key) {
                    case "latency_ms" -> requireNumber(key, v, 0, 60_000);
                    case "error_rate" -> requireNumber(key, v, 0, 1);
                    case "fail_next" -> requireNumber(key, v, 0, 1_000_000);
                    case "rate_limited_for_seconds" -> requireNumber(key, v, 0, 86_400);
                    case "crash", "restart" -> {
                        if (v != null && !(v instanceof Boolean)) {
                            throw new IllegalArgumentException(key + " must be true or false");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown fault '" + key
                            + "'; known: latency_ms, error_rate, fail_next, rate_limited_for_seconds, crash, restart");
                }
            }
            return map;
        } catch (IOException e) {
            throw new IllegalArgumentException("expected a JSON object of faults: " + e.getMessage());
        }
    }

    /** A fault's value: null (unchanged) or a number within [min, max] (latency at most a minute: a call holds a thread). */
    private static void requireNumber(String key, Object v, double min, double max) {
        if (v == null) {
            return;
        }
        if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max || Double.isNaN(n.doubleValue())) {
            throw new IllegalArgumentException(key + " must be a number from " + fmt(min) + " to " + fmt(max) + ", not " + v);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Applies faults to one platform (or all when platform is null); returns what is injected now. */
    public Map<String, Object> inject(String platform, Map<String, Object> body) {
        SandboxPlatform.Faults faults;
        try {
            faults = new SandboxPlatform.Faults(
                    body.get("latency_ms") == null ? null : ((Number) body.get("latency_ms")).longValue(),
                    body.get("error_rate") == null ? null : ((Number) body.get("error_rate")).doubleValue(),
                    body.get("fail_next") == null ? null : ((Number) body.get("fail_next")).intValue(),
                    body.get("rate_limited_for_seconds") == null ? null : ((Number) body.get("rate_limited_for_seconds")).longValue());
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("fault values must be numbers");
        }
        List<String> targets = platform == null || platform.isBlank() ? platformNames() : List.of(platform(platform).name());
        Map<String, Object> now = new LinkedHashMap<>();
        for (String p : targets) {
            platform(p).inject(faults);
            now.put(p, platform(p).faults());
        }
        return now;
    }

    public McpSyncServer streamableServer(String platform, McpStreamableServerTransportProvider transport) {
        return configure(McpServer.sync(transport), platform);
    }

    public McpSyncServer stdioServer(String platform, McpServerTransportProvider transport) {
        return configure(McpServer.sync(transport), platform);
    }

    private McpSyncServer configure(McpServer.SyncSpecification<?> spec, String platform) {
        SandboxPlatform p = platform(platform);
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (SandboxTool t : p.tools()) {
            tools.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(McpSchema.Tool.builder().name(t.name()).description(t.description()).inputSchema(t.inputSchema()).build())
                    .callHandler((exchange, request) -> answer(p, request))
                    .build());
        }
        return spec.serverInfo("sandbox-" + platform, "1.0.0")
                .instructions("Sandbox " + platform + " platform of the Engagement Gateway: stateful, with a ledger of executed actions.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(jsonMapper)
                .jsonSchemaValidator(schemaValidator)
                .tools(tools)
                .build();
    }

    private McpSchema.CallToolResult answer(SandboxPlatform p, McpSchema.CallToolRequest request) {
        return ToolResults.answer(mapper, () -> {
            Object key = request.meta() == null ? null : request.meta().get(IDEMPOTENCY_KEY);
            return p.call(request.name(), request.arguments(), key == null ? null : String.valueOf(key));
        });
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
