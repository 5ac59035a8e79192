package dev.engagement.gateway.mcp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one MCP tool and turns its answer into the contract: the tool's structured result becomes
 * {@code platform_response}; tool errors, protocol errors and transport failures become contract
 * error codes (NOT_FOUND → INVALID_TARGET, a rate limit → RATE_LIMIT_EXCEEDED with retry_after,
 * an unreachable or silent server → PLATFORM_UNAVAILABLE, anything else → PLATFORM_ERROR).
 */
public class McpToolInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(McpToolInvoker.class);
    /**
     * The request {@code _meta} entry that carries the caller's idempotency key (the engagement id):
     * a server that honours it, like the bundled sandbox, executes a repeated call once.
     */
    public static final String IDEMPOTENCY_KEY = "idempotency_key";
    private static final int INVALID_PARAMS = -32602;
    private static final int METHOD_NOT_FOUND = -32601;

    private final McpConnections connections;
    private final ObjectMapper mapper;
    private volatile MeterRegistry meters;

    public McpToolInvoker(McpConnections connections, ObjectMapper mapper) {
        this.connections = connections;
        this.mapper = mapper;
    }

    /** Times every MCP call (engagement_mcp_call_seconds by platform, tool and outcome) in this registry. */
    public void bindMetrics(MeterRegistry registry) {
        this.meters = registry;
    }

    public Map<String, Object> call(String platform, String target, String tool, Map<String, Object> arguments) {
        return call(platform, target, tool, arguments, null);
    }

    /** A call that changes something on the platform, under an idempotency key (null: none). Timed. */
    public Map<String, Object> call(String platform, String target, String tool, Map<String, Object> arguments,
                                    String idempotencyKey) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            Map<String, Object> body = callOnce(platform, target, tool, arguments, idempotencyKey);
            outcome = "ok";
            return body;
        } catch (EngagementFailure f) {
            outcome = f.code().name().toLowerCase(Locale.ROOT);
            throw f;
        } finally {
            MeterRegistry registry = meters;
            if (registry != null) {
                Timer.builder("engagement.mcp.call").description("MCP tool calls to the platforms' servers")
                        .tag("platform", platform).tag("tool", tool).tag("outcome", outcome).publishPercentileHistogram()
                        .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }

    private Map<String, Object> callOnce(String platform, String target, String tool, Map<String, Object> arguments,
                                         String idempotencyKey) {
        McpSchema.CallToolResult result;
        Map<String, Object> meta = idempotencyKey == null ? null : Map.of(IDEMPOTENCY_KEY, idempotencyKey);
        try {
            result = connections.callTool(platform, new McpSchema.CallToolRequest(tool, arguments, meta));
        } catch (EngagementFailure e) {
            throw e;
        } catch (McpError e) {
            int code = e.getJsonRpcError() == null ? 0 : e.getJsonRpcError().code();
            boolean retryable = code != INVALID_PARAMS && code != METHOD_NOT_FOUND;
            throw new EngagementFailure(ErrorCode.PLATFORM_ERROR,
                    "The " + platform + " MCP server refused " + tool + ": " + e.getMessage(),
                    retryable, null, platform, target, null, e);
        } catch (RuntimeException e) {
            // A transport failure or a timeout: the client may be broken, so the next call reconnects.
            connections.reset(platform);
            LOG.warn("MCP call {} on {} failed: {}", tool, platform, McpConnections.rootMessage(e));
            throw new EngagementFailure(ErrorCode.PLATFORM_UNAVAILABLE,
                    "The " + platform + " MCP server did not answer " + tool + ": " + McpConnections.rootMessage(e),
                    true, null, platform, target, null, e);
        }
        Map<String, Object> body = bodyOf(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw toolError(platform, target, tool, body);
        }
        return body;
    }

    /** The tool's structured content, or its text content read as JSON, or the text itself. */
    private Map<String, Object> bodyOf(McpSchema.CallToolResult result) {
        if (result.structuredContent() instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        StringBuilder text = new StringBuilder();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) {
                if (c instanceof McpSchema.TextContent t) {
                    text.append(t.text());
                }
            }
        }
        String s = text.toString().trim();
        if (s.startsWith("{")) {
            try {
                return mapper.readValue(s, new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (Exception ignored) {
                // not JSON after all: keep it as text
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", s);
        return out;
    }

    private static EngagementFailure toolError(String platform, String target, String tool, Map<String, Object> body) {
        Object nested = body.get("error");
        Map<?, ?> error = nested instanceof Map<?, ?> m ? m : body;
        String code = String.valueOf(error.get("code") == null ? "" : error.get("code")).toUpperCase(Locale.ROOT);
        String message = error.get("message") != null ? String.valueOf(error.get("message"))
                : body.get("text") != null ? String.valueOf(body.get("text")) : tool + " failed";
        String lower = (code + " " + message).toLowerCase(Locale.ROOT);
        Long retryAfter = error.get("retry_after") instanceof Number n ? n.longValue() : null;

        if (code.equals("NOT_FOUND") || code.equals("INVALID_TARGET") || lower.contains("not found")) {
            return new EngagementFailure(ErrorCode.INVALID_TARGET, message, false, null, platform, target, null, null);
        }
        if (code.startsWith("RATE_LIMIT") || lower.contains("rate limit")) {
            long wait = retryAfter == null ? 60 : retryAfter;
            return new EngagementFailure(ErrorCode.RATE_LIMIT_EXCEEDED,
                    capitalize(platform) + " rate limit exceeded. Retry after " + wait + " seconds. (" + message + ")",
                    true, wait, platform, target, null, null);
        }
        if (code.equals("CONTENT_TOO_LONG")) {
            return new EngagementFailure(ErrorCode.CONTENT_TOO_LONG, message, false, null, platform, target, null, null);
        }
        if (code.equals("UNAVAILABLE")) {
            return new EngagementFailure(ErrorCode.PLATFORM_UNAVAILABLE, message, true, retryAfter, platform, target, null, null);
        }
        boolean retryable = code.equals("INTERNAL") || code.equals("TIMEOUT");
        return new EngagementFailure(ErrorCode.PLATFORM_ERROR, capitalize(platform) + " answered an error to " + tool + ": " + message,
                retryable, retryAfter, platform, target, null, null);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
