package dev.engagement.gateway.mcp;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * A platform call that failed because of the platform's server (not the request): unreachable, silent,
 * erring, or shielded by its circuit breaker or bulkhead. Always retryable for the agent; worth a retry
 * within the same request only when the failure came fast and a second attempt may fare better.
 */
public class PlatformCallFailure extends EngagementFailure {

    /** What went wrong, which decides whether the route retries it now. */
    public enum Kind {
        /** connection refused or reset, a broken session: retried */
        TRANSPORT(true),
        /** the server answered an internal error: retried */
        SERVER_ERROR(true),
        /** no session (not connected yet, or reconnecting in the background): not retried, that is the background's job */
        NOT_CONNECTED(false),
        /** no answer within the call timeout: not retried, a hung server would only double the wait */
        TIMEOUT(false),
        /** the server failed a write it may have carried out (it says effect_unknown): not retried, it could act twice */
        EFFECT_UNKNOWN(false),
        /** the platform's circuit breaker is open: not retried */
        CIRCUIT_OPEN(false),
        /** the platform already has its bulkhead's worth of calls in flight: not retried */
        BULKHEAD_FULL(false);

        private final boolean retriedNow;

        Kind(boolean retriedNow) {
            this.retriedNow = retriedNow;
        }
    }

    private final Kind kind;

    public PlatformCallFailure(Kind kind, ErrorCode code, String message, Long retryAfter, String platform, String target,
                               Throwable cause) {
        super(code, message, true, retryAfter, platform, target, null, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True when the call was sent and the server may have acted without saying so: no answer in time, or a
     * failure it reports as effect_unknown. For a write, asking again could act twice.
     */
    public boolean mayHaveActed() {
        return kind == Kind.TIMEOUT || kind == Kind.EFFECT_UNKNOWN;
    }

    /** True when the route should try the call again within this request (with backoff). */
    public boolean isRetriedNow() {
        return kind.retriedNow;
    }

    public static PlatformCallFailure unavailable(Kind kind, String message, Long retryAfter, String platform, String target,
                                                  Throwable cause) {
        return new PlatformCallFailure(kind, ErrorCode.PLATFORM_UNAVAILABLE, message, retryAfter, platform, target, cause);
    }
}
