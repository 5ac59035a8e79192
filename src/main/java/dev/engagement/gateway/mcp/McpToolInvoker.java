package dev.engagement.gateway.mcp;

import java.time.Duration;
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
 * Calls one MCP tool and reads its answer in the contract's terms: the tool's structured result becomes
 * {@code platform_response}; a tool's refusal (NOT_FOUND → INVALID_TARGET, a rate limit →
 * RATE_LIMIT_EXCEEDED with retry_after, a text too long, NOT_PERMITTED → NOT_PERMITTED_BY_PLATFORM, AUTH_FAILED →
 * PLATFORM_AUTH_FAILED, a bad argument) is an answer; the server's own
 * failures (unreachable, silent, erring) are thrown as {@link PlatformCallFailure}, so that the platform's
 * circuit breaker counts them and only them.
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
    private final MeterRegistry meters;
    private final int maxAnswerChars;
    private final long maxRetryAfterSeconds;
    /** A top-level field of at most this many characters survives the cut of an oversized answer. */
    private static final int SHORT_FIELD_CHARS = 300;

    public McpToolInvoker(McpConnections connections, ObjectMapper mapper, MeterRegistry meters, int maxAnswerChars,
                          long maxRetryAfterSeconds) {
        this.connections = connections;
        this.mapper = mapper;
        this.meters = meters;
        this.maxAnswerChars = maxAnswerChars;
        this.maxRetryAfterSeconds = maxRetryAfterSeconds;
    }

    /**
     * One tool call under an idempotency key (null: none), cut off after the timeout; timed as
     * engagement_mcp_call_seconds by platform, tool and outcome.
     */
    public ToolAnswer call(String platform, String target, String tool, Map<String, Object> arguments, String idempotencyKey,
                           Duration timeout) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            ToolAnswer answer = callOnce(platform, target, tool, arguments, idempotencyKey, timeout);
            outcome = answer.refusal() == null ? "ok" : answer.refusal().code().name().toLowerCase(Locale.ROOT);
            return answer;
        } catch (PlatformCallFailure f) {
            outcome = f.kind().name().toLowerCase(Locale.ROOT);
            throw f;
        } finally {
            Timer.builder("engagement.mcp.call").description("MCP tool calls to the platforms' servers")
                    .tag("platform", platform).tag("tool", tool).tag("outcome", outcome).publishPercentileHistogram()
                    .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private ToolAnswer callOnce(String platform, String target, String tool, Map<String, Object> arguments,
                                String idempotencyKey, Duration timeout) {
        McpSchema.CallToolResult result;
        Map<String, Object> meta = idempotencyKey == null ? null : Map.of(IDEMPOTENCY_KEY, idempotencyKey);
        try {
            result = connections.callTool(platform, new McpSchema.CallToolRequest(tool, arguments, meta), timeout);
        } catch (McpUnavailableException e) {
            throw PlatformCallFailure.unavailable(PlatformCallFailure.Kind.NOT_CONNECTED, e.getMessage(), null, platform, target, e);
        } catch (McpError e) {
            int code = e.getJsonRpcError() == null ? 0 : e.getJsonRpcError().code();
            String message = "The " + platform + " MCP server refused " + tool + ": " + e.getMessage();
            if (code == INVALID_PARAMS || code == METHOD_NOT_FOUND) {
                // the configured binding does not fit the server's tool: a fault of ours, not of the server
                return ToolAnswer.refused(new EngagementFailure(ErrorCode.PLATFORM_ERROR, message, false, null, platform, target, null, e));
            }
            throw new PlatformCallFailure(PlatformCallFailure.Kind.SERVER_ERROR, ErrorCode.PLATFORM_ERROR, message, null, platform, target, e);
        } catch (RuntimeException e) {
            String why = McpConnections.rootMessage(e);
            boolean silent = "no answer in time".equals(why);
            LOG.warn("MCP call {} on {} failed: {}", tool, platform, why);
            throw PlatformCallFailure.unavailable(silent ? PlatformCallFailure.Kind.TIMEOUT : PlatformCallFailure.Kind.TRANSPORT,
                    "The " + platform + " MCP server did not answer " + tool + (silent ? " within " + timeout.toMillis() + " ms" : ": " + why),
                    null, platform, target, e);
        }
        Map<String, Object> body = bounded(bodyOf(result));
        if (Boolean.TRUE.equals(result.isError())) {
            return ToolAnswer.refused(toolError(platform, target, tool, body));
        }
        return ToolAnswer.ok(body);
    }

    /**
     * An answer whose JSON is longer than engagement.mcp.max-answer-chars keeps its short top-level fields
     * (ids, timestamps, flags) and says it was cut ("truncated": true, "original_chars"): it is stored with
     * the engagement, and a server's oversized answer must not make recording a done action fail.
     */
    Map<String, Object> bounded(Map<String, Object> body) {
        String json = json(body);
        if (json.length() <= maxAnswerChars) {
            return body;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int room = maxAnswerChars / 2;
        for (Map.Entry<String, Object> e : body.entrySet()) {
            int size = e.getKey().length() + json(e.getValue()).length() + 4;
            if (size <= SHORT_FIELD_CHARS && size <= room) {
                out.put(e.getKey(), e.getValue());
                room -= size;
            }
        }
        out.put("truncated", true);
        out.put("original_chars", json.length());
        return out;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
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

    private EngagementFailure toolError(String platform, String target, String tool, Map<String, Object> body) {
        Object nested = body.get("error");
        Map<?, ?> error = nested instanceof Map<?, ?> m ? m : body;
        String code = String.valueOf(error.get("code") == null ? "" : error.get("code")).toUpperCase(Locale.ROOT);
        String message = error.get("message") != null ? String.valueOf(error.get("message"))
                : body.get("text") != null ? String.valueOf(body.get("text")) : tool + " failed";
        String lower = (code + " " + message).toLowerCase(Locale.ROOT);
        // a server's wait is believed up to engagement.mcp.max-retry-after-seconds: it holds a budget that long
        Long retryAfter = error.get("retry_after") instanceof Number n ? Math.max(0, Math.min(n.longValue(), maxRetryAfterSeconds)) : null;

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
        // the platform refuses this account the action (X's reply restriction): its reason is the message
        if (code.equals("NOT_PERMITTED")) {
            return new EngagementFailure(ErrorCode.NOT_PERMITTED_BY_PLATFORM, message, false, null, platform, target, null, null);
        }
        // the server's credentials for the platform were refused: an operator's fix, not the agent's
        if (code.equals("AUTH_FAILED")) {
            return new EngagementFailure(ErrorCode.PLATFORM_AUTH_FAILED, message, false, null, platform, target, null, null);
        }
        if (code.equals("UNAVAILABLE")) {
            throw PlatformCallFailure.unavailable(Boolean.TRUE.equals(error.get("effect_unknown")) ? PlatformCallFailure.Kind.EFFECT_UNKNOWN
                    : PlatformCallFailure.Kind.SERVER_ERROR, message, retryAfter, platform, target, null);
        }
        // the platform behind the server did not answer in time: another attempt now would only wait as long again
        if (code.equals("TIMEOUT")) {
            throw PlatformCallFailure.unavailable(PlatformCallFailure.Kind.TIMEOUT, message, retryAfter, platform, target, null);
        }
        String what = capitalize(platform) + " answered an error to " + tool + ": " + message;
        if (code.equals("INTERNAL")) {
            throw new PlatformCallFailure(PlatformCallFailure.Kind.SERVER_ERROR, ErrorCode.PLATFORM_ERROR, what, retryAfter, platform, target, null);
        }
        return new EngagementFailure(ErrorCode.PLATFORM_ERROR, what, false, retryAfter, platform, target, null, null);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
