package dev.engagement.gateway.mcp;

import java.util.Map;

import dev.engagement.gateway.contract.EngagementFailure;

/**
 * What a platform's server answered to one tool call: its result, or its refusal in the contract's
 * terms (unknown target, rate limit, text too long...). A refusal is an answer: the server is well,
 * so it does not count against its circuit breaker. Server failures are thrown instead.
 */
public record ToolAnswer(Map<String, Object> body, EngagementFailure refusal) {

    public static ToolAnswer ok(Map<String, Object> body) {
        return new ToolAnswer(body, null);
    }

    public static ToolAnswer refused(EngagementFailure refusal) {
        return new ToolAnswer(null, refusal);
    }

    /** The result, or the refusal thrown. */
    public Map<String, Object> bodyOrThrow() {
        if (refusal != null) {
            throw refusal;
        }
        return body;
    }
}
