package dev.engagement.gateway.mcpserver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool call the server refuses or cannot carry out, answered as an MCP tool error whose structured content
 * is {@code {"error": {"code", "message", "retry_after"?}}}. The gateway reads the code (McpToolInvoker):
 * NOT_FOUND, RATE_LIMITED (with retry_after in seconds), CONTENT_TOO_LONG, NOT_PERMITTED, AUTH_FAILED,
 * INVALID_ARGUMENT are refusals; UNAVAILABLE, TIMEOUT and INTERNAL are the platform's own failures.
 */
public class ToolError extends RuntimeException {

    private final String code;
    private final Long retryAfter;
    private final boolean effectUnknown;

    public ToolError(String code, String message, Long retryAfter) {
        this(code, message, retryAfter, false);
    }

    private ToolError(String code, String message, Long retryAfter, boolean effectUnknown) {
        super(message);
        this.code = code;
        this.retryAfter = retryAfter;
        this.effectUnknown = effectUnknown;
    }

    /**
     * This failure, said of a write the platform may have carried out before failing (a 5xx or a broken connection
     * after the request was sent): {@code "effect_unknown": true}, so that the caller does not send it again at once.
     */
    public ToolError afterWrite() {
        return new ToolError(code, getMessage() + " (the platform may have acted: not sent again)", retryAfter, true);
    }

    public String code() {
        return code;
    }

    public Long retryAfter() {
        return retryAfter;
    }

    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (retryAfter != null) {
            error.put("retry_after", retryAfter);
        }
        if (effectUnknown) {
            error.put("effect_unknown", true);
        }
        return Map.of("error", error);
    }
}
