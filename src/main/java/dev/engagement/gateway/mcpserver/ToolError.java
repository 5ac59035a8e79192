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

    public ToolError(String code, String message, Long retryAfter) {
        super(message);
        this.code = code;
        this.retryAfter = retryAfter;
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
        return Map.of("error", error);
    }
}
