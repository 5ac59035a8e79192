package dev.engagement.gateway.mcp;

import java.util.Map;

/**
 * One tool call a route is about to make on a platform's server: why (a lookup of the target, or the
 * action itself), which tool with which arguments, under which idempotency key, and since when.
 */
public record ToolCall(Purpose purpose, String platform, String target, String tool, Map<String, Object> arguments,
                       String idempotencyKey, long startedNanos) {

    /** What the call is for; its failed attempts are named after it in the event log. */
    public enum Purpose {
        LOOKUP("lookup_attempt_failed"), EXECUTE("attempt_failed");

        private final String failedAttemptEvent;

        Purpose(String failedAttemptEvent) {
            this.failedAttemptEvent = failedAttemptEvent;
        }

        public String failedAttemptEvent() {
            return failedAttemptEvent;
        }
    }

    public static ToolCall of(Purpose purpose, String platform, String target, String tool, Map<String, Object> arguments,
                              String idempotencyKey) {
        return new ToolCall(purpose, platform, target, tool, Map.copyOf(arguments), idempotencyKey, System.nanoTime());
    }

    /** The route that makes this call on its platform (routes/platforms.yaml): lookup-twitter, execute-threads... */
    public String route() {
        return (purpose == Purpose.LOOKUP ? "lookup-" : "execute-") + platform;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
